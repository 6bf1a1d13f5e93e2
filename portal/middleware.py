import logging

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views import defaults

from portal.sitewide.views import server_error

logger = logging.getLogger("django.request")

# Paths that are not language-prefixed pages: a 404 there stays a 404.
NON_PAGE_PREFIXES = (
    "/api/",
    "/admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/sitemap.xml",
    "/robots.txt",
    "/favicon.ico",
)
ADMIN_PREFIX = "/admin/"


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without its language redirect outside the pages.

    On a 404, Django redirects /x to /fr/x when /fr/x resolves, and Wagtail's
    catch-all page route resolves everything: an API 404 (a draft asked for by
    id) would become a redirect to /fr/api/..., /.env a redirect to /fr/.env.

    The admin speaks the editorial team's working language (the site's
    default, French) to everyone who has not chosen another in their account
    (Wagtail's preferred language, which wins): the browser's language does
    not decide it, so a new editor on an English browser gets the French admin.
    """

    def process_request(self, request):
        if request.path.startswith(ADMIN_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path.startswith(NON_PAGE_PREFIXES) or "." in request.path.rsplit("/", 1)[-1]:
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)


class DesignedErrorPagesMiddleware:
    """In development (DEBUG), the visitor's 404 and 500 pages rather than Django's debug pages.

    So that the designed pages can be seen, and worked on, without production
    settings. settings.DESIGNED_ERROR_PAGES turns it off (the development
    default is on); a 500's traceback still goes to the console, as Django's
    own handler would log it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (settings.DEBUG and settings.DESIGNED_ERROR_PAGES):
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request})
        # Called inside Django's `except` block, like handler500.
        return server_error(request)
