"""Values cached until what they show changes: listings, counts, links, breadcrumbs."""

import hashlib

from portal.core.cache import tags as cache_tags
from portal.core.cache.release import release_id


def versioned_key(kind, *parts):
    """The cache key of `parts` (see cached_value), in this release's own space (portal.core.cache.release)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in (release_id(), *parts)).encode()).hexdigest()[:32]
    return f"portal:{kind}:{digest}"


def cached_value(kind, parts, compute, shows=(), timeout=cache_tags.DEFAULT_TIMEOUT, keep=None):
    """compute()'s result, cached until what it shows changes (portal.core.cache.tags).

    For what a page shows that only content changes can change: a listing,
    its count, the links to a page's translations, breadcrumbs. The value
    must pickle and must not depend on who asks; `kind` and `parts` name it.
    It depends on the pages and records compute() loads, and on what
    `shows` names: the models whose pages or records it lists or counts
    (any of them added, removed or changed may change it), pages or
    records it shows without loading them. What time alone changes (an
    event no longer upcoming) passes a shorter timeout. keep(value) false:
    returned but not stored (what a visitor can make up, an unknown tag).
    """
    return cache_tags.cached(versioned_key(kind, *parts), compute, tags=shows, timeout=timeout, keep=keep)
