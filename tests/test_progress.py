"""`make test` shows progress: each slow test gets a line as it starts and its duration after."""

import re

import pytest

from tests.processes import REPO

pytest_plugins = ["pytester"]

TESTS = """
import pytest

def test_quick():
    pass

@pytest.mark.slow
def test_long():
    pass
"""


def test_make_test_loads_the_progress_plugin_and_lists_the_slowest_tests():
    recipe = (REPO / "Makefile").read_text().split("\ntest:", 1)[1].split("\n\n", 1)[0]

    assert "-p tests.progress" in recipe
    assert "--durations=" in recipe


@pytest.mark.parametrize("options", [[], ["-q"]])
def test_a_slow_test_is_announced_with_the_time_and_its_duration(pytester, monkeypatch, options):
    pytester.makeini("[pytest]\nmarkers = slow: a slow test\n")
    pytester.makepyfile(test_sample=TESTS)
    monkeypatch.setenv("PYTHONPATH", str(REPO))

    result = pytester.runpytest_subprocess(
        "-p", "tests.progress", "-p", "no:django", "-p", "no:cacheprovider", *options
    )

    assert result.ret == 0
    output = result.stdout.str()
    assert re.search(
        r"^\[\d\d:\d\d:\d\d\] test_sample\.py::test_long\n\. \d+ s +\[100%\]$", output, re.MULTILINE
    ), output
    assert "test_sample.py::test_quick" not in output
