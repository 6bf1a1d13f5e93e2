"""`make stack`: the production topology on one machine, on loopback ports, with production settings.

    python -m portal.tooling.stack up      # make stack
    python -m portal.tooling.stack down    # make stack-down
    python -m portal.tooling.stack test    # make stack-test: up, the end-to-end checks, down
    python -m portal.tooling.stack compose-vcl   # after a change to the VCL: its compose copy

The processes (SERVICES, the same list as portal/deploy/compose.yaml's services):
PostgreSQL (the machine's server, DATABASE_URL or 127.0.0.1:5432, a database
`moroccotech_stack`), a Redis of its own, two gunicorn app servers, the task
worker, the scheduler (`run_scheduler`: publish_scheduled every minute, one
instance), and Varnish in front (the shipped VCL, round robin over the two app
servers with health checks, bans by cache tag from the worker). Static files
are served by whitenoise, media by the app (SERVE_MEDIA), both kept by Varnish.

Everything lives in var/stack/: logs, media, the secret key, the process ids
(state.json). `up` leaves the processes running and prints `Front: http://127.0.0.1:PORT/`;
`down` stops them by their own process ids. Varnish comes from Debian's package
(installed here if missing and allowed), Redis from the machine's redis-server.
"""

import argparse
import concurrent.futures
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psycopg

from portal.tooling.benchmark import BASE_DIR, PYTHON, ensure_debian_package, free_port, log, production_env

STACK_DIR = BASE_DIR / "var" / "stack"
STATE = STACK_DIR / "state.json"
VCL_TEMPLATE = BASE_DIR / "portal" / "deploy" / "varnish" / "default.vcl.in"
COMPOSE_VCL = BASE_DIR / "portal" / "deploy" / "varnish" / "compose.vcl"
GUNICORN_CONF = BASE_DIR / "portal" / "deploy" / "gunicorn.conf.py"
DATABASE = "moroccotech_stack"
# What runs, here as in portal/deploy/compose.yaml (tests/portal/tooling/test_stack.py keeps them the same).
SERVICES = ("postgres", "redis", "app-a", "app-b", "worker", "scheduler", "varnish")
APP_SERVERS = ("app-a", "app-b")


def render_vcl(backends, purgers=()):
    """The shipped VCL with its backends: [(name, host, port)], and the networks allowed to ban."""
    template = VCL_TEMPLATE.read_text(encoding="utf-8")
    declared = "\n".join(
        f'backend {name.replace("-", "_")} {{\n    .host = "{host}";\n    .port = "{port}";\n'
        "    .probe = healthz;\n    .connect_timeout = 1s;\n    .first_byte_timeout = 35s;\n}"
        for name, host, port in backends
    )
    director = "\n".join(f"    apps.add_backend({name.replace('-', '_')});" for name, _host, _port in backends)
    allowed = "\n".join(
        '    "{}"/{};'.format(*network.split("/")) if "/" in network else f'    "{network}";'
        for network in purgers
    )
    return (
        template.replace("@BACKENDS@", declared)
        .replace("@DIRECTOR@", director)
        .replace("    @PURGERS@\n", allowed + ("\n" if allowed else ""))
    )


def compose_vcl():
    """The VCL the compose file's varnish service mounts: the app services by name, the private network."""
    return render_vcl([(name, name, 8000) for name in APP_SERVERS], purgers=["172.16.0.0/12", "10.0.0.0/8"])


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state():
    if not STATE.exists():
        return None
    return json.loads(STATE.read_text(encoding="utf-8"))


def write_state(state):
    STATE.write_text(json.dumps(state, indent=2), encoding="utf-8")


def stack_env(state):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        database_url = "postgres://postgres@127.0.0.1:5432/postgres"
    database_url = database_url.rsplit("/", 1)[0] + "/" + DATABASE
    secret_file = STACK_DIR / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        secret_file.chmod(0o600)
    front = f"http://127.0.0.1:{state['ports']['varnish']}"
    return production_env(
        STACK_DIR,
        database_url,
        "stack",
        SECRET_KEY=secret_file.read_text(encoding="utf-8").strip(),
        PUBLIC_BASE_URL=front,
        REDIS_URL=f"redis://127.0.0.1:{state['ports']['redis']}/0",
        CACHE_KEY_PREFIX="stack",
        SERVE_MEDIA="true",
        FRONT_CACHE_BAN_URLS=front + "/",
        TRUSTED_PROXIES="127.0.0.1",
        LOG_LEVEL="INFO",
    )


