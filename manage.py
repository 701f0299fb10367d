#!/usr/bin/env python
"""Django's command-line utility for the Summit Briefing API."""

import os
import sys


def main() -> None:
    """Run an administrative task with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake (e.g. no SECRET_KEY with DEBUG off) is told in one line, as
        # Django tells a CommandError; --traceback shows where it came from.
        if "--traceback" in sys.argv:
            raise
        sys.exit(f"ImproperlyConfigured: {exc}")


if __name__ == "__main__":
    main()
