"""Page routing and view restrictions answered from the shared cache.

To serve /fr/actualites/<slug>/, Wagtail finds the site (1 query), the active
locale (1), the localized root's specific page (1), then a child and its
specific page per level (2 each), then the page's ancestors and their view
restrictions (2), and every `.public()` listing asks for all restrictions
again (1 each): nine queries before an article renders a line. All of it
changes only when the pages on the way are published, unpublished, moved
or deleted, or when a site or a view restriction is saved. So the answers
are cached with the tags of what they were made of (portal.core.cache.tags):

- the Site for a host and port;
- for (site, language, path): the page itself, loaded with what it shows of
  its relations (prepare_for_display), and the part of the path its own
  routes serve (rss/, ical/, organisations/<slug>/…). A hit costs one small
  query: the page's row is checked to be still live and at the same
  revision, so that a change made without signals (a bulk update) is never
  hidden behind the cached copy;
- the paths of restricted pages, so that public() and a page's view
  restriction check cost no query when nothing above it is restricted.

A miss, a stale entry or anything unexpected falls back to Wagtail's own
routing. Not-found paths are never cached (anyone can make up new ones).
"""

from django.db import connections, router
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve

from portal.core.cache import tags as cache_tags
from portal.core.cache.values import versioned_key


def _site_for(request):
    # Private APIs, on purpose (tests/portal/core/test_private_apis.py breaks if they change):
    # Django's _get_raw_host() is the Host header without the ALLOWED_HOSTS check,
    # which get_host() runs again later for the view; Wagtail's Site._find_for_request()
    # is find_for_request() without the per-request memo this cache stands in for.
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = versioned_key("site", hostname, port)
    site = cache_tags.fetch(key)
    if site is cache_tags.MISS:
        site = Site._find_for_request(request)
        if site is None:
            return None
        # Any save of a site bumps every tag's "global" (portal.core.cache.tags).
        cache_tags.store(key, site, ())
    return site


def _cached_route(request, site, path):
    key = versioned_key("route", site.pk, translation.get_language(), path)
    entry = cache_tags.fetch(key)
    if entry is not cache_tags.MISS:
        result = _route_from_entry(entry)
        if result is not None:
            return result
    clock = cache_tags.start_clock()
    # Only the pages on the way and what the page shows of its relations
    # count (post_init tags them): a page moved, renamed or unpublished bumps
    # its own tag and those of the pages below it.
    with cache_tags.collecting() as tags:
        result = Page.route_for_request(request, path)
        if result is not None:
            page = result[0]
            remaining = [part for part in path.split("/") if part][page.depth - site.root_page.depth :]
            # A route of the page's own (a feed, an organisation) shows other things.
            prepare_for_display(page, full=not remaining)
    if result is not None:
        cache_tags.store(key, (page, remaining), tags, clock=clock)
    return result


def prepare_for_display(page, full=True):
    """Load what the page shows of itself, so that the cached copy serves it without a query.

    Its locale, its parent (the section it is listed in) and, with full=True,
    the foreign keys named in the model's `display_related` and the lookups
    in its `display_prefetch`; then the model's own prepare_for_display(),
    if any, for what is not a plain relation (a memoised method).
    """
    page.locale  # noqa: B018 (loads and keeps it)
    if page.depth > 2:  # below a home page: the section it is in (treebeard keeps it on the instance)
        page.get_parent()
    if not full:
        return
    for name in getattr(page, "display_related", ()):
        getattr(page, name)
    prefetch_related_objects([page], *getattr(page, "display_prefetch", ()))
    prepare = getattr(page, "prepare_for_display", None)
    if prepare is not None:
        prepare()


def _row_state(page):
    # numchild: treebeard counts children with a queryset update, no signal; a copy
    # that still says "no children" would list none (get_children() short-cuts).
    return (True, page.path, page.numchild, page.latest_revision_id, page.live_revision_id)


def _current_row_state(pk):
    """The page's row as _row_state reads it, or None: one small query, on every cached route.

    Plain SQL: the ORM would spend longer compiling this query than the
    database takes to answer it. Asked of the database the router reads
    pages from (a replica, when one is configured).
    """
    connection = connections[router.db_for_read(Page)]
    table = connection.ops.quote_name(Page._meta.db_table)
    sql = f"SELECT live, path, numchild, latest_revision_id, live_revision_id FROM {table} WHERE id = %s"  # noqa: S608 (our own table name)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return None if row is None else (bool(row[0]), *row[1:])


def _route_from_entry(entry):
    try:
        page, remaining = entry
    except (TypeError, ValueError):
        return None  # an entry in an older shape
    if not isinstance(page, Page):
        return None
    # The copy is as current as the tags say; this also catches what changed
    # behind the signals' back (a queryset update unpublishing it).
    if _current_row_state(page.pk) != _row_state(page):
        return None
    if not remaining:
        return RouteResult(page)
    if not hasattr(page, "resolve_subpage"):
        return None
    try:
        view, args, kwargs = page.resolve_subpage("/" + "/".join(remaining) + "/")
    except Http404:
        return None
    return RouteResult(page, args=(view, args, kwargs))


class CachedRoutingMiddleware:
    """Gives Wagtail's serve view the site and the route found in the cache (see the module)."""

    def __init__(self, get_response):
        # Imported here: wagtail.views loads the page model, which models importing public() can't wait for.

        self.serve = serve
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Every view that asks Wagtail for the site (search, feeds, the chrome) gets it from here.
        site = request._wagtail_site = _site_for(request)
        if view_func is self.serve and site is not None:
            path = view_args[0] if view_args else view_kwargs.get("path", "")
            request._wagtail_route_for_request = _cached_route(request, site, path)
        return None
