"""The visitor's address, for rate limits.

Behind the production proxy every request comes from the proxy's address;
the visitor's is the last entry the proxy appended to X-Forwarded-For. That
header is trusted only when TRUST_X_FORWARDED_FOR is on, since anyone can
send one to a server reached directly.
"""

from django.conf import settings


def client_ip(request):
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
