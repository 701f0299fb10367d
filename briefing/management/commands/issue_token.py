"""``manage.py issue_token``: print a user's API token, creating or rotating it."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


def token_issue(*, username: str, rotate: bool = False) -> tuple[Token, bool]:
    """Return ``username``'s API token and whether it is new; ``rotate`` replaces an existing one."""
    try:
        user = get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user named “{username}”; create it with `manage.py create_editor`.") from None
    if not user.is_active:
        raise CommandError(f"User “{username}” is inactive; its token would be refused.")
    with transaction.atomic():
        if rotate:
            Token.objects.filter(user=user).delete()
        return Token.objects.get_or_create(user=user)


class Command(BaseCommand):
    """Print the API token of a user (the key only, so scripts can capture it)."""

    help = (
        "Print the API token (DRF authtoken) of USERNAME, creating it if needed; --rotate "
        "replaces it, so the old key stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the token with a new one.")

    def handle(self, *args, username, rotate, **options):
        token, created = token_issue(username=username, rotate=rotate)
        if created and options["verbosity"] > 1:
            self.stderr.write(f"New token for {username}.")
        self.stdout.write(token.key)
