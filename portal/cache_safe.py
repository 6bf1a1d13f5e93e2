"""The shared cache as an optimisation that can fail: errors are logged and ignored.

Redis going away must slow the site down, not take it down: every cache call
the portal makes goes through call(), which answers `default` when the cache
backend raises.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def call(operation, *args, default=None, **kwargs):
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except Exception:  # any backend error (connection, timeout, serialisation) is survivable
        logger.warning("cache %s failed; going on without the cache", operation, exc_info=True)
        return default
