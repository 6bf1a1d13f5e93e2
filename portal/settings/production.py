"""Production: gunicorn behind a TLS-terminating proxy or CDN.

Refuses to start without its secrets, or with values that would run a
broken or unsafe site, and says why in one line each; everything else comes
from the environment through portal.settings.env.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from portal.settings import env
from portal.settings.base import *  # noqa: F403

DEBUG = False
problems = []


def required(name, why):
    if not env.get_str(name).strip():
        problems.append(f"The environment variable {name} is required: {why}.")


required("SECRET_KEY", "sessions, password resets and signed links depend on it")
SECRET_KEY = env.get_str("SECRET_KEY").strip()
if SECRET_KEY and len(SECRET_KEY) < 50:
    problems.append(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long: use at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
required("ALLOWED_HOSTS", "the host names this site answers to, comma-separated")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
if env.get_str("ALLOWED_HOSTS").strip() and not ALLOWED_HOSTS:
    problems.append(
        f"ALLOWED_HOSTS={env.get_str('ALLOWED_HOSTS')!r} lists no host name: every request would be refused."
    )
# Without it production would create and serve an empty SQLite file next to the code.
required("DATABASE_URL", "for example postgres://user@host:5432/moroccotech (sqlite:///path only on purpose)")
required("PUBLIC_BASE_URL", "the site's public address, for example https://moroccotech.ma")
public = urlsplit(PUBLIC_BASE_URL)  # noqa: F405 (validated by env.get_base_url)
if env.get_str("PUBLIC_BASE_URL").strip():
    if public.scheme != "https" and public.hostname not in ("127.0.0.1", "localhost", "::1"):
        problems.append(f"PUBLIC_BASE_URL={PUBLIC_BASE_URL} must be https:// (TLS ends at the proxy in front).")  # noqa: F405
    if ALLOWED_HOSTS and not validate_host(public.hostname, ALLOWED_HOSTS):
        problems.append(f"PUBLIC_BASE_URL's host {public.hostname} is not in ALLOWED_HOSTS.")
if problems:
    raise ImproperlyConfigured("Production settings refused:\n- " + "\n- ".join(problems))

# gunicorn's workers serve request after request: keep their database
# connection (checked before reuse) instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.get_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405

# The proxy terminates TLS and says so in X-Forwarded-Proto; trust it only
# because the app servers are reachable through that proxy alone.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *SILENCED_SYSTEM_CHECKS,  # noqa: F405
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
