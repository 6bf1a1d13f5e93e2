"""Tests: fast and isolated. DATABASE_URL still selects PostgreSQL (CI runs both)."""

import tempfile

from portal.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Room for a tag generation per page and record (portal/core/cache/tags.py): the default 300 would cull them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
}
# Off by default: query counts measure rendering. tests/portal/core/test_page_cache.py switches it on.
PAGE_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="moroccotech-test-media-")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Index updates cost a query per save; search tests switch them back on.
WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Wagtail runs its reference-index (and other) tasks immediately by default,
# about a quarter of the time a test spends creating pages. Tests that need a
# task's effect run it themselves.
# Ours run at once, so that a test sees their effect (tests/portal/core/test_tasks.py runs
# the real queue and worker).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    "portal": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
PORTAL_TASKS_BACKEND = "portal"
# Absolute links in tests read http://localhost/...; e-mails keep the development address.
PUBLIC_BASE_URL = "http://localhost"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
