"""Whole-response cache for anonymous visitors, shared by every app process.

A request is answered from the cache when it is a GET or HEAD without a
session cookie (editors and anyone logged in always get a fresh page) for a
public path. A response is stored only when it is a plain 200 that varies on
nothing but the URL: no cookie set, no Vary: Cookie (Django adds it as soon
as a page uses the session or a CSRF token, so pages with forms are never
stored), no private/no-store.

Freshness: a page is stored with the tags of everything it was made of
(portal.core.cache.tags): the pages and records it loaded, the kinds it lists,
the menu's sections. Publishing, unpublishing, moving or deleting a page,
or saving or deleting a record pages show (organisations, sectors, cities,
images, navigation, settings), drops exactly the stored pages that showed
it or list its kind, in every process, at once; the others stay cached. An
entry also expires after PAGE_CACHE_SECONDS, which bounds what time alone
changes (an event leaving "upcoming"). HTML pages declare what they list
(see cache_tags); other responses (feeds, calendars, CSV, sitemaps, the
API) depend on any page being published, on the kinds of every record they
loaded, and on what their view declares (the API's organisations).

A page is the same bytes for every anonymous visitor (the Content-Security-
Policy uses no nonce: portal/settings/base.py). The ETag is computed on the
stored body, so browsers and CDNs revalidate with If-None-Match
(ConditionalGetMiddleware answers 304).
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control
from wagtail.models import Page

from portal.core.cache import front
from portal.core.cache import tags as cache_tags
from portal.core.cache.release import release_id

EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/healthz", "/django-admin/")
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Last-Modified", "Link")


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if cache_tags.is_bypassed():  # a preview or revision rendered for the admin
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path.startswith(EXCLUDED_PREFIXES)


def response_is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}
    if vary - {"accept-encoding"}:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


class ReadRecordingQueryDict(QueryDict):
    """request.GET that remembers which parameters the page read.

    A query string the page does not use (a tracker's utm_*, a made-up
    parameter) gives the same page as without it: storing it under its own
    key would let anyone fill the cache with copies. Whatever reads the
    whole query string (a pagination link that carries it) counts as
    reading every parameter.
    """

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)
        # Filling the dict looked keys up: only what the page reads from now on counts.
        self.read = set()
        self.read_all = False

    def _note(self, key):
        self.read.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def _note_all(self):
        self.read_all = True

    def __iter__(self):
        self._note_all()
        return super().__iter__()

    def items(self):
        self._note_all()
        return super().items()

    def keys(self):
        self._note_all()
        return super().keys()

    def lists(self):
        self._note_all()
        return super().lists()

    def values(self):
        self._note_all()
        return super().values()

    def dict(self):
        self._note_all()
        return super().dict()

    def urlencode(self, safe=None):
        self._note_all()
        return super().urlencode(safe)

    def copy(self):
        self._note_all()
        return super().copy()

    def unused(self):
        """The parameters in the query string that nothing read."""
        if self.read_all:
            return set()
        return set(dict.keys(self)) - self.read


def cache_key(request):
    # The scheme too: pages carry absolute URLs (canonical, OpenGraph) built from it.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    # And the release: a page cached by the previous code is not this code's page (portal.core.cache.release).
    digest = hashlib.sha256(f"{release_id()}\x1f{url}".encode()).hexdigest()
    return f"portal:page:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and "Cache-Control" not in response:
                # A page seen with a session may carry what only this visitor sees.
                patch_cache_control(response, private=True)
            return response
        key = cache_key(request)
        if front.enabled():
            # The stored page's tags, for the front cache: the entry's own, as a value read
            # inside another passes them on (portal.core.cache.tags.valid_values).
            with cache_tags.collecting() as kept:
                stored = cache_tags.fetch(key)
        else:
            stored, kept = cache_tags.fetch(key), ()
        if stored is not cache_tags.MISS:
            return self.answer(request, stored, hit=True, tags=kept)
        clock = cache_tags.start_clock()
        query = request.GET = ReadRecordingQueryDict(
            request.META.get("QUERY_STRING", ""), encoding=request.encoding
        )
        with cache_tags.collecting() as shown:
            response = self.get_response(request)
        if not response_is_cacheable(response):
            return response
        if query.unused():
            # Served, not stored: made-up parameters must not fill the cache.
            response["X-Cache"] = "miss"
            return response
        tags = set(shown)
        if not response.get("Content-Type", "").startswith("text/html"):
            # Feeds, calendars, CSV, sitemaps, JSON: their listings are their own
            # queries, not cached listings, so they depend on any page and on the kinds of what they loaded.
            tags |= {*shown.kinds.values(), cache_tags.type_tag(Page)}
        tags = cache_tags.prune(tags, shown.kinds)
        body = response.content
        stored = {
            "body": body,
            "headers": {name: response[name] for name in STORED_HEADERS if name in response},
            "etag": '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"',
        }
        cache_tags.store(key, stored, tags, timeout=settings.PAGE_CACHE_SECONDS, clock=clock)
        response["ETag"] = stored["etag"]
        self.mark(response, hit=False, tags=tags)
        return response

    def answer(self, request, stored, hit, tags=()):
        response = HttpResponse(stored["body"])
        for name, value in stored["headers"].items():
            response[name] = value
        response["ETag"] = stored["etag"]
        self.mark(response, hit=hit, tags=tags)
        return response

    @staticmethod
    def mark(response, hit, tags):
        response["X-Cache"] = "hit" if hit else "miss"
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
        if tags and front.enabled():
            # For the front cache to keep the page until one of these is banned (VCL strips it).
            response[front.TAG_HEADER] = front.header_value(tags)
