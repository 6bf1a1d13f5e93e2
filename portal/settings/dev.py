"""Development: `make run`. DEBUG on, mail kept in var/mail/, any local host."""

from portal.settings import env
from portal.settings.base import *  # noqa: F403

DEBUG = env.get_bool("DEBUG", True)
# A fixed development key: this settings module is never used in production
# (portal.settings.production requires SECRET_KEY from the environment).
SECRET_KEY = env.get_str("SECRET_KEY") or "dev-only-not-secret-moroccotech"
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# A template or code change must show at the next reload: no page cache unless asked for.
PAGE_CACHE_SECONDS = env.get_int("PAGE_CACHE_SECONDS", 0)
# Mails to founders and subscribers are kept as files, one per mail, in var/mail/: a
# newcomer follows their links (docs/membership.md). EMAIL_BACKEND set in the environment wins.
EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405
# The designed 404 and 500 pages, as visitors get them; DESIGNED_ERROR_PAGES=false
# brings back Django's debug pages (the console has the traceback either way).
DESIGNED_ERROR_PAGES = env.get_bool("DESIGNED_ERROR_PAGES", True)

try:
    from portal.settings.local import *  # noqa: F403
except ImportError:
    pass
