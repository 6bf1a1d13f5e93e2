from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Paths that are not language-prefixed pages: a 404 there stays a 404.
NON_PAGE_PREFIXES = ("/api/", "/admin/", "/documents/", "/static/", "/media/", "/sitemap.xml", "/robots.txt")
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
