import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("on", True),
                                               ("0", False), ("False", False), ("no", False), ("", False)])  # fmt: skip
def test_booleans_are_parsed_not_truthy_strings(monkeypatch, raw, expected):
    monkeypatch.setenv("PORTAL_FLAG", raw)
    assert env.get_bool("PORTAL_FLAG") is expected


def test_a_malformed_boolean_or_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("PORTAL_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_FLAG"):
        env.get_bool("PORTAL_FLAG")
    monkeypatch.setenv("PORTAL_NUMBER", "12a")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_NUMBER"):
        env.get_int("PORTAL_NUMBER", 0)
    monkeypatch.setenv("PORTAL_NUMBER", " 42 ")
    assert env.get_int("PORTAL_NUMBER", 0) == 42


def test_lists_drop_blanks(monkeypatch):
    monkeypatch.setenv("PORTAL_HOSTS", "moroccotech.ma, www.moroccotech.ma,,")
    assert env.get_list("PORTAL_HOSTS") == ["moroccotech.ma", "www.moroccotech.ma"]


def run_production_check(*command, **extra_env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ["check"])],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_to_start_without_its_secrets():
    result = run_production_check()
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is required" in result.stderr
    result = run_production_check(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "The environment variable ALLOWED_HOSTS is required" in result.stderr


def test_production_settings_trust_the_proxy_and_start_with_secrets():
    secrets = {"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "moroccotech.ma"}
    result = run_production_check(**secrets)
    assert result.returncode == 0, result.stderr
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_PROXY_SSL_HEADER, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = run_production_check("shell", "--no-imports", "-c", code, **secrets)
    assert result.stdout.strip().splitlines()[-1] == (
        "False ('HTTP_X_FORWARDED_PROTO', 'https') ['moroccotech.ma'] True "
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    ), result.stderr


def test_test_settings_are_isolated():
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.TIME_ZONE == "Africa/Casablanca"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "ar", "en"]
