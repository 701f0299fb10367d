"""Test settings: the site settings with only what tests must change."""

import os
import tempfile

# The suite is hermetic: a checkout's development .env (DEBUG on) must not change what it tests.
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from briefing.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client speaks plain HTTP, and tests run without collectstatic: templates use plain
# static URLs and WhiteNoise finds the files in the apps, as in development.
SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The suite sends far more requests than any client may; throttling has its own tests.
API_THROTTLE_RATES = {"anon": "off", "user": "off"}
# The suite's data is its own copy of the seed article, never the shipped (growing) fixture set.
FIXTURE_ARTICLES_DIR = BASE_DIR / "tests" / "data" / "articles"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as `make run` uses: an in-memory database shares one cache between connections and
    # answers a second writer "table is locked" at once instead of letting it wait its turn.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"briefing-test-{os.getpid()}.sqlite3")
    }
# Tests share one database transaction per test, where commits (and so the data version) never
# advance: the response cache has its own tests, which turn it on.
RESPONSE_CACHE = False
