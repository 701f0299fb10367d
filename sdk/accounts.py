"""Create the two API accounts the SDK check and the fuzzer use, and print their tokens as JSON.

    python sdk/accounts.py   # with the server's environment (DATABASE_URL, SECRET_KEY, ...)

prints ``{"editor": "<token>", "superuser": "<token>"}``. The editor is made by
``manage.py create_editor`` (the Editors group: add, change and view, no delete) when the
project has that command; otherwise the same permissions are granted here directly. Running it
again changes nothing and prints the same tokens. Meant for disposable databases only.
"""

import io
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EDITOR = "sdk-editor"
SUPERUSER = "sdk-superuser"
# What the Editors group grants (briefing migration 0004), for projects without it yet.
EDITOR_ACTIONS = ("add", "change", "view")


def ensure_editor():
    """The editor account: through `create_editor` if the project has it, else by hand."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.core.management import call_command, get_commands

    if "create_editor" in get_commands():
        call_command("create_editor", EDITOR, "--no-password", verbosity=0, stdout=io.StringIO())
        return get_user_model().objects.get(username=EDITOR)
    user, _ = get_user_model().objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="briefing", codename__regex=rf"^({'|'.join(EDITOR_ACTIONS)})_"
        )
    )
    return user


def ensure_superuser():
    """The superuser account (no usable password: it signs in by token only)."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=SUPERUSER, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def main() -> int:
    """Create both accounts and their tokens; print the tokens."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")
    import django

    django.setup()
    from rest_framework.authtoken.models import Token

    tokens = {
        "editor": Token.objects.get_or_create(user=ensure_editor())[0].key,
        "superuser": Token.objects.get_or_create(user=ensure_superuser())[0].key,
    }
    print(json.dumps(tokens))
    return 0


if __name__ == "__main__":
    sys.exit(main())
