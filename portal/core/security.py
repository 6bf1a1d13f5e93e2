"""Response headers Django's SecurityMiddleware does not set, and input no page can use."""

import logging

from django.conf import settings
from django.db import DataError
from django.http import HttpResponseBadRequest, QueryDict

logger = logging.getLogger(__name__)

# Wagtail's admin relies on inline scripts and styles, so it cannot have the
# public site's policy; this one still forbids plugins, foreign form targets,
# <base> hijacking and framing by other sites.
ADMIN_CSP = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path_info.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", ADMIN_CSP)
        return response


def has_nul(query_dict):
    return any("\x00" in key or "\x00" in value for key, values in query_dict.lists() for value in values)


class MalformedInputMiddleware:
    """Input no page can use never reaches a view or a query.

    NUL bytes: PostgreSQL refuses them in text, and the database error would
    answer 503 as if the site were down. In the query string they are
    dropped (a listing filter reads "sector=%00" as an empty filter, as it
    reads any unknown value); in an address or a public form they answer 400.
    A data error that still reaches the database from a visitor's input (a
    number out of a column's range) answers 400: the request is wrong, the
    site is not down.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            logger.info("Refused malformed input on %s: %s", request.path[:200], problem)
            return self.bad_request(problem)
        if has_nul(request.GET):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            request.META["QUERY_STRING"] = cleaned.urlencode()
            request.GET = QueryDict(request.META["QUERY_STRING"], encoding=request.encoding)
        return self.get_response(request)

    def problem(self, request):
        if "\x00" in request.path:
            return "NUL byte in the address"
        public_form = request.method == "POST" and not request.path.startswith("/admin/")
        if public_form and request.content_type == "application/x-www-form-urlencoded" and has_nul(request.POST):
            return "NUL byte in the form"
        return ""

    def process_exception(self, request, exception):
        if isinstance(exception, DataError) and not request.path.startswith("/admin/"):
            logger.warning("Data error from a request's input on %s: %s", request.path[:200], exception)
            return self.bad_request("a value out of range")
        return None

    @staticmethod
    def bad_request(problem):
        return HttpResponseBadRequest(
            f"Requête invalide : {problem}. / Bad request: {problem}.\n",
            content_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )
