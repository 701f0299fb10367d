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


def editor_ensure(*, username: str, email: str | None, password: str | None) -> tuple[AbstractUser, bool]:
    """Make ``username`` an active staff member of Editors; return the user and whether it is new.

    ``email`` and ``password``, when given, replace the current ones; a new user without a
    password gets an unusable one (no password login until one is set).
    """
    try:
        group = Group.objects.get(name=EDITORS_GROUP)
    except Group.DoesNotExist:
        raise CommandError(f"The {EDITORS_GROUP} group does not exist; run `manage.py migrate`.") from None
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        user.is_staff = user.is_active = True
        if email is not None:
            user.email = email
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        user.groups.add(group)
    return user, created


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
        user, created = editor_ensure(username=username, email=email, password=password)
        what = "Created" if created else "Updated"
        login = "with a password" if user.has_usable_password() else "without a usable password"
        self.stdout.write(self.style.SUCCESS(f"{what} editor {user.username} ({login})."))

    def _prompt_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"No password: set {PASSWORD_ENV}, or pass --no-password.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError("The password is empty.")
        return password
