"""Values cached until what they were made of changes: listings, counts, links, breadcrumbs."""

import hashlib

from portal.core.cache import tags as cache_tags
from portal.core.cache.release import release_id


def versioned_key(kind, *parts):
    """The cache key of `parts` (see versioned), in this release's own space (portal.core.cache.release)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in (release_id(), *parts)).encode()).hexdigest()[:32]
    return f"portal:{kind}:{digest}"


def versioned(kind, parts, compute, timeout=cache_tags.DEFAULT_TIMEOUT, tags=(), tables=True, keep=None):
    """compute()'s result, cached until what it was made of changes (portal.core.cache.tags).

    For what a page shows that only content changes can change: a listing,
    its count, the links to a page's translations, breadcrumbs. The value
    must pickle and must not depend on who asks. With tables=True (for
    listings) it depends on every kind of page or record its queries read;
    `tags` adds what the queries cannot tell. What time alone changes (an
    event no longer upcoming) passes a shorter timeout.
    """
    return cache_tags.cached(
        versioned_key(kind, *parts), compute, tags=tags, timeout=timeout, tables=tables, keep=keep
    )
