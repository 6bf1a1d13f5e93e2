"""The public search's page ranking on PostgreSQL, in one statement over Wagtail's index.

Wagtail's backend ranks every match with both of its vectors, title and
body. A word found in most documents ("programme", "Maroc" on a Moroccan
tech portal) then costs a rank over the body of nearly every page: 160 ms
of SQL on 10,000 articles. Here:

1. the matches come through migration 0011's index on `title || body`:
   the search query is a CTE the planner cannot see into, so it expects
   few matches and reads the index, where with the query's text in view
   it would read the whole table and concatenate each row's two vectors
   (120 ms; it does not count what the concatenation costs);
2. they are cut to the public, live pages of the types asked for, in the
   locale asked for or, where they have no translation into it, in French
   (as listings show them, portal.core.i18n), then to the CANDIDATES best by title rank (a page whose title has
   the words first, then the entries indexed last), which reads small vectors;
3. only those candidates are ranked like Wagtail ranks (same weights,
   title rank times the entry's title norm, plus body rank), except that
   the title rank counts TITLE_WEIGHT times, as on SQLite
   (portal.sitewide.search_backend): with Wagtail's formula a legal page
   naming "startup" ten times came before the article titled with it.

With CANDIDATES matches or fewer, the matches are Wagtail's own. Other
databases use the backend (portal.sitewide.search).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import get_page_models

from portal.core.visibility import restricted_paths
from portal.sitewide.search_backend import TITLE_WEIGHT

# Matches kept for the full ranking; up to this many, every match is ranked.
CANDIDATES = 1000
# modelsearch's PostgreSQL backend ranks with these weights (D, C, B, A).
RANK_WEIGHTS = "{0.2,0.3,0.5,1.0}"

RANKING_SQL = """
WITH query AS (SELECT plainto_tsquery(%(config)s::regconfig, %(terms)s) AS q),
matches AS MATERIALIZED (
    SELECT e.id, e.object_id, ts_rank(%(weights)s::float4[], e.title, query.q) AS title_rank
    FROM wagtailsearch_indexentry e, query
    WHERE (e.title || e.body) @@ query.q AND e.content_type_id = ANY(%(types)s::integer[])
),
candidates AS MATERIALIZED (
    SELECT m.id, p.id AS page_id, p.title, p.content_type_id
    FROM matches m JOIN wagtailcore_page p ON p.id::text = m.object_id
    WHERE p.live AND p.content_type_id = ANY(%(types)s::integer[])
      AND NOT p.path LIKE ANY(%(restricted)s::text[])
      AND (p.locale_id = %(locale)s OR (p.locale_id = %(default_locale)s AND p.translation_key NOT IN (
          SELECT t.translation_key FROM wagtailcore_page t
          WHERE t.locale_id = %(locale)s AND t.live AND NOT t.path LIKE ANY(%(restricted)s::text[]))))
    ORDER BY m.title_rank DESC, m.id DESC
    LIMIT %(candidates)s
)
SELECT c.page_id, c.title, c.content_type_id,
       ts_rank(%(weights)s::float4[], e.title, query.q) * e.title_norm * %(title_weight)s
       + ts_rank(%(weights)s::float4[], e.body, query.q) AS score
FROM candidates c JOIN wagtailsearch_indexentry e ON e.id = c.id, query
ORDER BY score DESC, c.page_id DESC
LIMIT %(limit)s
"""


def available():
    """True when pages are indexed in PostgreSQL's tables by portal.sitewide.search_backend (not, say, OpenSearch)."""
    backend = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("BACKEND")
    return connection.vendor == "postgresql" and backend == "portal.sitewide.search_backend"


def content_type_ids(models):
    """Content types of these page models and of their subclasses, as PageQuerySet.type() finds them."""
    classes = [model for model in get_page_models() if issubclass(model, tuple(models))]
    return sorted(ct.pk for ct in ContentType.objects.get_for_models(*classes, for_concrete_models=False).values())


def ranked_pages(terms, models, locale, limit, default_locale=None):
    """[(page id, title, content type id, score)] of the public live pages of `models` visible in `locale`
    (in it, or in default_locale without a translation into it: portal.core.i18n) matching every
    term: `terms` are keys of portal.core.search_analysis."""
    if not terms.strip():
        return []
    params = {
        "config": settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG") or "simple",
        "terms": terms,
        "types": content_type_ids(models),
        "locale": locale.pk,
        "default_locale": (default_locale or locale).pk,
        # Wagtail's tree paths are made of digits and capitals: no LIKE wildcard in them.
        "restricted": [path + "%" for path in restricted_paths()],
        "weights": RANK_WEIGHTS,
        "candidates": CANDIDATES,
        "title_weight": TITLE_WEIGHT,
        "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(RANKING_SQL, params)
        return cursor.fetchall()
