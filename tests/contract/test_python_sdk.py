"""The generated Python client works against the live API: sdk/check_client.py passes.

The client is generated from docs/openapi.yaml by sdk/generate.sh (cached under build/ until the
schema or the pins change) and run from its own venv, so nothing of the app is importable there:
the program talks to gunicorn through the generated code only.
"""

import subprocess

import pytest

from tests.processes import REPO

pytestmark = pytest.mark.slow


def test_generated_python_client_passes_every_check_against_the_live_api(python_sdk, live_api):
    result = subprocess.run(
        [
            str(python_sdk),
            "sdk/check_client.py",
            "--base-url",
            live_api.base_url,
            "--editor-token",
            live_api.tokens["editor"],
            "--superuser-token",
            live_api.tokens["superuser"],
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, (
        f"{result.stdout}\n-- server errors --\n{live_api.server_errors()}\n-- {live_api.kind} --\n"
        f"{live_api.server.log_tail()}"
    )
    assert "all checks passed" in result.stdout