def ensure_database(database_url):
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
            log(f"created the database {DATABASE}")


def start(name, command, env, state):
    logfile = STACK_DIR / "logs" / f"{name}.log"
    with open(logfile, "ab") as output:
        # Its own session: the processes outlive `make stack`, and `down` stops each group.
        process = subprocess.Popen(
            command, env=env, cwd=BASE_DIR, stdout=output, stderr=output, start_new_session=True
        )
    state["pids"][name] = process.pid
    write_state(state)
    return process.pid


def wait_for(url, seconds=60, headers=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
            with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return True
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.3)
    return False


def app_command(name, state):
    return [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "portal.wsgi"], {
        "GUNICORN_BIND": f"127.0.0.1:{state['ports'][name]}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": str(STACK_DIR / "logs" / f"{name}-access.log"),
    }


def start_app(name, env, state):
    command, extra = app_command(name, state)
    return start(name, command, {**env, **extra}, state)


def start_worker(env, state):
    return start("worker", [PYTHON, "manage.py", "run_worker", "--interval", "0.2"], env, state)


def start_redis(state):
    redis = shutil.which("redis-server") or sys.exit(
        "redis-server is needed (Debian: apt-get install redis-server)"
    )
    port = state["ports"]["redis"]
    return start("redis", [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                 os.environ, state)  # fmt: skip


def up():
    state = read_state()
    if state and all(alive(pid) for pid in state["pids"].values()):
        print(f"Front: http://127.0.0.1:{state['ports']['varnish']}/")
        return state
    if state:
        down()
    varnishd = ensure_debian_package("varnish", "varnishd")
    for folder in ("logs", "media", "static", "cache"):
        (STACK_DIR / folder).mkdir(parents=True, exist_ok=True)
    state = {"ports": {name: free_port() for name in ("varnish", "redis", *APP_SERVERS)}, "pids": {}}
    write_state(state)
    env = stack_env(state)
    ensure_database(env["DATABASE_URL"])
    start_redis(state)
    log("migrate, collectstatic and setup_portal (once per release, before the app servers)")
    for arguments in (("migrate", "--no-input"), ("collectstatic", "--no-input"), ("setup_portal", "--demo")):
        subprocess.run([PYTHON, "manage.py", *arguments, "-v", "0"], env=env, cwd=BASE_DIR, check=True)
    for name in APP_SERVERS:
        start_app(name, env, state)
    start_worker(env, state)
    start("scheduler", [PYTHON, "manage.py", "run_scheduler", "-v", "0"], env, state)
    vcl = STACK_DIR / "default.vcl"
    vcl.write_text(
        render_vcl([(name, "127.0.0.1", state["ports"][name]) for name in APP_SERVERS]), encoding="utf-8"
    )
    front = state["ports"]["varnish"]
    start(
        "varnish",
        [varnishd, "-F", "-n", str(STACK_DIR / "varnish"), "-a", f"127.0.0.1:{front}", "-f", str(vcl),
         "-s", "malloc,256m", "-T", "none"],
        os.environ,
        state,
    )  # fmt: skip
    for name in APP_SERVERS:
        if not wait_for(f"http://127.0.0.1:{state['ports'][name]}/healthz"):
            sys.exit(f"{name} did not answer; see {STACK_DIR / 'logs' / (name + '.log')}")
    if not wait_for(f"http://127.0.0.1:{front}/healthz"):
        sys.exit(f"Varnish did not answer; see {STACK_DIR / 'logs' / 'varnish.log'}")
    print(f"Front: http://127.0.0.1:{front}/", flush=True)
    return state


def stop(pid, seconds=20):
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.2)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
    if alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def down():
    state = read_state()
    if not state:
        print("No stack is running (no var/stack/state.json).")
        return
    # The front first (no new requests), the database's users last.
    for name in ("varnish", "scheduler", "worker", *APP_SERVERS, "redis"):
        pid = state["pids"].get(name)
        if pid:
            stop(pid)
            log(f"stopped {name} ({pid})")
    STATE.unlink()


