"""common.cache.RedisStore (the figures store and, tolerant, the sessions' cache) keeps the
cache API's meaning with one redis-py client per backend: values round-trip pickled, timeouts
expire or keep, add does not overwrite, a missing key is the default; the tolerant one answers
an unreachable Redis as a miss."""

import os
import secrets

import pytest

from common.cache import RedisStore, TolerantRedisStore

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"
)


def store(cls=RedisStore, location=None):
    params = {
        "KEY_PREFIX": f"test-cache-{secrets.token_hex(4)}",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    return cls(location or os.environ.get("REDIS_URL", ""), params)


@needs_redis
def test_the_cache_api_round_trips_through_one_client():
    cache = store()
    assert cache.client is cache.client  # one client, built once
    assert cache.get("missing", "default") == "default"
    cache.set("k", {"a": (1, "二")}, timeout=60)
    assert cache.get("k") == {"a": (1, "二")}
    assert cache.add("k", "other") is False and cache.get("k") == {"a": (1, "二")}
    assert cache.add("new", 5) is True and cache.get("new") == 5
    assert cache.get_many(["k", "new", "missing"]) == {"k": {"a": (1, "二")}, "new": 5}
    assert cache.has_key("k") and not cache.has_key("missing")
    assert cache.touch("k", 30) and cache.client.ttl(cache.make_key("k")) <= 30
    assert cache.touch("k", None) and cache.client.ttl(cache.make_key("k")) == -1
    cache.set("gone", 1, timeout=0)  # a timeout of 0 keeps nothing
    assert cache.get("gone") is None
    cache.set_many({"x": 1, "y": 2}, timeout=60)
    cache.delete_many(["x", "y", "new"])
    assert cache.get_many(["x", "y", "new"]) == {}
    assert cache.delete("k") is True and cache.get("k") is None


def test_the_tolerant_store_answers_an_unreachable_redis_as_a_miss():
    cache = store(TolerantRedisStore, "redis://127.0.0.1:1/0")  # nothing listens there
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is None
    assert cache.get_many(["k"]) == {}
    assert cache.delete("k") is False
