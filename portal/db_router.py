"""Anonymous page views read from a replica when one is configured (DATABASE_REPLICA_URL).

Only reads made while serving a GET or HEAD without a session go there:
what visitors see. Editors, forms, the admin, management commands and every
write use the primary, so nobody reads back an older copy of what they just
saved. A replica lags its primary by a moment: a visitor may see a change a
moment late (docs/deployment.md).
"""

import contextvars

from django.conf import settings

reading_for_public = contextvars.ContextVar("reading_for_public", default=False)
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/documents/")


class PublicReadsReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if reading_for_public.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The same data on both: an object read from the replica may relate to one from the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(PRIVATE_PREFIXES)
        )
        token = reading_for_public.set(public)
        try:
            return self.get_response(request)
        finally:
            reading_for_public.reset(token)
