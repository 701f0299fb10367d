"""The TypeScript types generated from docs/openapi.yaml type-check the usage example in sdk/ts/.

sdk/typescript.sh installs the pinned openapi-typescript and typescript (sdk/ts/package-lock.json)
into build/ts/, generates build/ts/schema.d.ts and runs `tsc --noEmit -p sdk/ts`. Skipped when
node or npm is missing, or when npm cannot install the packages at all.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import REPO, clean_env

pytestmark = pytest.mark.slow

# sdk/typescript.sh's exit status when npm cannot install the packages.
CANNOT_INSTALL = 3


def test_usage_example_type_checks_against_types_generated_from_the_schema():
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not on PATH: install Node.js 18+ with npm to run this check")

    result = subprocess.run(
        ["bash", "sdk/typescript.sh"],
        cwd=REPO,
        env=clean_env(
            PATH=f"{Path(sys.executable).parent}:{clean_env()['PATH']}",
            # npm's and node's own settings (registry, CA bundle) from the environment, if any.
            **{k: v for k, v in os.environ.items() if k.startswith(("NODE_", "npm_config_"))},
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )

    if result.returncode == CANNOT_INSTALL:
        pytest.skip(f"npm cannot install sdk/ts/package-lock.json (no registry?):\n{result.stdout[-2000:]}")
    assert result.returncode == 0, result.stdout
    assert "type-checks against" in result.stdout
