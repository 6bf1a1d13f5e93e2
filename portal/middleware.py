from django.middleware.locale import LocaleMiddleware

# Paths that are not language-prefixed pages: a 404 there stays a 404.
NON_PAGE_PREFIXES = ("/api/", "/admin/", "/documents/", "/static/", "/media/", "/sitemap.xml", "/robots.txt")


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without its language redirect outside the pages.

    On a 404, Django redirects /x to /fr/x when /fr/x resolves, and Wagtail's
    catch-all page route resolves everything: an API 404 (a draft asked for by
    id) would become a redirect to /fr/api/..., /.env a redirect to /fr/.env.
    """

    def process_response(self, request, response):
        if request.path.startswith(NON_PAGE_PREFIXES) or "." in request.path.rsplit("/", 1)[-1]:
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
