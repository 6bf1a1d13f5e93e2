"""A real server and a real browser for tests/browser.

The server is the production configuration (tests/browser/settings.py) under
gunicorn, on its own SQLite database built the way `make run` builds one
(migrate, collectstatic, setup_portal --demo), plus tests/browser/seed.py.
The browser is Debian's chromium driven by Playwright; axe-core comes from
the npm registry (tests/browser/package-lock.json). Both are installed here
when missing, since a fresh CI machine has neither.
"""

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BROWSER_DIR = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def ensure_chromium():
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.fail("The browser tests need Debian's chromium: run `sudo apt-get install -y chromium`.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Another apt-get may be running (a machine's own setup, a second test
    # process): wait for dpkg's lock instead of failing at once.
    wait = ["-o", "DPkg::Lock::Timeout=600"]
    install = ["apt-get", *wait, "install", "-y", "--no-install-recommends", "chromium"]
    with open(Path(tempfile.gettempdir()) / "moroccotech-chromium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if CHROMIUM.exists():
            return
        if subprocess.run(install, capture_output=True, env=env, check=False).returncode != 0:
            # A fresh machine has no package lists yet.
            run(["apt-get", *wait, "update"], env=env)
            run(install, env=env)


def ensure_axe():
    if AXE.exists():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("The browser tests need Node.js's npm to install axe-core.")
    with open(Path(tempfile.gettempdir()) / "moroccotech-axe.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if AXE.exists():
            return AXE
        # Installed aside, then moved into place whole: a test process that
        # finds axe.min.js never reads one still being written (a truncated
        # script fails in the browser as a SyntaxError, not as a missing file).
        staging = Path(tempfile.mkdtemp(prefix="axe-", dir=BROWSER_DIR))
        try:
            for name in ("package.json", "package-lock.json"):
                shutil.copy(BROWSER_DIR / name, staging / name)
            run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(staging)])
            shutil.rmtree(BROWSER_DIR / "node_modules", ignore_errors=True)
            (staging / "node_modules").rename(BROWSER_DIR / "node_modules")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return AXE


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    """Base URL of a gunicorn serving the demo site, and the seeded pages' URLs per language."""
    workdir = tmp_path_factory.mktemp("browser-server")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.settings",
        "SECRET_KEY": "browser-tests-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # setup_portal gives the site this address: links in feeds and the sitemap point at the server.
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        # One machine, no web server of its own for the uploads: the app serves them.
        "SERVE_MEDIA": "true",
        "CACHE_DIR": str(workdir / "cache"),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    run([*manage, "migrate", "--no-input", "-v", "0"], env=env, cwd=settings.BASE_DIR)
    run([*manage, "collectstatic", "--no-input", "-v", "0"], env=env, cwd=settings.BASE_DIR)
    run([*manage, "setup_portal", "--demo"], env=env, cwd=settings.BASE_DIR)
    urls = json.loads(
        run([*manage, "shell", "-c", "import tests.browser.seed"], env=env, cwd=settings.BASE_DIR).splitlines()[-1]
    )

    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # The background tasks (the admin's imports, mails, bans), as in production.
    worker = subprocess.Popen(
        [*manage, "run_worker", "-v", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base_url + "/robots.txt", timeout=2)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("gunicorn exited:\n" + (workdir / "gunicorn.log").read_text())
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer in time:\n" + (workdir / "gunicorn.log").read_text())
        yield {"base_url": base_url, "urls": urls}
    finally:
        for running in (process, worker):
            running.terminate()
            running.wait(timeout=30)
        log.close()


@pytest.fixture(scope="package")
def browser():
    ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def axe_source():
    return ensure_axe().read_text(encoding="utf-8")


@pytest.fixture
def artifacts():
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
