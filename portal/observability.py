"""Request ids in logs, and the load balancers' health check.

Every request gets an id (the proxy's X-Request-ID when it sends a sane one,
a new one otherwise), returned in the response's X-Request-ID and attached
to every log record written while the request is handled, so one visitor's
error can be found among many workers' lines.
"""

import contextvars
import logging
import re
import uuid

from django.db import DatabaseError, connection
from django.http import JsonResponse

request_id_var = contextvars.ContextVar("request_id", default="-")
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEALTH_PATH = "/healthz"

logger = logging.getLogger(__name__)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return False


class RequestIdMiddleware:
    """First in MIDDLEWARE: tags the request, and answers /healthz itself.

    The health check is answered before host validation and the HTTPS
    redirect: load balancers call it by address, over plain HTTP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.health(request) if request.path_info == HEALTH_PATH else self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request.id
        return response

    @staticmethod
    def health(request):
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"status": "method not allowed"}, status=405, headers={"Allow": "GET, HEAD"})
        healthy = database_answers()
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", "database": healthy}, status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response
