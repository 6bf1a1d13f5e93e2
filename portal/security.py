"""Response headers Django's SecurityMiddleware does not set."""

from django.conf import settings

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
