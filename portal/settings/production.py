"""Production: gunicorn behind a TLS-terminating proxy or CDN.

Refuses to start without its secrets; everything else comes from the
environment through portal.settings.env.
"""

from portal.settings import env
from portal.settings.base import *  # noqa: F403

DEBUG = False
# gunicorn's workers serve request after request: keep their database
# connection (checked before reuse) instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.get_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
SECRET_KEY = env.require_str("SECRET_KEY")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env.require_str("ALLOWED_HOSTS")

# The proxy terminates TLS and says so in X-Forwarded-Proto; trust it only
# because the app servers are reachable through that proxy alone.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # X-Frame-Options is SAMEORIGIN, not DENY: Wagtail shows page previews in
    # an iframe of its admin, on this same origin.
    "security.W019",
    # Joining the browsers' HSTS preload list binds every subdomain of the
    # domain for months: a decision for whoever owns the domain, made with
    # SECURE_HSTS_PRELOAD=true, not a default.
    "security.W021",
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", True)

# One JSON object per line on stdout (see base.LOGGING); LOG_FORMAT=text for a terminal.
LOG_FORMAT = env.get_str("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "text" if LOG_FORMAT == "text" else "json"  # noqa: F405
