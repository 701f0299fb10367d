"""``manage.py create_editor``: a staff account in the Editors group, created or brought in line."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Created with its permissions by migration briefing.0004_editors_group.
EDITORS_GROUP = "Editors"
PASSWORD_ENV = "EDITOR_PASSWORD"


def editor_ensure(
    *, username: str, email: str | None, password: str | None
) -> tuple[AbstractUser, bool, list[str]]:
    """Make ``username`` an active staff member of Editors; return the user, whether it is new,
    and what changed on an existing one (empty when it was already so).

    ``email`` and ``password``, when given, replace the current ones (a password the account
    already has is left as it is); a new user without a password gets an unusable one (no
    password login until one is set).
    """
    try:
        group = Group.objects.get(name=EDITORS_GROUP)
    except Group.DoesNotExist:
        raise CommandError(f"The {EDITORS_GROUP} group does not exist; run `manage.py migrate`.") from None
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.select_for_update().get_or_create(username=username)
        changed = [name for name in ("is_staff", "is_active") if not getattr(user, name)]
        user.is_staff = user.is_active = True
        if email is not None and email != user.email:
            user.email = email
            changed.append("email")
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
            if created or not user.check_password(password):
                user.set_password(password)
                changed.append("password")
        elif created:
            user.set_unusable_password()
        if not user.groups.filter(pk=group.pk).exists():
            changed.append(f"added to {EDITORS_GROUP}")
        if created or changed:
            user.full_clean()
            user.save()
            user.groups.add(group)
    return user, created, [] if created else changed


class Command(BaseCommand):
    """Create an editor (a staff user in Editors), or bring an existing account in line."""

    help = (
        "Create a staff user in the Editors group, or make an existing user one; running it again "
        f"changes nothing. The password comes from ${PASSWORD_ENV}, else a prompt (new users only), "
        "unless --no-password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", help="E-mail address to set.")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Do not set a password (a new user gets an unusable one; use an API token or set it later).",
        )

    def handle(self, *args, username, email, no_password, **options):
        exists = get_user_model().objects.filter(username=username).exists()
        password = None if no_password else os.environ.get(PASSWORD_ENV) or None
        if password is None and not no_password and not exists:
            password = self._prompt_password()
        user, created, changed = editor_ensure(username=username, email=email, password=password)
        login = "with a password" if user.has_usable_password() else "without a usable password"
        if created:
            message = f"Created editor {user.username} ({login})."
        elif changed:
            message = f"Updated editor {user.username} ({login}): {', '.join(changed)}."
        else:
            message = f"Editor {user.username} is already set up ({login}); nothing changed."
        self.stdout.write(self.style.SUCCESS(message))

    def _prompt_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"No password: set {PASSWORD_ENV}, or pass --no-password.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError("The password is empty.")
        return password
