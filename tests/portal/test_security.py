"""Production configuration and hardening (issue #7)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import override_settings

from portal.observability import RequestIdFilter, request_id_var
from portal.sitewide.models import HomePage
from tests.conftest import PRODUCTION_ADDRESSES

MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "DATABASE_URL": "sqlite:///:memory:", **env}
    )
    return subprocess.run([*MANAGE, *args], capture_output=True, text=True, env=environment, check=False)


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "-Zq8v!x2#mT9pL4wR7yB1nC6dF3gH0jK5sA",
        ALLOWED_HOSTS="moroccotech.ma",
        BACKUP_COPY_TO="s3://moroccotech-backups/portal",
        **PRODUCTION_ADDRESSES,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "moroccotech.ma", **PRODUCTION_ADDRESSES}
    env.pop(missing)
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_every_public_page_carries_the_security_headers(client, seeded):
    response = client.get("/fr/actualites/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    # Scripts from the site's own files only: no inline script, no nonce (the JSON-LD is data).
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert '<script type="application/ld+json">' in client.get("/fr/").content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/fr/actualites/")["Content-Security-Policy"] == csp


def test_the_admin_has_its_own_policy_that_still_limits_framing(client, db):
    response = client.get("/admin/login/")
    assert (
        response["Content-Security-Policy"]
        == "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https(client, portal_site):
    assert "Strict-Transport-Security" not in client.get("/fr/")
    assert client.get("/fr/", secure=True)["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_cookies_are_httponly_and_secure_in_production():
    from portal.settings import base

    assert base.SESSION_COOKIE_HTTPONLY and base.CSRF_COOKIE_HTTPONLY
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="moroccotech.ma",
        **PRODUCTION_ADDRESSES,
    )
    assert "True True ('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout, result.stderr


def test_the_admin_login_locks_after_repeated_failures(client, db):
    user = get_user_model().objects.create_user("editrice", "e@example.ma", "the-right-password-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "editrice", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/admin/login/", {"username": "editrice", "password": "wrong"})
    assert response.status_code == 429  # the last allowed failure locks
    response = client.post("/admin/login/", {"username": "editrice", "password": "the-right-password-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    # Another account from the same address is not locked out by this one's failures.
    get_user_model().objects.create_user("autre", "a@example.ma", "another-password-2026")
    response = client.post("/admin/login/", {"username": "autre", "password": "another-password-2026"})
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["court", "motdepasse", "12345678901234"])
def test_weak_passwords_are_refused(db, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("rapport.pdf", b"%PDF-1.4 test", True),
        ("page.html", b"<script>alert(1)</script>", False),
        ("outil.exe", b"MZ", False),
        ("image.svg", b"<svg onload='alert(1)'/>", False),
    ],
)
def test_document_uploads_are_limited_by_type(db, name, content, ok):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    form_class = get_document_form(Document)
    form = form_class({"title": name}, {"file": SimpleUploadedFile(name, content)}, user=None)
    assert form.is_valid() is ok, form.errors


def test_document_uploads_are_limited_by_size(db, settings):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form = get_document_form(Document)(
        {"title": "gros"}, {"file": SimpleUploadedFile("gros.pdf", b"x" * 2048)}, user=None
    )
    assert not form.is_valid()


def test_svg_images_are_refused(db):
    from wagtail.images.forms import get_image_form
    from wagtail.images.models import Image

    svg = SimpleUploadedFile(
        "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/svg+xml"
    )
    form = get_image_form(Image)({"title": "logo"}, {"file": svg}, user=None)
    assert not form.is_valid()


def test_documents_are_served_as_attachments(client, db):
    from wagtail.documents.models import Document

    document = Document.objects.create(title="Rapport", file=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 test"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_forged_host_gets_400(client, portal_site):
    assert client.get("/fr/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("path", ["/.git/config", "/.env", "/.git/HEAD", "/fr/.env"])
def test_dotfiles_are_never_served(client, portal_site, path):
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch", "post"])
def test_pages_refuse_methods_they_do_not_accept(client, seeded, method):
    response = getattr(client, method)("/fr/actualites/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert client.head("/fr/actualites/").status_code == 200


def test_password_reset_links_use_the_configured_base_url_not_the_request_host():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.WAGTAILADMIN_BASE_URL)",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="moroccotech.ma",
        **PRODUCTION_ADDRESSES,
        WAGTAILADMIN_BASE_URL="https://moroccotech.ma",
    )
    assert result.stdout.strip().splitlines()[-1] == "https://moroccotech.ma", result.stderr


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz", HTTP_HOST="10.0.0.12")  # load balancers call by address
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("portal.observability.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


def test_the_site_answers_503_with_the_designed_page_when_the_database_is_down(client, portal_site):
    client.raise_request_exception = False
    with mock.patch.object(HomePage, "serve", side_effect=OperationalError("could not connect to server")):
        response = client.get("/ar/")
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "OperationalError" not in html and "could not connect" not in html
    assert response["Retry-After"] == "30"


def test_an_error_shows_no_trace_or_settings(client, portal_site):
    client.raise_request_exception = False
    with mock.patch.object(HomePage, "serve", side_effect=RuntimeError("SECRET_KEY=test-only-not-secret")):
        response = client.get("/fr/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Traceback" not in html and "SECRET_KEY" not in html and "Une erreur est survenue" in html


def test_log_lines_are_json_with_the_request_id(client, db):
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    record = logging.LogRecord("portal", logging.WARNING, __file__, 1, "quelque chose", None, None)
    token = request_id_var.set("abc123def456")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "abc123def456" and line["message"] == "quelque chose"
    # A sane id from the proxy is kept; a hostile one is replaced.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345")["X-Request-ID"] == "proxy-id-12345"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"
