"""bin/test's parallel run keeps each group of tests on one worker (tests/conftest.py): a
class, a module's functions, the browser scenarios that share state. pytest-xdist does it by
suffixing each test's node id with its group; if a pytest upgrade stops honouring that (pytest
9 did, with xdist 3.8), groups are silently split and scenarios lose what earlier ones left."""

import os

import pytest


def test_under_xdist_every_test_carries_its_group_to_the_scheduler(request):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("not running under pytest-xdist")
    assert request.node.nodeid.endswith("@tests/test_xdist_groups.py"), request.node.nodeid