# --- make stack-test -----------------------------------------------------------

PUBLISH = """
import os, time
from portal.news.models import ArticlePage
article = ArticlePage.objects.live().filter(locale__language_code="fr").order_by("-pk").first()
article.title = os.environ["STACK_TITLE"]
article.save_revision().publish()
print("PUBLISHED", time.time(), article.url, flush=True)
"""


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), ""


def check(condition, message):
    log(("ok    " if condition else "FAILED ") + message)
    return bool(condition)


def run_checks(state, env):
    """Through the front, as visitors and editors see it. Returns the number of failed checks."""
    front = f"http://127.0.0.1:{state['ports']['varnish']}"
    results = []
    news = f"{front}/fr/actualites/"
    get(news)
    status, headers, _body = get(news)
    results.append(
        check(status == 200 and headers.get("X-Front-Cache") == "hit", "the news index is served from Varnish")
    )
    results.append(check("X-Cache-Tags" not in headers, "the cache tags stay inside"))

    # A publish (in a process of its own, as on app server A) is visible through the front within 1 s.
    title = f"Publié à travers la pile {secrets.token_hex(3)}"
    # Every app worker warm, as in service: the first request a new process serves costs
    # about a second (templates, catalogues). Concurrent requests, so that each worker takes some.
    warm_up = [
        f"http://127.0.0.1:{state['ports'][name]}/fr/actualites/?warm={n}"
        for name in APP_SERVERS
        for n in range(16)
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(get, warm_up))
    # Timed from the moment the publish has committed (the process prints it), not from
    # the end of the process: its exit says nothing of what visitors see.
    publisher = subprocess.Popen(
        [PYTHON, "manage.py", "shell", "-c", PUBLISH],
        env={**env, "STACK_TITLE": title},
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    published_at = time.time()
    for line in publisher.stdout:
        if line.startswith("PUBLISHED "):
            published_at = float(line.split()[1])
            break
    seen = None
    while time.time() - published_at < 5:
        if title in get(news)[2]:
            seen = time.time() - published_at
            break
        time.sleep(0.02)
    publisher.wait()
    results.append(check(seen is not None and seen < 1, f"a publish shows through the front in {seen or 0:.2f} s"))

    # App server B killed: the front keeps answering.
    stop(state["pids"]["app-b"], seconds=0)
    answers = [get(f"{front}/fr/evenements/?page={n % 2 + 1}")[0] for n in range(20)]
    answers += [get(f"{front}/healthz")[0] for _ in range(10)]
    results.append(check(set(answers) == {200}, f"with app-b killed, 30 requests answered {sorted(set(answers))}"))
    start_app("app-b", env, state)
    wait_for(f"http://127.0.0.1:{state['ports']['app-b']}/healthz")

    # Redis restarted: no error page (the cache is a cache).
    stop(state["pids"]["redis"], seconds=5)
    during = [get(f"{front}/fr/startups/?n={n}")[0] for n in range(5)]
    start_redis(state)
    time.sleep(1)
    after = [get(f"{front}/fr/startups/?m={n}")[0] for n in range(5)]
    results.append(
        check(set(during + after) == {200}, f"Redis stopped then restarted: {sorted(set(during + after))}")
    )
    return results.count(False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("up", "down", "test", "compose-vcl"))
    args = parser.parse_args()
    if args.action == "compose-vcl":
        # After a change to the VCL template: the compose file's copy, committed (a test compares).
        COMPOSE_VCL.write_text(compose_vcl(), encoding="utf-8")
        log(f"wrote {COMPOSE_VCL}")
    elif args.action == "up":
        up()
    elif args.action == "down":
        down()
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        try:
            started = time.monotonic()
            state = up()
            failed = run_checks(state, stack_env(state))
            log(f"stack test: {'all checks passed' if not failed else f'{failed} check(s) failed'} "
                f"in {time.monotonic() - started:.0f} s")  # fmt: skip
            sys.exit(1 if failed else 0)
        finally:
            down()


if __name__ == "__main__":
    main()
