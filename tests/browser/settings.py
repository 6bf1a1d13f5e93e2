"""The browser suite's server: production settings, served over plain HTTP on loopback.

Only what plain HTTP forbids is relaxed (secure cookies, the HTTPS redirect);
everything else (DEBUG off, manifest static files served by whitenoise) is
what production runs, so the suite measures what visitors get.
"""

from portal.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
