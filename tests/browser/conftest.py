"""Browser-test fixtures: the chromium binary, and the seeded database kept for later tests.

A live-server test runs in a real transaction, and Django flushes every table after it: the
session's seed data and the groups the migrations made go too. ``seeded_before_and_after``
puts both back, so tests that run later still find the seeded database.
"""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from tests.browser.chromium import find_chromium


@pytest.fixture
def chromium() -> str:
    """Path of the chromium binary; skips the test when there is none."""
    path = find_chromium()
    if path is None:
        pytest.skip("no chromium binary (/usr/bin/chromium or `chromium` on PATH): apt-get install chromium")
    return path


@pytest.fixture(scope="module", autouse=True)
def seeded_before_and_after(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Seed before the module's tests, and again (with the groups) after their final flush.

    Module scope, because a function fixture's teardown would run before the flush.
    """
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        groups = {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }
    yield
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        for name, permissions in groups.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.set(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            )
