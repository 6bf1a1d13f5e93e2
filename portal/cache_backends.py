"""Django's Redis cache, made to survive Redis going away.

Wagtail and Django read the cache on every request (site root paths, the
portal's header and footer, rate limits). With the stock backend an
unreachable Redis turns every page into a 500; this one logs the error and
answers as an empty cache would, so the site runs uncached until Redis is
back. Only connection-level errors are absorbed: a ValueError from incr() on
a missing key keeps its meaning.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What an empty cache answers, per operation.
FALLBACKS = {
    "get": lambda *args, **kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "add": lambda *args, **kwargs: False,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


def resilient(name, method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError):
            logger.warning("cache %s failed; going on without the cache", name, exc_info=True)
            return FALLBACKS[name](*args, **kwargs)

    return wrapper


def resilient_incr(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError):
            logger.warning("cache incr failed; going on without the cache", exc_info=True)
            raise ValueError("cache unavailable") from None

    return wrapper


class ResilientRedisCache(RedisCache):
    pass


for _name in FALLBACKS:
    setattr(ResilientRedisCache, _name, resilient(_name, getattr(RedisCache, _name)))
ResilientRedisCache.incr = resilient_incr(RedisCache.incr)
ResilientRedisCache.decr = resilient_incr(RedisCache.decr)
