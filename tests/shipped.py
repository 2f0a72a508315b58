"""The shipped data (fixtures/*.json: the unit registry and the 2022 plan) loaded once per test
database instead of once per test class.

On PostgreSQL the session clones the test database right after creating it (migrated and
empty) with Django's own `clone_test_db` (CREATE DATABASE … TEMPLATE) into
`<test database>_shipped`; the first class that needs the data loads the fixtures there,
committed, once. A class on the shipped data (`ShippedDataTestCase` in
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
    name: str | None = None  # the clone, made right after the test database (pristine)
    loaded: bool = False  # the shipped data is in it (on the first class that needs it)
    home: str | None = None  # the test database's name while a class is on the clone


STATE = _State()


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def available() -> bool:
    return STATE.name is not None


def prepare() -> None:
    """Clones the test database just made (migrated, before any test could flush it)."""
    connection = _connection()
    if connection.vendor != "postgresql" or STATE.name is not None:
        return
    connection.creation.clone_test_db(suffix=SUFFIX, verbosity=0)
    STATE.name = connection.creation.get_test_db_clone_settings(SUFFIX)["NAME"]


def database() -> str:
    """The clone, with the shipped data loaded (and committed) on the first call."""
    assert STATE.name is not None, "prepare() first (PostgreSQL only)"
    if not STATE.loaded:
        enter(STATE.name)
        try:
            call_command("loaddata", *ALL_FIXTURES, verbosity=0)
        finally:
            leave()
        STATE.loaded = True
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
        STATE.name, STATE.loaded = None, False
