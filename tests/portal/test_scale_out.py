"""Past one machine: media on S3, public reads from a replica, CDN purge on publish — all from the environment (#8)."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import RequestFactory

from portal import db_router
from tests.conftest import PRODUCTION_ADDRESSES

PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'routers': s.DATABASE_ROUTERS, "
    "'databases': sorted(s.DATABASES), 'middleware': s.MIDDLEWARE, 'frontend': s.WAGTAILFRONTENDCACHE, "
    "'apps': s.INSTALLED_APPS}, default=str))"
)


def settings_with(**extra_env):
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MEDIA_S3", "DATABASE_REPLICA", "FRONTEND_", "CLOUD"))
        },
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "scale-out-test-" + "s" * 40,
        "ALLOWED_HOSTS": "moroccotech.ma",
        **PRODUCTION_ADDRESSES,
        **extra_env,
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_SETTINGS}"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_one_machine_local_media_no_replica_no_purge():
    found = settings_with()
    assert found["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["routers"] == [] and found["databases"] == ["default"]
    assert found["frontend"] == {} and "wagtail.contrib.frontend_cache" not in found["apps"]


def test_the_environment_switches_on_s3_media_a_replica_and_cdn_purges():
    found = settings_with(
        MEDIA_S3_BUCKET="moroccotech-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        MEDIA_S3_CUSTOM_DOMAIN="media.moroccotech.ma",
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/moroccotech",
        FRONTEND_CACHE_PURGE_URL="http://varnish.internal:8000",
        CLOUDFLARE_ZONE_ID="zone",
        CLOUDFLARE_BEARER_TOKEN="token",
    )
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["storage"]["OPTIONS"]["bucket_name"] == "moroccotech-media"
    assert found["storage"]["OPTIONS"]["querystring_auth"] is False
    assert found["databases"] == ["default", "replica"]
    assert found["routers"] == ["portal.db_router.PublicReadsReplicaRouter"]
    middleware = found["middleware"]
    assert middleware.index("portal.db_router.PublicReadsMiddleware") == (
        middleware.index("portal.core.cache.page_cache.AnonymousPageCacheMiddleware") + 1
    )
    assert found["frontend"]["http"]["LOCATION"] == "http://varnish.internal:8000"
    assert found["frontend"]["cloudflare"]["ZONEID"] == "zone"
    assert "wagtail.contrib.frontend_cache" in found["apps"]


def test_cloudflare_without_its_token_refuses_to_start():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "moroccotech.ma",
        **PRODUCTION_ADDRESSES,
        "CLOUDFLARE_ZONE_ID": "zone",
    }
    environment.pop("CLOUDFLARE_BEARER_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "CLOUDFLARE_BEARER_TOKEN" in result.stderr


def test_s3_media_addresses_are_stable_public_urls_without_a_network_call():
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name="moroccotech-media", custom_domain="media.moroccotech.ma", querystring_auth=False
    )
    assert storage.url("images/logo.png") == "https://media.moroccotech.ma/images/logo.png"


def test_only_anonymous_page_reads_go_to_the_replica():
    router = db_router.PublicReadsReplicaRouter()
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(object)
        return "ok"

    middleware = db_router.PublicReadsMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/fr/actualites/"))
    assert seen["db"] == "replica"
    for request in (
        factory.post("/fr/newsletter/"),
        factory.get("/admin/pages/"),
        factory.get("/fr/actualites/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc"),
    ):
        if "HTTP_COOKIE" in request.META:
            request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
        middleware(request)
        assert seen["db"] is None, request.path
    # Outside a request (commands, tasks) and for every write: the primary.
    assert router.db_for_read(object) is None
    assert router.db_for_write(object) == "default"
    assert router.allow_migrate("replica", "portal") is False
