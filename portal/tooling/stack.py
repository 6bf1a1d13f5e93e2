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
import contextlib
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
from portal.tooling.varnish import APP_SERVERS, COMPOSE_VCL, compose_vcl, get, time_to_front, varnishd_command

STACK_DIR = BASE_DIR / "var" / "stack"
STATE = STACK_DIR / "state.json"
GUNICORN_CONF = BASE_DIR / "portal" / "deploy" / "gunicorn.conf.py"
DATABASE = "moroccotech_stack"
# What runs, here as in portal/deploy/compose.yaml (tests/portal/tooling/test_stack.py keeps them the same).
SERVICES = ("postgres", "redis", "app-a", "app-b", "worker", "scheduler", "varnish")


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
    return start("worker", [PYTHON, "manage.py", "run_worker"], env, state)


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
    front = state["ports"]["varnish"]
    backends = [(name, "127.0.0.1", state["ports"][name]) for name in APP_SERVERS]
    start("varnish", varnishd_command(varnishd, STACK_DIR, front, backends), os.environ, state)
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


def kill(pid):
    """SIGKILL, as the OOM killer or a lost machine would: no clean exit, no handler run."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    # Reaped, so that its process id reads as gone (a zombie still answers kill 0).
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


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

# The organisation relinking task (what an organisation's save queues), queued on the
# caller's word: it names the tables first, so that the caller can lock one beforehand.
ENQUEUE_RELINK = """
import sys
from brand.models import ArticleMention
from brand.tasks import relink_all_articles
from django_tasks_db.models import DBTaskResult
print("TABLES", ArticleMention._meta.db_table, DBTaskResult._meta.db_table, flush=True)
sys.stdin.readline()
print("TASK", relink_all_articles.enqueue().id, flush=True)
"""


def wait_for_task(connection, table, task_id, statuses, seconds):
    """(status, worker ids) of a queued task once it reaches one of `statuses`, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        status, workers = connection.execute(
            f'SELECT status, worker_ids FROM "{table}" WHERE id = %s', [task_id]
        ).fetchone()
        if status in statuses or time.monotonic() > deadline:
            return status, workers
        time.sleep(0.1)


def worker_killed_mid_task(state, env):
    """A worker killed while it runs a task, then restarted, finishes the task.

    The test holds a lock on the mentions table (after emptying it, as a bug might): the
    relinking task starts, marks itself running and waits on the lock; the worker is
    killed there. Once restarted, the worker queues the task again and runs it: the
    mentions are back, as many as before. Returns (passed, message).
    """
    relink = subprocess.Popen(
        [PYTHON, "manage.py", "shell", "-c", ENQUEUE_RELINK],
        env=env,
        cwd=BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    mentions_table = results_table = None
    for line in relink.stdout:
        if line.startswith("TABLES "):
            _word, mentions_table, results_table = line.split()
            break
    with (
        psycopg.connect(env["DATABASE_URL"], autocommit=True) as watcher,
        psycopg.connect(env["DATABASE_URL"]) as holder,
    ):
        holder.execute(f'LOCK TABLE "{mentions_table}" IN ACCESS EXCLUSIVE MODE')
        before = holder.execute(f'SELECT count(*) FROM "{mentions_table}"').fetchone()[0]
        holder.execute(f'DELETE FROM "{mentions_table}"')
        relink.stdin.write("go\n")
        relink.stdin.flush()
        task_id = next(line.split()[1] for line in relink.stdout if line.startswith("TASK "))
        relink.communicate()
        running, first_workers = wait_for_task(watcher, results_table, task_id, ("RUNNING",), seconds=20)
        kill(state["pids"]["worker"])
        holder.commit()  # the lock goes; the emptied table stays so
    if running != "RUNNING":
        return False, f"the task never started ({running})"
    started = time.monotonic()
    start_worker(env, state)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as watcher:
        final, workers = wait_for_task(watcher, results_table, task_id, ("SUCCESSFUL", "FAILED"), seconds=30)
        after = watcher.execute(f'SELECT count(*) FROM "{mentions_table}"').fetchone()[0]
    passed = final == "SUCCESSFUL" and len(workers) == 2 and after == before > 0
    return passed, (
        f"a worker killed mid-task ({first_workers[-1]}): restarted, it finished the task in "
        f"{time.monotonic() - started:.1f} s ({final}, workers {len(workers)}; mentions {before} → 0 → {after})"
    )


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
    seen = time_to_front(env, front, title, also=["/fr/actualites/"])
    results.append(
        check(
            seen is not None and seen < 1,
            f"a publish shows through the front (article and news index) in {seen or 0:.2f} s",
        )
    )

    # App server B killed: the front keeps answering.
    stop(state["pids"]["app-b"], seconds=0)
    answers = [get(f"{front}/fr/evenements/?page={n % 2 + 1}")[0] for n in range(20)]
    answers += [get(f"{front}/healthz")[0] for _ in range(10)]
    results.append(check(set(answers) == {200}, f"with app-b killed, 30 requests answered {sorted(set(answers))}"))
    start_app("app-b", env, state)
    wait_for(f"http://127.0.0.1:{state['ports']['app-b']}/healthz")

    results.append(check(*worker_killed_mid_task(state, env)))

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
