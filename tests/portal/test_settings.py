import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env
from tests.conftest import PRODUCTION_ADDRESSES


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", ""), ("s3://moroccotech-sauvegardes/portail", "s3://moroccotech-sauvegardes/portail"),
     (" /mnt/sauvegardes ", "/mnt/sauvegardes")],
)  # fmt: skip
def test_a_backup_destination_is_a_bucket_or_an_absolute_folder(monkeypatch, raw, expected):
    monkeypatch.setenv("PORTAL_COPY", raw)
    assert env.get_copy_destination("PORTAL_COPY") == expected


@pytest.mark.parametrize("raw", ["sauvegardes", "s3://", "s3:///prefixe", "ftp://serveur/dossier"])
def test_a_backup_destination_that_would_go_nowhere_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_COPY", raw)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_COPY"):
        env.get_copy_destination("PORTAL_COPY")


def run_production_check(*command, **extra_env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PUBLIC_BASE_URL", "TRUSTED_PROXIES")
    }
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


VALID = {"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "moroccotech.ma", **PRODUCTION_ADDRESSES}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DATABASE_URL": None}, "The environment variable DATABASE_URL is required"),
        ({"PUBLIC_BASE_URL": None}, "The environment variable PUBLIC_BASE_URL is required"),
        ({"SECRET_KEY": "k"}, "SECRET_KEY is 1 characters long: use at least 50"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS=' , ' lists no host name"),
        ({"PUBLIC_BASE_URL": "http://moroccotech.ma"}, "must be https://"),
        ({"PUBLIC_BASE_URL": "https://autre.ma"}, "PUBLIC_BASE_URL's host autre.ma is not in ALLOWED_HOSTS"),
        ({"PUBLIC_BASE_URL": "moroccotech.ma"}, "is not an http(s) address"),
        ({"PUBLIC_BASE_URL": "https://moroccotech.ma/fr/"}, "without a path"),
        (
            {"TRUSTED_PROXIES": "10.0.0.0/8,le-proxy"},
            "TRUSTED_PROXIES: 'le-proxy' is not an IP address or network",
        ),
    ],
)
def test_production_refuses_a_misconfiguration_with_one_clear_line(changes, message):
    environment = {**VALID, **changes}
    result = run_production_check(**{k: v for k, v in environment.items() if v is not None})
    assert result.returncode != 0
    assert message in result.stderr


def test_every_problem_is_listed_at_once():
    result = run_production_check(SECRET_KEY="court", ALLOWED_HOSTS="moroccotech.ma")
    assert "SECRET_KEY is 5 characters long" in result.stderr
    assert "DATABASE_URL is required" in result.stderr and "PUBLIC_BASE_URL is required" in result.stderr


def test_production_settings_trust_the_proxy_and_start_with_secrets():
    secrets = {"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "moroccotech.ma", **PRODUCTION_ADDRESSES}
    result = run_production_check(**secrets)
    assert result.returncode == 0, result.stderr
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_PROXY_SSL_HEADER, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, "
        "s.STORAGES['staticfiles']['BACKEND'], s.WAGTAILADMIN_BASE_URL, s.EMAIL_TIMEOUT)"
    )
    result = run_production_check("shell", "--no-imports", "-c", code, **secrets)
    assert result.stdout.strip().splitlines()[-1] == (
        "False ('HTTP_X_FORWARDED_PROTO', 'https') ['moroccotech.ma'] True "
        "whitenoise.storage.CompressedManifestStaticFilesStorage https://moroccotech.ma 10"
    ), result.stderr


def test_in_development_absolute_links_follow_the_port(tmp_path):
    code = "from django.conf import settings as s; print(s.PUBLIC_BASE_URL, s.WAGTAILADMIN_BASE_URL)"
    environment = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "WAGTAILADMIN_BASE_URL")}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.dev", PORT="8765", CACHE_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8765 http://127.0.0.1:8765", result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    """Two app processes on one SQLite file: readers never wait for a writer, writers wait their turn."""
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "wal 20000", result.stderr


def test_test_settings_are_isolated():
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.TIME_ZONE == "Africa/Casablanca"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "ar", "en", "zgh"]
    # Wagtail has no Amazigh admin: editors choose among the three it speaks.
    assert [code for code, _ in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["fr", "ar", "en"]


WRITER = """
import sys
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS hits (worker TEXT, n INTEGER)")
for n in range(150):
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Read, then write: the pattern that fails at once under SQLite's deferred transactions.
            cursor.execute("SELECT count(*) FROM hits")
            cursor.execute("INSERT INTO hits VALUES (%s, %s)", [sys.argv[-1], n])
print("done")
"""


def test_two_processes_writing_to_sqlite_at_once_never_see_database_is_locked(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text("import django; django.setup()\n" + WRITER)
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path),
        PYTHONPATH=str(settings.BASE_DIR),
    )
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), name],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for (stdout, stderr), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0 and "database is locked" not in stderr, stderr[-2000:]
        assert stdout.strip().endswith("done")


def test_a_fresh_database_migrates_from_the_command_line(tmp_path):
    """`make run` on a new machine: manage.py migrate runs the system checks before any table exists."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
    )
    for command in (["migrate", "--no-input", "-v", "0"], ["check", "--database", "default"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]


def test_the_deployment_check_warns_while_backups_stay_on_the_machine(settings):
    settings.BACKUP_COPY_TO = ""
    assert "portal.W002" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.BACKUP_COPY_TO = "s3://moroccotech-sauvegardes/portail"
    assert "portal.W002" not in {message.id for message in run_checks(include_deployment_checks=True)}
