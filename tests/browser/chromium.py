"""Debian chromium under Playwright: where the binary is, how it is launched, where shots go."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

# Flags from the tooling recipe: headless, no sandbox (root in a container), no network chatter.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-output" / "browser"


def find_chromium() -> str | None:
    """The Debian chromium binary, if installed (never Playwright's own download)."""
    for path in ("/usr/bin/chromium", shutil.which("chromium")):
        if path and os.access(path, os.X_OK):
            return path
    return None


@contextmanager
def browser_page(executable: str) -> Iterator:
    """A fresh headless chromium page.

    Playwright's sync API runs an event loop in this thread, so Django refuses ORM calls made
    here while the page is open (SynchronousOnlyOperation): query the database before or after
    the ``with`` block.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()
