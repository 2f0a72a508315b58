"""The cache and broker definitions settings.py builds CACHES and Celery's broker from (no app
code is imported here).

Derived figures (task states, duties, trends; tasks.revision) are kept in a cache every worker
and host shares, keyed by the data revision: Redis when REDIS_URL is set (FIGURES_REDIS_URL for
another instance), else files under VAR_DIR/figures (zero setup, shared by the processes of one
machine). "locmem" is per process (tests).

Sessions (SESSION_STORE=cache) are read from Redis and written through to the database by
`cached_db`, so a Redis restart only costs a database read per session; an unreachable Redis is
answered as a miss (common/cache.py), so sessions fall back to the database instead of every
logged-in page failing.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import ensure_dir


def figures_cache(kind: str, redis_url: str, var_dir: Path) -> dict:
    if kind == "redis":
        if not redis_url:
            raise ImproperlyConfigured("FIGURES_CACHE=redis needs REDIS_URL or FIGURES_REDIS_URL")
        return {
            "BACKEND": "common.cache.RedisStore",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    if kind == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(ensure_dir(var_dir / "figures")),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if kind == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "figures",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    raise ImproperlyConfigured(f"FIGURES_CACHE must be redis, file or locmem, not {kind!r}")


def session_cache(redis_url: str) -> dict:
    return {
        "BACKEND": "common.cache.TolerantRedisStore",
        "LOCATION": redis_url,
        "KEY_PREFIX": "session",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def broker(redis_url: str, var_dir: Path) -> tuple[str, dict]:
    """Celery's broker URL and transport options: Redis when configured, else a broker that
    needs no server (messages are files under VAR_DIR/celery/)."""
    if redis_url:
        return redis_url, {
            "visibility_timeout": 3600,
            "socket_connect_timeout": 2,
            "socket_timeout": 10,
        }
    queue = ensure_dir(var_dir / "celery" / "queue")
    return "filesystem://", {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(ensure_dir(var_dir / "celery" / "processed")),
        "store_processed": False,
        "control_folder": str(ensure_dir(var_dir / "celery" / "control")),
    }
