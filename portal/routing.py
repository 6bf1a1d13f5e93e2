"""Page routing and view restrictions answered from the shared cache.

To serve /fr/actualites/<slug>/, Wagtail finds the site (1 query), the active
locale (1), the localized root's specific page (1), then a child and its
specific page per level (2 each), then the page's ancestors and their view
restrictions (2), and every `.public()` listing asks for all restrictions
again (1 each): nine queries before an article renders a line. All of it
changes only when pages are published, unpublished, moved or deleted, when
a site or a view restriction is saved: exactly what bumps the content
version (portal.navigation). So the answers are cached under that version:

- the Site for a host and port;
- for (site, language, path): the page's model and id, and the part of the
  path its own routes serve (rss/, ical/, organisations/<slug>/…); a hit
  costs one query, the page itself with its locale, and the page is checked
  to be live again;
- the paths of restricted pages, so that public() and a page's view
  restriction check cost no query when nothing above it is restricted.

A miss, a stale entry or anything unexpected falls back to Wagtail's own
routing. Not-found paths are never cached (anyone can make up new ones).
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

# Old versions are never read again; this bounds how long they take room in Redis.
VERSIONED_TIMEOUT = 24 * 60 * 60


def versioned_key(kind, *parts, version=None):
    """The cache key of `parts` under the current content version (or the `version` given)."""
    if version is None:
        from portal.navigation import content_version  # navigation uses public() from here

        version = content_version()
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"portal:{kind}:{version}:{digest}"


def versioned(kind, parts, compute, timeout=VERSIONED_TIMEOUT):
    """compute()'s result, cached until the content version changes (any publish, see navigation).

    For what a page shows that only content changes can change: the links
    to its translations, its breadcrumbs, a listing's count. The value must
    pickle and must not depend on who asks. What time alone changes (an
    event no longer upcoming) passes a shorter timeout.
    """
    key = versioned_key(kind, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def restricted_paths():
    """Tree paths of the pages carrying a view restriction (private, password, groups)."""
    from portal.navigation import request_memo

    key = versioned_key("restricted", "all")
    # Asked by every listing of a page and by its own restriction check: once per request.
    memo = request_memo()
    if memo is not None and key in memo:
        return memo[key]
    paths = cache.get(key)
    if paths is None:
        paths = sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
        cache.set(key, paths, timeout=VERSIONED_TIMEOUT)
    if memo is not None:
        memo[key] = paths
    return paths


def public(queryset):
    """PageQuerySet.public() without its query: hides pages at or below a restricted page."""
    condition = Q()
    for path in restricted_paths():
        condition &= ~Q(path__startswith=path)
    return queryset.filter(condition)


def _site_for(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = versioned_key("site", hostname, port)
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        cache.set(key, site, timeout=VERSIONED_TIMEOUT)
    return site


def _cached_route(request, site, path):
    key = versioned_key("route", site.pk, translation.get_language(), path)
    entry = cache.get(key)
    if entry is not None:
        result = _route_from_entry(entry)
        if result is not None:
            return result
    result = Page.route_for_request(request, path)
    if result is not None:
        page = result[0]
        remaining = [part for part in path.split("/") if part][page.depth - site.root_page.depth :]
        cache.set(key, (page._meta.label_lower, page.pk, remaining), timeout=VERSIONED_TIMEOUT)
    return result


def _route_from_entry(entry):
    label, pk, remaining = entry
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    page = model._default_manager.select_related("locale").filter(pk=pk, live=True).first()
    if page is None:
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
        from wagtail.views import serve

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
