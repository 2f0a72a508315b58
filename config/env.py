"""Typed readers for settings that come from the environment.

Each reader fails loudly (ImproperlyConfigured, naming the variable) on a value it cannot
understand, so a typo in a deployment file stops the process instead of silently falling
back to a default.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_weights(name: str, default: dict[str, float]) -> dict[str, float]:
    """Numbers by name, "on_time=40,pace=60", over `default` (keys not named keep theirs);
    an unknown key or a value that is not a number is refused."""
    value = os.environ.get(name)
    weights = dict(default)
    if value is None:
        return weights
    for item in filter(None, (part.strip() for part in value.split(","))):
        key, sep, number = (s.strip() for s in item.partition("="))
        if not sep or key not in default:
            raise ImproperlyConfigured(f"{name}: {item!r} is not one of {', '.join(default)}=N.")
        try:
            weights[key] = float(number)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {number!r} is not a number.") from None
    return weights


def database_from_url(url: str, *, name: str = "DATABASE_URL") -> dict:
    """Turn postgres://user:pass@host:port/db?opt=v or sqlite:///path into a DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as dj-database-url reads them
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path:
            raise ImproperlyConfigured(f"{name}={url!r} names no SQLite file.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}={url!r}: unsupported scheme {parts.scheme!r} (use postgres:// or sqlite://)."
        )
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name:
        raise ImproperlyConfigured(f"{name}={url!r} names no database.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={url!r} has a bad port.") from None
    return {
        # Django's, with a health check that needs no round trip while the connection is quiet.
        "ENGINE": "common.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        # 0 behind pgbouncer in transaction mode (DB_CONN_MAX_AGE=0).
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        "CONN_HEALTH_CHECKS": True,
        # .iterator() (a form's <select> choices) would DECLARE a cursor WITH HOLD per list:
        # three round trips for a list of 88 units. Client-side cursors are also what
        # pgbouncer in transaction mode needs. Nothing here streams a result too big for memory.
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
