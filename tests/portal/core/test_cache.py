"""The cache is shared by every process, and its failure never takes a page down."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail

from portal.core.cache.backends import ResilientRedisCache, outage
from portal.core.ratelimit import RateLimitCounter
from portal.sitewide.newsletter import Subscriber

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"

DEAD_REDIS = {
    "default": {
        "BACKEND": "portal.core.cache.backends.ResilientRedisCache",
        # Nothing listens on port 1: every call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def empty_cache():
    """Replaces the autouse fixture: clearing a dead Redis would fail."""
    yield


@pytest.fixture
def redis_down(settings):
    # Django rebuilds its cache handlers when the setting changes (and back after the test).
    settings.CACHES = DEAD_REDIS
    outage.reset()
    yield
    outage.reset()


def test_pages_and_forms_work_when_redis_is_down(client, portal_site, redis_down, caplog):
    for url in ("/fr/", "/fr/actualites/", "/ar/", "/fr/ecosysteme-en-chiffres/"):
        assert client.get(url).status_code == 200, url
    response = client.post("/fr/newsletter/", {"email": "a@example.ma", "language": "fr", "website": ""})
    assert response.status_code == 200 and len(mail.outbox) == 1
    assert Subscriber.objects.count() == 0
    # One warning, not a traceback per cache operation of every request.
    warnings = [r for r in caplog.records if r.name == "portal.core.cache.backends"]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert "pages are served without it" in warnings[0].getMessage()


def test_rate_limits_still_count_when_redis_is_down(client, portal_site, redis_down):
    answers = [
        client.post("/fr/newsletter/", {"email": f"n{i}@example.ma", "language": "fr", "website": ""}).status_code
        for i in range(7)
    ]
    # Five sign-ups an hour from one address, counted in the database while the cache is away.
    assert answers == [200] * 5 + [429] * 2
    assert len(mail.outbox) == 5
    assert RateLimitCounter.objects.filter(key__startswith="rate:newsletter").exists()


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({"REDIS_URL": "redis://127.0.0.1:6379/3"}, "portal.core.cache.backends.ResilientRedisCache"),
        ({}, "django.core.cache.backends.filebased.FileBasedCache"),
    ],
)
def test_the_configured_backend_is_one_every_process_shares(environment, backend, tmp_path):
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "CACHE_DIR": str(tmp_path),
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == backend


def test_the_redis_backend_keeps_one_client_per_connection_pool(monkeypatch):
    """Django would build a client per operation; ours reuses it, and it works (when Redis answers)."""
    import redis

    built = []
    init = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    backend = ResilientRedisCache(
        REDIS_URL, {"OPTIONS": {"socket_connect_timeout": 0.5}, "KEY_PREFIX": "reuse-test"}
    )
    outage.reset()
    backend.set("greeting", "marhaba", 30)
    if outage.skipping():
        outage.reset()
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    assert backend.get("greeting") == "marhaba"
    assert backend.get_many(["greeting", "absent"]) == {"greeting": "marhaba"}
    backend.delete("greeting")
    assert backend.get("greeting") is None
    assert len(built) == 1
