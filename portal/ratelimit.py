"""A fixed-window counter per client address, in the shared cache (public forms' anti-abuse)."""

import logging

from django.core.cache import cache

from portal import cache_safe
from portal.client_ip import client_ip

logger = logging.getLogger(__name__)


def over_limit(request, scope, limit, window):
    """Count this attempt; True when the address made more than `limit` within `window` seconds."""
    key = f"rate:{scope}:{client_ip(request)}"
    cache_safe.call("add", key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache_safe.call("set", key, 1, window)
        count = 1
    except Exception:  # without a cache there is no counter: let the request through
        logger.warning("rate limit not checked: the cache is unavailable", exc_info=True)
        return False
    return count > limit
