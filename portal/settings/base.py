"""Settings shared by every environment.

The environment is read only through portal.settings.env; dev, test and
production override what differs. Values that must never have a default in
production (SECRET_KEY, ALLOWED_HOSTS) are required there, not here.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from portal.settings import env

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env.get_bool("DEBUG", False)
SECRET_KEY = env.get_str("SECRET_KEY")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "portal",
    "brand",
    "events",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "corsheaders",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "django_tasks",
    "django_tasks_db",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "portal.observability.RequestIdMiddleware",
    # Before anything reads the shared cache: each cache tag's generation read once per request.
    "portal.core.cache.tags.RequestMemoMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.core.security.SecurityHeadersMiddleware",
    # Outside the page cache, so that a cached answer carries it like a fresh one.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text answers gzipped for clients that ask (a cached page too: it is stored uncompressed).
    "portal.core.compression.TextCompressionMiddleware",
    # NUL bytes and the like answer 400 (with the security headers) before any cache, view or query sees them.
    "portal.core.security.MalformedInputMiddleware",
    # ETag / If-None-Match → 304, then whole pages for anonymous visitors
    # (portal/core/cache/page_cache.py), before sessions: a cache hit does no other work.
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.core.cache.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts, for the checks on replacing or deleting published images and documents.
    "portal.sitewide.moderation.ActingUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Gives Wagtail's page view its site and route from the cache (portal/core/cache/routing.py).
    "portal.core.cache.routing.CachedRoutingMiddleware",
    # Development's designed error pages: late, so that its process_exception runs early.
    "portal.middleware.DesignedErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a lockout into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite under var/ is the embedded default so a fresh clone runs with no
# server; DATABASE_URL (postgres://...) selects PostgreSQL, the production
# database.
DATABASES = {
    "default": dj_database_url.parse(
        env.get_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# Optional read replica for anonymous page views (portal/db_router.py):
# editors, forms and every write use the primary.
DATABASE_REPLICA_URL = env.get_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["portal.db_router.PublicReadsReplicaRouter"]
    # After the page cache: a cache hit reads nothing.
    MIDDLEWARE.insert(MIDDLEWARE.index("portal.core.cache.page_cache.AnonymousPageCacheMiddleware") + 1,
                      "portal.db_router.PublicReadsMiddleware")  # fmt: skip
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several app processes on one SQLite file: readers never wait for a
    # writer (WAL), and a writer waits its turn (IMMEDIATE, busy timeout)
    # instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.get_int("SQLITE_BUSY_TIMEOUT", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache is shared by every process: the cached header and footer, the
# public forms' rate limits, and their invalidation must be seen by all
# gunicorn workers (a per-process memory cache would keep stale copies).
# Redis when REDIS_URL is set (several machines); files under var/cache
# otherwise (one machine). Cache errors are logged and ignored
# (portal/core/cache/backends.py): short timeouts keep a dead Redis from stalling pages.
REDIS_URL = env.get_str("REDIS_URL")
# Anonymous pages: kept this long in the shared cache (0 switches the page
# cache off), and this long by browsers and CDNs before they revalidate.
PAGE_CACHE_SECONDS = env.get_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_MAX_AGE = env.get_int("PAGE_CACHE_MAX_AGE", 60)
# What a release cached is not served by another (portal/core/cache/release.py): its keys
# carry a digest of the code, or this name when the deployment gives one.
CACHE_RELEASE = env.get_str("CACHE_RELEASE")
# Each process also keeps the cached values it used lately, up to this many
# bytes, checked against the shared cache's generations before each use
# (portal/core/cache/tags.py LocalEntries): a steady page costs no cache transfer.
CACHE_LOCAL_BYTES = env.get_int("CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# Besides pages, what public pages show: saving one drops the cached pages
# and fragments that loaded it or list its kind (portal/core/cache/tags.py).
PAGE_CACHE_INVALIDATING_MODELS = [
    "brand.Organisation",
    "brand.Sector",
    "brand.City",
    "wagtailimages.Image",
    "taggit.Tag",
    "portal.PortalSettings",
    "portal.SiteNavigation",
    "wagtailsearchpromotions.SearchPromotion",
]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.get_str("CACHE_KEY_PREFIX", "moroccotech"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # Wagtail's image renditions, looked up by every {% image %} and {% picture %}: a day
        # in the shared cache saves each app server the query per image (Wagtail reads this
        # alias by name; without it, the default cache with the default timeout).
        "renditions": {
            "BACKEND": "portal.core.cache.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.get_str("CACHE_KEY_PREFIX", "moroccotech") + "-renditions",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.get_str("CACHE_DIR") or str(VAR_DIR / "cache"),
            # A tag generation per page and record shown (portal/core/cache/tags.py): 300 would cull them.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French is the default and lives under /fr/ like the others
# (prefix_default_language), Arabic is right-to-left, English is for investors
# abroad, Standard Moroccan Amazigh (zgh, in Tifinagh, left to right) is an
# official language of the country. Content is translated per page (Wagtail
# locales); interface strings through gettext.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", "Français"),
    ("ar", "العربية"),
    ("en", "English"),
    ("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ"),
]
# Django knows no Amazigh: its name and direction for {% get_language_info %}
# and the language switcher, its date formats (portal/formats/zgh/) and its
# own strings (month and day names, form errors: portal/locale_django/).
LANG_INFO.setdefault(
    "zgh", {"bidi": False, "code": "zgh", "name": "Standard Moroccan Tamazight", "name_local": "ⵜⴰⵎⴰⵣⵉⵖⵜ"}
)
FORMAT_MODULE_PATH = ["portal.formats"]
WAGTAIL_I18N_ENABLED = True
# Each editor picks the admin's language in their account settings; Wagtail
# ships French and Arabic translations of its admin (none in Amazigh yet).
WAGTAILADMIN_PERMITTED_LANGUAGES = [(code, name) for code, name in LANGUAGES if code != "zgh"]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "Translate this page" makes a draft, never a live page still in French: a
# translation is published through the workflow like any page (portal.sitewide.moderation).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Ours first (makemessages writes there), then Django's own strings in Amazigh.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_django"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT") or BASE_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT") or BASE_DIR / "media")
# One machine without a web server of its own for /media/ (make stack, a small
# deployment behind Varnish or a CDN, which keep the answers): Django serves the
# uploaded files. Off where the media live in object storage or nginx serves them.
SERVE_MEDIA = env.get_bool("SERVE_MEDIA", False)
# Where `make backup` writes its archives: outside the code and the media.
BACKUP_DIR = Path(env.get_str("BACKUP_DIR") or VAR_DIR / "backups")
# An archive on the machine it saves is lost with it: each new one is also copied to
# BACKUP_COPY_TO, an S3-compatible bucket ("s3://bucket/prefix", the standard AWS
# credentials, BACKUP_S3_ENDPOINT_URL for another provider) or a folder mounted from
# elsewhere ("/mnt/backups"). BACKUP_KEEP archives stay on the machine.
BACKUP_COPY_TO = env.get_copy_destination("BACKUP_COPY_TO")
BACKUP_S3_ENDPOINT_URL = env.get_str("BACKUP_S3_ENDPOINT_URL") or None
BACKUP_KEEP = max(1, env.get_int("BACKUP_KEEP", 7))
# The scheduler (one per deployment) makes the daily backup when this is on.
BACKUP_DAILY = env.get_bool("BACKUP_DAILY", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers share their media through S3-compatible object storage
# (AWS S3, Scaleway, OVHcloud, MinIO...). Credentials come the standard AWS
# way (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role).
MEDIA_S3_BUCKET = env.get_str("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.get_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env.get_str("MEDIA_S3_REGION") or None,
            # Public media (images, documents) at stable addresses, served by the CDN if set.
            "custom_domain": env.get_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "default_acl": None,
            # Never overwrite a file another upload gave the same name.
            "file_overwrite": False,
        },
    }

# A CDN or reverse proxy in front is purged on publish by Wagtail's
# frontend_cache: a generic HTTP PURGE (Varnish, nginx) or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if env.get_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.get_str("FRONTEND_CACHE_PURGE_URL"),
    }
if env.get_str("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env.get_str("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env.require_str("CLOUDFLARE_BEARER_TOKEN"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
# Varnish in front (portal/deploy/varnish/, `make stack`): pages carry the tags of
# what they show, and a change bans exactly those in each of these caches
# (portal.core.cache.front), from the task worker. Their addresses, comma-separated.
FRONT_CACHE_BAN_URLS = env.get_list("FRONT_CACHE_BAN_URLS")

# Wagtail's page editor can exceed Django's default of 1,000 fields per form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The admin's article import takes up to 500 files at once (portal.news.admin_import.MAX_FILES).
DATA_UPLOAD_MAX_NUMBER_FILES = 510

WAGTAIL_SITE_NAME = "MoroccoTech"
# The upgrade check would make every admin browser call wagtail.org; nothing calls out.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The public address of the site, scheme and host (and port): every absolute
# link (feeds, sitemap, calendars, CSV, API, e-mails) is built on it, and
# setup_portal gives it to the Wagtail site. In development it follows PORT.
PORT = env.get_int("PORT", 8000)
PUBLIC_BASE_URL = env.get_base_url("PUBLIC_BASE_URL", f"http://127.0.0.1:{PORT}")
WAGTAILADMIN_BASE_URL = env.get_base_url("WAGTAILADMIN_BASE_URL") or PUBLIC_BASE_URL
# Words are analysed by the portal (portal.core.search_analysis) before they reach
# the index. On PostgreSQL, full-text search in French without accents on top (the
# french_unaccent configuration is created by portal's migration 0004); on SQLite,
# FTS5. portal.sitewide.search_backend is Wagtail's database backend with lighter
# result queries on PostgreSQL and titles weighed on SQLite.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "portal.sitewide.search_backend"},
}
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's check wants Page's own title SearchField object in every page type's
    # search_fields; the portal's pages index the title through its word analysis
    # instead (PortalPage.search_fields), which tests/portal/sitewide/test_search_languages.py
    # checks for every page type, with every text of its own.
    "wagtailsearch.W001",
]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
# Searches are counted in each process and written at most this often (and
# when the process exits), not one UPDATE per search (portal/sitewide/search_hits.py).
SEARCH_HITS_FLUSH_SECONDS = env.get_int("SEARCH_HITS_FLUSH_SECONDS", 60)
# Uploads: documents are limited in type and size (Wagtail limits only
# images by default). SVG is not accepted for images: an SVG can carry script.
# Documents go through Wagtail's serve view (permission checks, privacy) and
# are always downloaded, never rendered inline by the browser on our origin.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

# Background tasks (portal/core/tasks.py): the queue is a table of our database,
# `manage.py run_worker` works it (`make run` starts one). A task still marked
# running after this many seconds, by a worker on another machine, is taken for
# abandoned and queued again; on the worker's own machine a dead process is seen at once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PORTAL_TASKS_BACKEND = "default"  # ours (portal.core.tasks.retried); the test settings differ
TASKS_ABANDONED_AFTER = env.get_int("TASKS_ABANDONED_AFTER", 3600)
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.get_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.get_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Private pages and collections: login or group restrictions only. Wagtail
# stores shared passwords in clear, so that option is switched off.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAIL_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Page addresses are ASCII, whoever makes them (docs/languages.md, "Addresses"):
# shared in mails and posts, a percent-encoded "publi%C3%A9" reads badly. The
# admin folds accents and transliterates Arabic as the editor types the title
# (Wagtail's slug field), the importer the same with anyascii (portal.core.slugs).
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# With DEBUG on (development), show the visitor's 404 and 500 pages instead of
# Django's debug pages (portal.middleware.DesignedErrorPagesMiddleware).
DESIGNED_ERROR_PAGES = False

PORTAL_NAME = _("MoroccoTech")

# The open-data API (/api/v2/) is read-only and public: any site may read it
# from a browser. Nothing else is shared across origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
WAGTAILAPI_BASE_URL = env.get_str("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100
REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# Rate limits and the admin's lockout key on the visitor's address. Behind
# proxies (the load balancer, Varnish, a CDN) it is read from
# X-Forwarded-For, but only on connections from these addresses or networks
# (comma-separated, e.g. "127.0.0.1,10.0.0.0/8"); see portal.core.client_ip.
# TRUST_X_FORWARDED_FOR=true, the older switch, trusts loopback and private networks.
TRUST_X_FORWARDED_FOR = env.get_bool("TRUST_X_FORWARDED_FOR", False)
TRUSTED_PROXIES = env.get_networks("TRUSTED_PROXIES")
if TRUST_X_FORWARDED_FOR and not TRUSTED_PROXIES:
    TRUSTED_PROXIES = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]

# Security headers on every response. Content-Security-Policy (django-csp):
# the public pages load nothing from elsewhere and run no inline script. No
# nonce either: the one inline <script> is JSON-LD, a data block that browsers
# never run and script-src does not govern, and a nonce would make every page
# differ per visitor (Varnish and the page cache keep one copy for all, which
# would repeat it). An inline script added later is refused, as it should be:
# move it to a static file. Wagtail's admin does not work
# under a strict policy yet: it is excluded here and gets a policy of its own
# (portal.core.security) that still limits framing, plugins and form targets.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # 'self' so that Wagtail can show previews of pages in its admin.
        "frame-ancestors": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Sessions: editors are logged out after eight hours, or when the browser closes.
SESSION_COOKIE_AGE = env.get_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Admin login: django-axes locks a username from an address after five
# failures, for an hour; each failure and lockout is logged ("axes" logger).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# Not verbose: no "BEGIN" line on every management command; lockouts are still
# logged with the username and address they lock.
AXES_VERBOSE = False

EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A mail server that stops answering must not hold an app worker for long.
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "MoroccoTech <no-reply@moroccotech.ma>")

# LOG_FORMAT=json (production's default) writes one JSON object per line to
# stdout, with the request id, for the hosting platform to collect.
LOG_FORMAT = env.get_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT if LOG_FORMAT in ("text", "json") else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Per-request noise from the dev server and Wagtail's own info messages
        # would bury the importer's lines.
        "django.server": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
