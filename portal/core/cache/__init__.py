"""Everything the portal caches for visitors, and how it is dropped (docs/architecture.md, "Caching").

- tags.py: values stored with the tags of what they were made of; `depends_on`,
  `depends_on_kind`, `bump`, `bump_all`, and the signal handlers that bump.
- values.py: `versioned(kind, parts, compute)`, a value cached until what it was
  made of changes, keyed in this release's space.
- page_cache.py: whole anonymous pages (the middleware; previews, sessions and
  forms with a CSRF token never stored).
- routing.py: Wagtail's route and site answered from the cache (the middleware).
- release.py: the release digest that keys every value.
- backends.py: Redis with a circuit breaker, so that a cache outage serves uncached.

This package imports no app; apps and features import from its modules.
"""
