"""A Redis cache that degrades instead of failing: for data kept in Redis only to be read
faster (sessions under `cached_db`, whose database copy is the record).

With Redis down, Django's RedisCache raises on every call, and `cached_db` sessions would turn
every logged-in page into an error page. Here a call that cannot reach Redis is logged and
answered as a miss (a read finds nothing, a write keeps nothing), so `cached_db` reads and
writes the database alone until Redis is back. Subclassing RedisCache and overriding its
public methods is the documented way to change a backend's behaviour.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _tolerate(call, default, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except (RedisError, OSError) as error:
        logger.warning("cache unreachable, answered as a miss: %s", error)
        return default


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        return _tolerate(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return _tolerate(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return _tolerate(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _tolerate(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _tolerate(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return _tolerate(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return _tolerate(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return _tolerate(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return _tolerate(super().delete_many, None, keys, version)
