"""Browser-test fixtures: the chromium binary, and the seeded database kept for later tests.

A live-server test runs in a real transaction, and Django flushes every table after it: the
session's seed data and the groups the migrations made go too (see ``reseeded_after_flush``).
"""

import pytest

from tests.browser.chromium import find_chromium


@pytest.fixture
def chromium() -> str:
    """Path of the chromium binary; skips the test when there is none."""
    path = find_chromium()
    if path is None:
        pytest.skip("no chromium binary (/usr/bin/chromium or `chromium` on PATH): apt-get install chromium")
    return path


@pytest.fixture(scope="module", autouse=True)
def seeded_before_and_after(reseeded_after_flush) -> None:
    """Live-server tests flush the database: the seed and the groups come back after them."""
