"""A fixed-window counter per client address, in the shared cache (public forms' anti-abuse)."""

from django.core.cache import cache

from portal.client_ip import client_ip


def over_limit(request, scope, limit, window):
    """Count this attempt; True when the address made more than `limit` within `window` seconds."""
    key = f"rate:{scope}:{client_ip(request)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr (or the cache is unavailable: then no counter)
        cache.set(key, 1, window)
        count = 1
    return count > limit
