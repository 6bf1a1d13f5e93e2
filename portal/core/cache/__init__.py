"""Everything the portal caches for visitors, behind one door (docs/architecture.md, "Caching").

Apps and features use this module's names, and nothing else of the package:

- ``cached_value(kind, parts, compute, shows=())``: a value (a listing, a
  count, links) cached until what it shows changes. It depends on the
  pages and records compute() loads, and on what ``shows`` names.
- ``depends_on(*things)``: the page, fragment or value being computed shows
  these. A model class stands for its listings (any of its pages or
  records added, removed or changed); a page or record for itself.
- ``children_of(page)``, ``translations_of(page)``: for ``depends_on`` and
  ``shows``, the live pages under ``page`` (menus) and its translations.
- ``depends_on_text(*models)``: it matches these pages on their text (search).
- ``RESTRICTIONS``: for ``depends_on`` and ``shows``, the private pages'
  restrictions, for a value keyed by name whose queries leave private pages out.
- ``invalidate(*things)``: drop what shows these, after a change made
  without Django's signals; ``purge()``: drop everything.
- ``request_memo()``: a dict that lives as long as the current request
  (what one request computes once for all its parts), None outside one.
- ``CacheUnavailable``: what the shared cache raises while Redis is down
  (the rate limits then count in the database instead).
- ``cache_bypassed()``: true while the admin renders a preview or a
  revision, which neither reads nor fills any cache.

Templates use ``{% cached_fragment %}`` and ``{% cards %}`` (portal_tags);
cached listings with pagination are in portal.core.pagination. The
middlewares (settings.MIDDLEWARE) cache whole anonymous pages
(page_cache), Wagtail's routes (routing) and each request's reads (tags).
Saves, publishes, moves and deletes invalidate by themselves (tags.connect).

Inside: tags.py (dependencies, generations, signals), values.py, page_cache.py,
routing.py, release.py (the release digest that keys every value) and
backends.py (Redis with a circuit breaker: a cache outage serves uncached).
This package imports no app.
"""

from portal.core.cache.backends import CacheUnavailable
from portal.core.cache.tags import (
    RESTRICTIONS,
    children_of,
    depends_on,
    depends_on_text,
    invalidate,
    purge,
    request_memo,
    translations_of,
)
from portal.core.cache.tags import is_bypassed as cache_bypassed
from portal.core.cache.values import cached_value

__all__ = [
    "RESTRICTIONS",
    "CacheUnavailable",
    "cache_bypassed",
    "cached_value",
    "children_of",
    "depends_on",
    "depends_on_text",
    "invalidate",
    "purge",
    "request_memo",
    "translations_of",
]
