"""The deployment files (#25): the compose file runs what `make stack` runs, and they are exact."""

import re
import runpy
import shutil
import subprocess

import pytest
import yaml

from portal.tooling import stack, varnish

DEPLOY = stack.BASE_DIR / "portal" / "deploy"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_the_compose_file_runs_the_same_processes_as_make_stack(compose):
    assert sorted(compose["services"]) == sorted(stack.SERVICES)
    services = compose["services"]
    assert services["worker"]["command"][-1] == "run_worker"
    assert services["scheduler"]["command"][-1] == "run_scheduler"
    for name in varnish.APP_SERVERS:
        # The image's command: gunicorn with the shipped configuration.
        assert "command" not in services[name] and services[name]["healthcheck"]
    # One image for the app servers, the worker and the scheduler, all with the same settings.
    apps = [services[name] for name in (*varnish.APP_SERVERS, "worker", "scheduler")]
    assert len({service["image"] for service in apps}) == 1
    assert all(service["environment"] == apps[0]["environment"] for service in apps)


def test_no_secret_is_written_in_the_deployment_files(compose):
    environment = compose["services"]["app-a"]["environment"]
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL"):
        assert environment[name].startswith(f"${{{name}:?"), name  # required from the environment
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert not re.search(r"^ENV .*SECRET_KEY", dockerfile, re.MULTILINE)


def test_the_image_is_multi_stage_non_root_with_its_static_files_collected():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile and "gunicorn.conf.py" in dockerfile
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".env"} <= set(ignored)


def test_the_compose_vcl_is_the_template_rendered_for_the_compose_network():
    # After changing default.vcl.in: `python -m portal.tooling.stack compose-vcl`, then commit.
    assert varnish.COMPOSE_VCL.read_text(encoding="utf-8") == varnish.compose_vcl()
    rendered = varnish.render_vcl([("app-a", "127.0.0.1", 8001), ("app-b", "127.0.0.1", 8002)])
    assert "@" not in rendered.replace("@phk", "")
    assert rendered.count(".probe = healthz;") == 2 and "apps.add_backend(app_b);" in rendered


@pytest.mark.skipif(not shutil.which("varnishd"), reason="Varnish is installed by make stack (CI runs stack-test)")
def test_varnish_compiles_the_vcl(tmp_path):
    vcl = tmp_path / "default.vcl"
    vcl.write_text(varnish.render_vcl([("app-a", "127.0.0.1", 8001), ("app-b", "127.0.0.1", 8002)]))
    result = subprocess.run(
        # -j none: no drop to Varnish's own user, who may not read pytest's private folder.
        [shutil.which("varnishd"), "-C", "-j", "none", "-f", str(vcl), "-n", str(tmp_path / "n")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_gunicorn_takes_its_figures_from_the_environment(monkeypatch):
    conf = stack.GUNICORN_CONF
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "20")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    settings = runpy.run_path(str(conf))
    assert (settings["workers"], settings["timeout"], settings["bind"]) == (3, 20, "0.0.0.0:9000")
    assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0
    monkeypatch.setenv("GUNICORN_WORKERS", "two")
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number"):
        runpy.run_path(str(conf))


def test_the_containers_back_up_daily_to_somewhere_else(compose):
    environment = compose["services"]["scheduler"]["environment"]
    assert environment["BACKUP_DAILY"] == "true"
    assert environment["BACKUP_COPY_TO"].startswith("${BACKUP_COPY_TO:?")  # no start without a place
    assert "backups:/data/backups" in compose["services"]["scheduler"]["volumes"]
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "postgresql-client" in dockerfile and "BACKUP_DIR=/data/backups" in dockerfile
