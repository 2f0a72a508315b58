"""Settings read from the environment fail loudly on values they cannot understand."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_list, env_str


def test_it_reads_booleans_and_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_it_reads_integers_with_a_minimum(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    assert env_int("X_INT", 1) == 12
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "5")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("X_INT", 1, minimum=10)


def test_it_requires_a_value_without_a_default(monkeypatch):
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED"):
        env_str("X_REQUIRED")


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, b.example ,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


def test_it_parses_postgres_urls():
    db = database_from_url("postgres://u%40x:p%2Fw@db.local:6543/dudu?sslmode=require")
    assert db["ENGINE"] == "common.postgresql"  # Django's, subclassed (common/postgresql)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "u@x",
        "p/w",
        "db.local",
        "6543",
        "dudu",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True  # pgbouncer-ready, no cursor per <select>


def test_it_parses_sqlite_urls():
    assert database_from_url("sqlite:////abs/db.sqlite3")["NAME"] == "/abs/db.sqlite3"
    assert database_from_url("sqlite:///var/db.sqlite3")["NAME"] == "var/db.sqlite3"


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/db", "postgres://localhost", "postgres://h:notaport/db", "sqlite://"],
)
def test_it_rejects_bad_database_urls(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_json_logs_carry_the_request_path_but_no_cookies_or_body():
    import json
    import logging

    from django.test import RequestFactory

    from config.logging import JsonFormatter

    request = RequestFactory().post(
        "/login/", {"password": "s3cret"}, HTTP_COOKIE="sessionid=abcdef123456"
    )
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s", ("/login/",), None
    )
    record.request = request
    record.status_code = 400
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["path"] == "/login/" and entry["status_code"] == 400
    assert "s3cret" not in line and "abcdef123456" not in line
