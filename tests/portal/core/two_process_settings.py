"""The production settings, as the two-process test runs them: plain HTTP on the loopback, no collectstatic."""

from portal.settings.production import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# No TLS proxy in front of the test's servers: cookies over plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test process creates the editor's account with the test settings' fast hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
