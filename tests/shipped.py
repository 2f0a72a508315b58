"""The shipped data (fixtures/*.json: the unit registry and the 2022 plan) loaded once per test
database instead of once per test class.

On PostgreSQL the first class that needs it clones the (empty, migrated) test database with
Django's own `clone_test_db` (CREATE DATABASE … TEMPLATE) into `<test database>_shipped` and
loads the fixtures there, committed, once. A class on the shipped data (`ShippedDataTestCase` in
tests/base.py) points the connection at that clone for its duration; its class transaction and
each test's savepoint roll back as usual, so the classes share the data and never see each
other's writes. Everything else keeps the empty test database: tests that import a plan or set
up a district from nothing, and the transactional tests, whose flush therefore never removes
the shipped data. The clone is dropped at the end of the session (tests/conftest.py).

Elsewhere (SQLite) there is no clone: each class loads the fixtures in its transaction, as
Django does.
"""

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from .helpers import ALL_FIXTURES

FIXTURES = frozenset(ALL_FIXTURES)
SUFFIX = "shipped"


class _State:
    name: str | None = None  # the clone's name once it holds the data
    home: str | None = None  # the test database's name while a class is on the clone


STATE = _State()


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def available() -> bool:
    return _connection().vendor == "postgresql"


def database() -> str:
    """The clone holding the shipped data, made and loaded on the first call."""
    if STATE.name is None:
        connection = _connection()
        creation = connection.creation
        creation.clone_test_db(suffix=SUFFIX, verbosity=0)
        name = creation.get_test_db_clone_settings(SUFFIX)["NAME"]
        enter(name)
        try:
            call_command("loaddata", *ALL_FIXTURES, verbosity=0)
        finally:
            leave()
        STATE.name = name
    return STATE.name


def enter(name: str) -> None:
    """Points the default connection (and every thread's, they share the settings) at `name`."""
    connection = _connection()
    assert STATE.home is None, "already on the shipped database"
    connection.close()
    STATE.home = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name


def leave() -> None:
    """Back to the test database."""
    if STATE.home is None:
        return
    connection = _connection()
    connection.close()
    connection.settings_dict["NAME"], STATE.home = STATE.home, None


def drop() -> None:
    """Drops the clone (end of the session)."""
    if STATE.name is not None:
        leave()
        _connection().creation.destroy_test_db(suffix=SUFFIX, verbosity=0)
        STATE.name = None
