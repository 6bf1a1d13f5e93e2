"""Two app servers on one PostgreSQL and one Redis: a change published through one is read fresh through the other (#8).

Each server is a real gunicorn process with the production settings, its
own memory, sharing only the database (this test's, committed to) and Redis
(a key prefix of its own). Runs in CI's PostgreSQL pass; skipped on SQLite
(one file is no shared server) or when Redis does not answer.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from portal.news.factories import ArticlePageFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
# What a load balancer forwards to every app server: the public host name.
HOST = "portail.test"
BASE_DIR = Path(settings.BASE_DIR)

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (CI's second pass): two processes can't share the test's SQLite file",
)


def redis_answers():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except Exception:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def servers(tmp_path):
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.portal.core.two_process_settings",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"two-process-test-{uuid.uuid4().hex[:8]}",
        "PAGE_CACHE_SECONDS": "300",
        "SECRET_KEY": "two-process-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    processes, bases = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
            command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
            processes.append((subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=log, stderr=log), log))
            bases.append(f"http://127.0.0.1:{port}")
        for name, base in zip(("a", "b"), bases, strict=True):
            for _ in range(120):
                try:
                    if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                        break
                # Refused before gunicorn listens; a read timeout while its worker
                # still imports Django on a busy machine (the rest of the suite runs
                # alongside).
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.25)
            else:
                pytest.fail(f"{base} did not start: {(tmp_path / f'{name}.log').read_text()[-2000:]}")
        yield bases
    finally:
        for process, log in processes:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def visitor():
    session = requests.Session()
    session.headers["Host"] = HOST
    return session


def admin_session(base, username, password):
    session = visitor()
    session.get(f"{base}/admin/login/", timeout=10)
    response = session.post(
        f"{base}/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/admin/login/"},
        timeout=10,
    )
    assert response.status_code == 200 and "/admin/login/" not in response.url, response.text[:500]
    return session


def post(session, base, path):
    response = session.post(
        f"{base}{path}",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}{path}"},
        timeout=30,
        allow_redirects=False,
    )
    # Done: the admin redirects back (a form with errors would answer 200).
    assert response.status_code == 302, (path, response.status_code, response.text[:300])


# serialized_rollback: an earlier transactional test (test_backup) leaves the
# database flushed, without the root page migrations create.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_published_through_one_server_is_read_fresh_through_the_other(portal_site, servers):
    a, b = servers
    requests = visitor()  # a visitor without cookies, through the load balancer
    article = ArticlePageFactory(parent=portal_site["news"], title="Version une", slug="deux-serveurs")
    get_user_model().objects.create_superuser("editrice", "editrice@example.ma", "un-mot-de-passe-long-123")
    url = "/fr/actualites/deux-serveurs/"

    # Both servers have the page in the shared cache.
    first = requests.get(b + url, timeout=10)
    assert first.status_code == 200 and "Version une" in first.text
    assert requests.get(b + url, timeout=10).headers["X-Cache"] == "hit"
    assert requests.get(a + url, timeout=10).headers["X-Cache"] == "hit"  # stored by B, read by A
    assert "Version une" in requests.get(a + "/fr/actualites/", timeout=10).text

    # An editor's new version, published through A's admin.
    article.title = "Version deux"
    article.save_revision()
    editor = admin_session(a, "editrice", "un-mot-de-passe-long-123")
    post(editor, a, f"/admin/bulk/wagtailcore/page/publish/?id={article.pk}")

    # B answers with it at once: a fresh render, not its cached copy.
    fresh = requests.get(b + url, timeout=10)
    assert fresh.status_code == 200 and "Version deux" in fresh.text and "Version une" not in fresh.text
    assert fresh.headers["X-Cache"] == "miss"
    assert "Version deux" in requests.get(b + "/fr/actualites/", timeout=10).text

    # Unpublished through A: gone from B, page and listing.
    post(editor, a, f"/admin/pages/{article.pk}/unpublish/")
    assert requests.get(b + url, timeout=10).status_code == 404
    assert "Version deux" not in requests.get(b + "/fr/actualites/", timeout=10).text

    # The editor's session is never served from the cache, on either server.
    assert "X-Cache" not in editor.get(b + "/fr/actualites/", timeout=10).headers
