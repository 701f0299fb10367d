"""Local commands need no typed settings: `make run` writes a `.env` every manage.py reads.

Both sides: a checkout with the `.env` that make writes runs in development (DEBUG on, its own
secret key) without anything typed before ``manage.py``; without one, or when the environment
says otherwise, the production rules hold (no start without SECRET_KEY and ALLOWED_HOSTS). The
file stays out of git and out of the image. Each command runs in a subprocess with a clean
environment; the `.env` is written to a temporary path through ``ENV_FILE``, never the checkout's.
"""

import fnmatch
import json
import subprocess
import sys

import pytest

from tests.processes import REPO, clean_env, write_dotenv

SETTINGS_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'DEBUG': settings.DEBUG, 'SECRET_KEY': settings.SECRET_KEY, "
    "'ALLOWED_HOSTS': settings.ALLOWED_HOSTS}))"
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py`` with nothing in its environment but ``env`` (no DEBUG, no SECRET_KEY)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded_settings(**env: str) -> dict:
    """DEBUG, SECRET_KEY and ALLOWED_HOSTS as briefing.settings loads them with ``env``."""
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=REPO,
        env=clean_env(DJANGO_SETTINGS_MODULE="briefing.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def dotenv(tmp_path):
    """A `.env` written by the Makefile rule, in a temporary directory."""
    path = tmp_path / ".env"
    result = write_dotenv(path)
    assert result.returncode == 0, result.stdout + result.stderr
    return path


def test_make_writes_a_dotenv_with_debug_on_and_a_secret_key_of_its_own(dotenv, tmp_path):
    other = tmp_path / "other.env"
    write_dotenv(other)

    variables = dict(
        line.split("=", 1) for line in dotenv.read_text().splitlines() if line and not line.startswith("#")
    )
    assert variables.keys() == {"DEBUG", "SECRET_KEY"}
    assert variables["DEBUG"] == "true"
    assert len(variables["SECRET_KEY"]) >= 50
    assert variables["SECRET_KEY"] != other.read_text().splitlines()[-1].split("=", 1)[1]


def test_make_keeps_an_existing_dotenv(dotenv):
    before = dotenv.read_text()

    result = write_dotenv(dotenv)

    assert result.returncode == 0
    assert dotenv.read_text() == before


def test_manage_py_runs_with_the_dotenv_and_nothing_typed(dotenv):
    result = manage("check", ENV_FILE=str(dotenv))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_from_the_dotenv_are_development_settings(dotenv):
    secret = dotenv.read_text().splitlines()[-1].split("=", 1)[1]

    assert loaded_settings(ENV_FILE=str(dotenv)) == {
        "DEBUG": True,
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],
    }


def test_the_environment_wins_over_the_dotenv(dotenv):
    # DEBUG off from the environment: the production rules apply although the file says true.
    result = manage("check", ENV_FILE=str(dotenv), DEBUG="false")

    assert result.returncode == 1
    assert result.stderr == (
        "ImproperlyConfigured: ALLOWED_HOSTS must be set when DEBUG is off. For development in a "
        "checkout, `make .env` (or `make run`) writes a .env with DEBUG=true.\n"
    )


def test_without_a_dotenv_manage_py_refuses_in_one_line_naming_the_fix(tmp_path):
    result = manage("check", ENV_FILE="")

    assert result.returncode == 1
    assert result.stderr == (
        "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off. For development in a "
        "checkout, `make .env` (or `make run`) writes a .env with DEBUG=true.\n"
    )


def test_an_env_file_that_is_not_there_is_an_error(tmp_path):
    result = manage("check", ENV_FILE=str(tmp_path / "missing.env"))

    assert result.returncode == 1
    assert (
        result.stderr
        == f"ImproperlyConfigured: ENV_FILE names {tmp_path / 'missing.env'}, which is not a file.\n"
    )


def test_the_dotenv_is_ignored_by_git_and_left_out_of_the_image():
    ignored_by_git = subprocess.run(["git", "check-ignore", "--quiet", ".env"], cwd=REPO, timeout=30)
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert ignored_by_git.returncode == 0
    assert any(fnmatch.fnmatch(".env", pattern) for pattern in patterns)
