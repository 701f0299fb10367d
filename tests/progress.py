"""A pytest plugin for `make test` (``-p tests.progress``): which slow test runs, since when, how long.

A quiet run prints one letter per test, so a test that takes minutes (the contract fuzzing,
the image recipe, the database faults) looks like a hung suite. Each test marked ``slow`` gets
a line as it starts, with the time of day, and its duration (fixtures included) after its
letter when it ends.
"""

import time

import pytest

_SLOW = pytest.StashKey[set]()
_started: dict[str, float] = {}
# The log hooks are not given the config; pytest_configure keeps it here.
_CONFIG: list = []


def pytest_collection_modifyitems(session, config, items):
    """Remember which tests are marked slow (the log hooks see only node ids)."""
    config.stash[_SLOW] = {item.nodeid for item in items if item.get_closest_marker("slow")}


@pytest.hookimpl(trylast=True)
def pytest_runtest_logstart(nodeid, location):
    """A line of its own for a slow test as it starts."""
    config = _config()
    if config is None or nodeid not in config.stash.get(_SLOW, set()):
        return
    _started[nodeid] = time.monotonic()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    # With -q the dots have no file name before them, and write_line would not break their line.
    if reporter._tw.width_of_current_line and not reporter.currentfspath:
        reporter.write("\n")
    reporter.write_line(f"[{time.strftime('%H:%M:%S')}] {nodeid}")


@pytest.hookimpl(trylast=True)
def pytest_runtest_logfinish(nodeid, location):
    """The slow test's duration, after its letter."""
    config = _config()
    if config is None or nodeid not in _started:
        return
    seconds = time.monotonic() - _started.pop(nodeid)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    reporter.write(f" {seconds:.0f} s ")
    reporter.flush()


def pytest_configure(config):
    """Keep the config for the log hooks, which are not given it."""
    _CONFIG[:] = [config]


def _config():
    return _CONFIG[0] if _CONFIG else None
