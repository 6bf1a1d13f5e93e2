"""`make bench`: the portal under load, on this machine, with the numbers written down.

    python -m portal.tooling.benchmark [--duration 5] [--connections 16] [--articles 10000 ...]

Builds a scratch database (on the PostgreSQL server DATABASE_URL points to,
else a SQLite file), migrates it, fills it with generate_content, then
starts gunicorn (2 workers, production settings, DEBUG off) on a free
loopback port twice: without the page cache ("uncached": every request
renders) and with it ("cached"). For each public page type and for a
trivial view (robots.txt through the whole middleware stack, no database),
wrk runs for --duration seconds with --connections connections. With the
page cache on, it then puts Varnish (the shipped VCL) in front, with a task
worker sending the bans, and measures the same pages through it and the time
from a publish to the new version through the front. It also counts each
page's SQL queries, times the importer on 1,000 files made from the seeds and
an organisation's publish (the editor's wait, then the worker's relinking of
every article), notes each worker's memory after the uncached run, and writes
the table to stdout and to docs/benchmarks.md. Everything it started and
created is removed at the end, whatever happens.

wrk and Varnish come from Debian's packages (installed here if missing and allowed).
Nothing leaves the loopback interface.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from portal.tooling import varnish
from portal.tooling.varnish import varnishd_command

BASE_DIR = Path(__file__).resolve().parents[2]
# docs/benchmarks.md: `make bench` writes above it, `make lighthouse` (portal.tooling.lighthouse) below.
LIGHTHOUSE_MARKER = "<!-- make lighthouse -->"
# Quiet and busy phases of the publishing row, in turn.
PUBLISHING_ROUNDS = 2
# Publishes timed from their commit until the front shows them.
FRONT_PUBLISHES = 5
# Distinct search queries timed one by one.
SEARCH_QUERIES = 100
PYTHON = sys.executable
VACUUM = (
    "from django.db import connection\nwith connection.cursor() as cursor:\n    cursor.execute('VACUUM ANALYZE')"
)
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def log(message):
    print(f"[{Path(sys.argv[0]).stem} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_debian_package(package, command):
    """The command, from Debian's package, installed here if missing and allowed (root with apt-get)."""
    if shutil.which(command):
        return shutil.which(command)
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"{command} is needed: install Debian's package (sudo apt-get install {package}) and run again.")
    log(f"installing {package} (Debian package)")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [
        "apt-get",
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "-o",
        "DPkg::Lock::Timeout=600",
        package,
    ]
    if subprocess.run(install, stdout=subprocess.DEVNULL, env=environment).returncode != 0:
        # A fresh machine has no package lists yet.
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL, env=environment)
        subprocess.run(install, check=True, stdout=subprocess.DEVNULL, env=environment)
    return shutil.which(command)


def ensure_wrk():
    return ensure_debian_package("wrk", "wrk")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def scratch_database(workdir):
    """A new, empty database for the run; dropped afterwards. Yields (DATABASE_URL, description)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}", f"SQLite {__import__('sqlite3').sqlite_version}"
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"moroccotech_bench_{os.getpid()}"
    admin = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        scratch = url.rsplit("/", 1)[0] + "/" + name
        yield scratch, f"PostgreSQL {version}"
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else None,
    )
    return result.stdout if capture else ""


@contextmanager
def gunicorn(env, workers, logfile):
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "portal.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    with open(logfile, "ab") as output:
        process = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=output, stderr=output)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            with suppress(OSError):
                if urllib.request.urlopen(f"{base}/healthz", timeout=2).status == 200:  # noqa: S310 (loopback)
                    break
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {logfile}")
            time.sleep(0.5)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def background(command, env, logfile):
    """A helper process (the task worker, Varnish) for the length of the block."""
    with open(logfile, "ab") as output:
        process = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=output, stderr=output)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def through_the_front(
    env, front_port, wrk, script, workdir, base, rows, duration, connections, publishes=FRONT_PUBLISHES
):
    """Varnish (the shipped VCL) in front of the running gunicorn, and the task worker that bans.

    Each page type through the front, as the cached run did through Django, then
    `publishes` publishes from another process, each timed from its commit until the
    new title shows through the front. Returns the publish times (None: not within 5 s).
    """
    varnishd = ensure_debian_package("varnish", "varnishd")
    port = urllib.parse.urlsplit(base).port
    front = f"http://127.0.0.1:{front_port}"
    # Varnish reads its VCL as its own user: the scratch folder (mkdtemp's 0700) must let it through.
    workdir.chmod(0o711)
    command = varnishd_command(varnishd, workdir, front_port, [("app", "127.0.0.1", port)])
    worker = [PYTHON, "manage.py", "run_worker", "-v", "0"]
    with background(worker, env, workdir / "worker.log"), background(command, env, workdir / "varnish.log"):
        for _ in range(120):
            with suppress(OSError):
                if varnish.get(f"{front}/healthz", timeout=2)[0] == 200:
                    break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"Varnish did not answer; see {workdir / 'varnish.log'}")
        for name, row in rows.items():
            warm(front + row["url"])
            row["front"] = run_wrk(wrk, script, front + row["url"], duration, connections)
            row["front"]["state"] = varnish.get(front + row["url"])[1].get("X-Front-Cache", "")
            log(f"front    {name:28} {row['front']['rps']:8.0f} req/s  p99 {row['front']['p99']:.1f} ms")
        return [
            varnish.time_to_front(env, front, f"Publié, vu à travers Varnish {n} {secrets.token_hex(3)}")
            for n in range(publishes)
        ]


def worker_rss_mb(master_pid):
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with suppress(OSError):
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if int(fields.get("PPid", "0").strip()) == master_pid:
                sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def run_wrk(wrk, script, url, duration, connections):
    threads = min(2, connections)
    # As browsers ask: every one accepts gzip, which Django compresses per answer and Varnish
    # keeps compressed (without it, Varnish would unzip each answer for wrk).
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "-H", "Accept-Encoding: gzip", "-s", script, url]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    stats = json.loads(output.strip().splitlines()[-1])
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def warm(url, times=3):
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            response.read()


PUBLISH_ONE_ARTICLE = """
from portal.tooling.generate import GENERATED_SLUG_PREFIX
from portal.news.models import ArticlePage
article = ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).order_by("pk").first()
article.title = article.title + " (corrigé)"
article.save_revision().publish()
"""


def x_cache(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        response.read()
        return response.headers.get("X-Cache", "")


# A moderator at work: every second, an edit of a random article, published.
PUBLISH_EVERY_SECOND = """
import random, time
from portal.news.models import ArticlePage
from portal.tooling.generate import GENERATED_SLUG_PREFIX
ids = list(ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).values_list("pk", flat=True))
rng = random.Random(5)
print("ready", flush=True)
end = time.monotonic() + {seconds}
published = 0
while time.monotonic() < end:
    started = time.monotonic()
    article = ArticlePage.objects.get(pk=rng.choice(ids))
    suffix = " (corrigé)"
    article.title = article.title[: -len(suffix)] if article.title.endswith(suffix) else article.title + suffix
    article.save_revision().publish()
    published += 1
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
print(published, flush=True)
"""


def mixed_script(paths):
    """wrk's script for a mixed read load: each connection walks through every page type in turn."""
    listed = ", ".join(json.dumps(path) for path in paths)
    return (
        f"local paths = {{{listed}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n" + WRK_SCRIPT
    )


def publishing_under_load(env, wrk, workdir, base, rows, duration, connections, rounds=PUBLISHING_ROUNDS):
    """The mixed read load (cached) alone, then while a moderator publishes once a second, `rounds` times in turn.

    Alternating quiet and busy phases, rather than one of each, keeps a machine
    whose speed drifts over minutes (a shared cloud core) from deciding the ratio.
    """
    paths = [row["url"] for name, row in rows.items() if not name.startswith("trivial")]
    script = workdir / "mixed.lua"
    script.write_text(mixed_script(paths))
    for path in paths:
        warm(base + path, times=2)
    quiet, busy, published = [], [], 0
    for _round in range(rounds):
        quiet.append(run_wrk(wrk, str(script), base + "/", duration, connections))
        stats, count = load_while_publishing(env, wrk, str(script), base, duration, connections)
        busy.append(stats)
        published += count
    return {"pages": len(paths), "quiet": combined(quiet), "busy": combined(busy), "published": published}


def load_while_publishing(env, wrk, script, base, duration, connections):
    publisher = subprocess.Popen(
        [PYTHON, str(BASE_DIR / "manage.py"), "shell", "-c", PUBLISH_EVERY_SECOND.format(seconds=duration + 1)],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # Django's shell may announce what it imported before the script's first line.
        for line in publisher.stdout:
            if line.strip() == "ready":
                break
        else:
            raise RuntimeError("the publishing process did not start")
        stats = run_wrk(wrk, script, base + "/", duration, connections)
        published = int(publisher.stdout.read().strip().splitlines()[-1])
    finally:
        if publisher.poll() is None:
            publisher.kill()
        publisher.wait()
    return stats, published


def combined(runs):
    """Several wrk runs as one: requests per second over all of them, the worst p99, each round's rate."""
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["duration_us"] for run in runs) / 1e6
    return {
        "rps": requests / seconds,
        "p99": max(run["p99"] for run in runs),
        "rounds": [run["rps"] for run in runs],
    }


def invalidation_probe(env, base, rows):
    """Publish one article through another process; which cached page types are still hits?"""
    urls = {name: row["url"] for name, row in rows.items() if not name.startswith("trivial")}
    for url in urls.values():
        warm(base + url, times=2)
    manage(env, "shell", "-c", PUBLISH_ONE_ARTICLE)
    return {name: x_cache(base + url) for name, url in urls.items()}


# An editor publishes an organisation, as the admin's "Publish" does: the request's share is
# timed here; relinking every live article is queued for the worker, timed after.
ORGANISATION_SAVE = """
import json, time
from django.contrib.auth import get_user_model
from brand.models import ArticleMention, Organisation
from portal.news.models import ArticlePage
organisation = Organisation.objects.live().filter(article_mentions__isnull=False).order_by("pk").first()
organisation = organisation or Organisation.objects.live().order_by("pk").first()
user = get_user_model().objects.filter(is_superuser=True).first()
mentions = ArticleMention.objects.filter(organisation=organisation).count()
ArticleMention.objects.filter(organisation=organisation).delete()  # as if its names had just changed
started = time.perf_counter()
organisation.save_revision(user=user).publish(user=user)
print(json.dumps({"seconds": time.perf_counter() - started, "mentions": mentions,
                  "articles": ArticlePage.objects.live().count(), "pk": organisation.pk}))
"""
COUNT_MENTIONS = """
import os
from brand.models import ArticleMention
print(ArticleMention.objects.filter(organisation_id=int(os.environ["ORGANISATION"])).count())
"""


def organisation_save(env):
    """The editor's wait when publishing an organisation, then the worker's relinking and its result."""
    manage(env, "run_worker", "--batch", "-v", "0")  # what earlier steps queued, out of the way
    saved = json.loads(manage(env, "shell", "-c", ORGANISATION_SAVE, capture=True).strip().splitlines()[-1])
    started = time.perf_counter()
    manage(env, "run_worker", "--batch", "-v", "0")
    saved["worker seconds"] = time.perf_counter() - started
    counted = manage({**env, "ORGANISATION": str(saved["pk"])}, "shell", "-c", COUNT_MENTIONS, capture=True)
    saved["mentions after"] = int(counted.strip().splitlines()[-1])
    return saved


def import_timings(env, workdir, count=1000):
    """Make `count` scraped files from the seeds' shapes, import them, then import them again unchanged."""
    import yaml

    seeds_dir = BASE_DIR / "fixtures" / "articles"
    seeds = sorted(seeds_dir.glob("*.txt"))
    seed_manifest = yaml.safe_load((seeds_dir / "manifest.yaml").read_text(encoding="utf-8"))
    folder = workdir / "scraped"
    folder.mkdir()
    manifest = {}
    for n in range(count):
        seed = seeds[n % len(seeds)]
        lines = seed.read_text(encoding="utf-8").splitlines()
        # A distinct article each time: a numbered first line and a numbered sentence at the end.
        first = next(i for i, line in enumerate(lines) if line.strip())
        lines[first] = f"{lines[first].rstrip()} Édition fictive n° {n + 1}."
        lines.append(f"Paragraphe ajouté pour l'essai de charge n° {n + 1}, à ne pas publier.")
        name = f"{n:04d}_{seed.stem.split('_', 1)[1]}.txt"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        # What the seed's manifest supplies (two seeds have no title in the file), numbered too.
        if seed.name in seed_manifest:
            entry = {k: v for k, v in seed_manifest[seed.name].items() if k not in ("note", "original_url")}
            if "title" in entry:
                entry["title"] = f"{entry['title']} (essai n° {n + 1})"
            manifest[name] = entry
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    timings = {}
    for label in ("first import", "unchanged re-import"):
        started = time.perf_counter()
        # The command exits 1 when a file fails; its JSON report says which and why.
        result = subprocess.run(
            [PYTHON, str(BASE_DIR / "manage.py"), "import_articles", str(folder), "--draft", "--format", "json"],
            env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False,
        )  # fmt: skip
        timings[label] = time.perf_counter() - started
        try:
            report = json.loads(result.stdout)
        except ValueError:
            raise RuntimeError(f"import_articles failed: {result.stderr[-2000:]}") from None
        statuses = {}
        for entry in report:
            statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
        timings[f"{label} statuses"] = statuses
    return timings


def machine():
    cpu = "unknown CPU"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def count_queries_main():
    """In a Django process on the scratch database: the URLs to load, with their warm query counts."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from taggit.models import Tag

    from brand.models import Organisation, StartupPage
    from events.models import EventPage
    from portal.news.models import ArticlePage
    from portal.tooling.generate import GENERATED_SLUG_PREFIX

    def first(model):
        return model.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).order_by("pk").first()

    startup = first(StartupPage)
    tag = Tag.objects.filter(articlepage__isnull=False).order_by("pk").first()
    urls = {
        "home": "/fr/",
        "news index": "/fr/actualites/",
        "news tag filter": f"/fr/actualites/?tag={tag.slug}",
        "article": first(ArticlePage).url,
        "events index": "/fr/evenements/",
        "event": first(EventPage).url,
        "startups directory": "/fr/startups/",
        "startups filtered": f"/fr/startups/?sector={startup.sectors.first().slug}&city={startup.city.slug}",
        "startup": startup.url,
        "organisation": f"/fr/moroccotech/organisations/{first(Organisation).slug}/",
        "brand": "/fr/moroccotech/",
        "search": "/fr/recherche/?q=innovation+num%C3%A9rique",
        "figures": "/fr/ecosysteme-en-chiffres/",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    result = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        result[name] = {"url": url, "queries": len(queries), "status": status}
    print(json.dumps({"pages": result, "search_queries": search_queries()}))


def search_queries(count=SEARCH_QUERIES):
    """Distinct queries a visitor might type: one or two words from the titles of random articles."""
    import random

    from portal.news.models import ArticlePage
    from portal.tooling.generate import GENERATED_SLUG_PREFIX

    rng = random.Random(8)  # noqa: S311 (the same queries every run, not a secret)
    titles = list(
        ArticlePage.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    queries = set()
    for _ in range(count * 20):
        if len(queries) == count or not titles:
            break
        words = [w for w in rng.choice(titles).replace("'", " ").split() if len(w) >= 5 and w != "(fictif)"]
        if words:
            queries.add(" ".join(rng.sample(words, min(len(words), rng.choice((1, 2))))))
    return sorted(queries)


def search_latencies(base, queries):
    """Each query once, one at a time: what one visitor waits, without any cache (no query repeats)."""
    timings = []
    for query in queries:
        url = f"{base}/fr/recherche/?{urllib.parse.urlencode({'q': query})}"
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "count": len(timings),
        "p50": timings[len(timings) // 2],
        "p95": timings[min(len(timings) - 1, round(len(timings) * 0.95) - 1)],
        "max": timings[-1],
    }


def fmt(value, digits=0):
    return f"{value:,.{digits}f}".replace(",", " ")


def table(rows, trivial):
    lines = [
        "| page | queries | uncached req/s | p50 ms | p99 ms | errors | ÷ trivial | cached req/s | p50 ms | p99 ms "
        "| errors | ÷ trivial | Varnish req/s | p99 ms | errors | × cached |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in rows.items():
        u, c = row["uncached"], row["cached"]
        f = row.get("front")
        front = (
            f"{fmt(f['rps'])}{'' if f['state'] == 'hit' else ' (not kept)'} "
            f"| {f['p99']:.1f} | {f['errors']} | {f['rps'] / c['rps']:.1f}× |"
            if f
            else "– | – | – | – |"
        )
        lines.append(
            f"| {name} | {row.get('queries', '–')} | {fmt(u['rps'])} | {u['p50']:.1f} | {u['p99']:.1f} | {u['errors']} "
            f"| {u['rps'] / trivial:.0%} | {fmt(c['rps'])} | {c['p50']:.1f} | {c['p99']:.1f} | {c['errors']} "
            f"| {c['rps'] / trivial:.0%} | {front}"
        )
    return "\n".join(lines)


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page and mode (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000)
    parser.add_argument("--startups", type=int, default=2_000)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--import-files", type=int, default=1_000, help="scraped files to import (0 to skip)")
    parser.add_argument(
        "--memory-after",
        type=int,
        default=10_000,
        help="page requests the workers serve before their memory is read (default 10000)",
    )
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "benchmarks.md"), help="'-' for stdout only")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        return count_queries_main()

    # Stopped by `timeout`, CI or kill: unwind like Ctrl-C, so the finally
    # blocks stop gunicorn and drop the scratch database.
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.perf_counter()
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="moroccotech-bench-"))
    try:
        with scratch_database(workdir) as (database_url, database):
            report = run(args, wrk, workdir, database_url, database)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report += f"\nThe whole run took {time.perf_counter() - started:.0f} s.\n"
    print(report)
    if args.output != "-":
        output = Path(args.output)
        # `make lighthouse` writes its own part below the marker: kept as it is.
        previous = output.read_text(encoding="utf-8") if output.exists() else ""
        kept = previous[previous.index(LIGHTHOUSE_MARKER) :] if LIGHTHOUSE_MARKER in previous else ""
        output.write_text(report + ("\n" + kept if kept else ""), encoding="utf-8")
        log(f"written to {args.output}")


def production_env(workdir, database_url, name, **extra):
    """The environment of a production-settings run on the loopback, its files under workdir."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        # Plain HTTP on the loopback: no proxy in front to say it was HTTPS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "CACHE_DIR": str(workdir / "cache"),
        "CACHE_KEY_PREFIX": f"{name}-{os.getpid()}",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def run(args, wrk, workdir, database_url, database):
    redis_url = os.environ.get("REDIS_URL", "")
    env = production_env(workdir, database_url, "bench")
    log(f"scratch database: {database}; cache: {'Redis' if redis_url else 'files'}")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    log("generating content")
    output = manage(
        env,
        "generate_content",
        f"--articles={args.articles}",
        f"--events={args.events}",
        f"--startups={args.startups}",
        f"--organisations={args.organisations}",
        capture=True,
    )
    generated = output.strip().splitlines()[-1]
    log(generated)
    if urllib.parse.urlsplit(database_url).scheme.startswith("postgres"):
        # A database in service has been vacuumed; a fresh bulk load would have
        # autovacuum run in the middle of the measures instead.
        log("vacuuming and analysing the scratch database")
        manage(env, "shell", "-c", VACUUM)
    measured = json.loads(
        subprocess.run(
            [PYTHON, "-m", "portal.tooling.benchmark", "--count-queries"],
            env={**env, "PAGE_CACHE_SECONDS": "0"},
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    counts = measured["pages"]
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    rows = {"trivial view (robots.txt)": {"url": "/robots.txt"}}
    rows.update({name: {"url": info["url"], "queries": info["queries"]} for name, info in counts.items()})
    memory, probe, publishing, to_front = [], {}, {}, []
    front_port = free_port()
    for mode, seconds in (("uncached", "0"), ("cached", "300")):
        mode_env = {**env, "PAGE_CACHE_SECONDS": seconds}
        if mode == "cached":
            # As in production behind Varnish: pages carry their cache tags, publishes queue bans.
            mode_env["FRONT_CACHE_BAN_URLS"] = f"http://127.0.0.1:{front_port}/"
        with gunicorn(mode_env, args.workers, workdir / "gunicorn.log") as (base, process):
            for name, row in rows.items():
                warm(base + row["url"])
                row[mode] = run_wrk(wrk, str(script), base + row["url"], args.duration, args.connections)
                log(f"{mode:8} {name:28} {row[mode]['rps']:8.0f} req/s  p99 {row[mode]['p99']:.1f} ms")
            if mode == "uncached":
                search = search_latencies(base, measured["search_queries"])
                log(f"search, {search['count']} distinct queries one at a time: p95 {search['p95']:.1f} ms")
                # Pages only: robots.txt's thousands say nothing about memory.
                pages = [row for name, row in rows.items() if not name.startswith("trivial")]
                served = sum(row["uncached"]["requests"] for row in pages)
                # More rounds over every page type until the workers have served
                # enough requests for their memory to say something.
                while served < args.memory_after:
                    for row in pages:
                        served += run_wrk(wrk, str(script), base + row["url"], 1, args.connections)["requests"]
                memory = worker_rss_mb(process.pid)
                log(f"worker memory after {served} requests: {memory}")
            else:
                publishing = publishing_under_load(
                    mode_env, wrk, workdir, base, rows, args.duration * 2, args.connections
                )
                log(
                    f"mixed load {publishing['quiet']['rps']:.0f} req/s alone, {publishing['busy']['rps']:.0f} "
                    f"req/s with {publishing['published']} publishes"
                )
                probe = invalidation_probe(mode_env, base, rows)
                log(f"after publishing one article, still cached: {[n for n, s in probe.items() if s == 'hit']}")
                to_front = through_the_front(
                    mode_env, front_port, wrk, str(script), workdir, base, rows, args.duration, args.connections
                )
                log(f"publish to front: {to_front} s")
    trivial = rows["trivial view (robots.txt)"]["uncached"]["rps"]
    imports = import_timings(env, workdir, args.import_files) if args.import_files else {}
    if imports:
        log(f"importer: {imports}")
    organisation = organisation_save(env)
    log(f"organisation published: {organisation}")
    measured = {
        "memory": memory,
        "served": served,
        "imports": imports,
        "search_alone": search,
        "probe": probe,
        "publishing": publishing,
        "to_front": to_front,
        "organisation": organisation,
    }
    return render(args, rows, trivial, generated, database, redis_url, measured)


def render(args, rows, trivial, generated, database, redis_url, measured):
    memory, served, imports = measured["memory"], measured["served"], measured["imports"]
    search_alone, probe, publishing = measured["search_alone"], measured["probe"], measured["publishing"]
    to_front, organisation = measured["to_front"], measured["organisation"]
    pages = {name: row for name, row in rows.items() if not name.startswith("trivial")}
    slowest = min(pages.values(), key=lambda row: row["uncached"]["rps"])
    search = rows.get("search", {}).get("uncached", {})
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {datetime.date.today().isoformat()}: {machine()}.",
        f"Database: {database} (a scratch database, dropped afterwards); cache: "
        f"{'Redis' if redis_url else 'files under a scratch folder'}; gunicorn {args.workers} sync workers, "
        "production settings, DEBUG off; wrk on the same machine (it takes CPU from the server: "
        "these are floors).",
        f"Load: {args.connections} connections, {args.duration} s per page and mode, after a warm-up.",
        f"Content: {generated}",
        "",
        "Uncached: the page cache off (PAGE_CACHE_SECONDS=0), every request renders. Cached: anonymous "
        'requests served from the page cache. "÷ trivial" compares with robots.txt through the same '
        "middleware, uncached. Varnish: the same requests through Varnish (Debian's, the shipped VCL, "
        'portal/deploy/varnish/) in front of the cached gunicorn, its task worker sending the bans; "× cached" '
        'compares with the cached column; "not kept": Varnish passes it to Django (searches). Requests '
        "ask for gzip, as browsers do. Queries: SQL per request once warm (counted "
        "in-process, like the tests).",
        "",
        table(rows, trivial),
        "",
        "## Summary",
        "",
        f"- Slowest page uncached: {fmt(slowest['uncached']['rps'])} req/s; "
        f"every page type uncached between {fmt(min(r['uncached']['rps'] for r in pages.values()))} and "
        f"{fmt(max(r['uncached']['rps'] for r in pages.values()))} req/s.",
        f"- Cached pages: between {min(r['cached']['rps'] for r in pages.values()) / trivial:.0%} and "
        f"{max(r['cached']['rps'] for r in pages.values()) / trivial:.0%} of the trivial view's "
        f"{fmt(trivial)} req/s.",
        f"- Errors (socket errors and non-2xx/3xx answers) over all runs: "
        f"{sum(r[m]['errors'] for r in rows.values() for m in ('uncached', 'cached', 'front') if m in r)}.",
    ]
    fronted = {name: row["front"] for name, row in pages.items() if row.get("front", {}).get("state") == "hit"}
    if fronted:
        ratios = {name: front["rps"] / pages[name]["cached"]["rps"] for name, front in fronted.items()}
        lines.append(
            f"- Through Varnish, the {len(fronted)} page types it keeps served between "
            f"{fmt(min(f['rps'] for f in fronted.values()))} and {fmt(max(f['rps'] for f in fronted.values()))} "
            f"req/s: {min(ratios.values()):.1f}× to {max(ratios.values()):.1f}× Django's page cache "
            f"(news index {ratios.get('news index', 0):.1f}×; target 10× or more)."
        )
    if to_front:
        seen = sorted(t for t in to_front if t is not None)
        lines.append(
            f"- Publish to front: {len(to_front)} publishes of an article from another process, each timed "
            "from its commit until Varnish served the new title (the ban sent by the task worker): "
            + (f"median {seen[len(seen) // 2]:.2f} s, slowest {seen[-1]:.2f} s" if seen else "none seen")
            + (f"; {len(to_front) - len(seen)} not within 5 s" if len(seen) < len(to_front) else "")
            + " (target under 1 s)."
        )
    if probe:
        kept = [name for name, state in probe.items() if state == "hit"]
        dropped = [name for name, state in probe.items() if state != "hit"]
        lines.append(
            f"- Targeted invalidation: with every page type cached, one article was published from another "
            f"process; {len(kept)} of {len(probe)} page types were still served from the cache "
            f"({', '.join(kept) or 'none'}), and these were rendered anew: {', '.join(dropped) or 'none'}."
        )
    if publishing:
        quiet, busy = publishing["quiet"], publishing["busy"]
        lines.append(
            f"- Publishing under load: a mixed read load over the {publishing['pages']} page types (cached, "
            f"{args.connections} connections) served {fmt(quiet['rps'])} req/s "
            f"(p99 {quiet['p99']:.1f} ms) alone and {fmt(busy['rps'])} req/s (p99 {busy['p99']:.1f} ms) while a "
            f"moderator published an edit of a random article once a second ({publishing['published']} "
            f"publishes): {busy['rps'] / quiet['rps']:.0%} of the quiet load. Quiet and busy phases alternated "
            f"({len(quiet['rounds'])} of each, {args.duration * 2} s each; per round: "
            + ", ".join(f"{fmt(q)} → {fmt(b)}" for q, b in zip(quiet["rounds"], busy["rounds"], strict=True))
            + " req/s)."
        )
    if search_alone:
        lines.append(
            f"- Search on {fmt(args.articles)} articles, {search_alone['count']} distinct queries one at a time "
            f"(one or two words from article titles, each ranked afresh): p50 {search_alone['p50']:.1f} ms, "
            f"p95 {search_alone['p95']:.1f} ms, slowest {search_alone['max']:.1f} ms."
        )
    if search:
        lines.append(
            f"- Search under load (one query repeated by {args.connections} connections, page cache off; "
            "its ranking comes from the cache after the first request): "
            f"p50 {search['p50']:.1f} ms, p95 {search['p95']:.1f} ms."
        )
    if memory:
        lines.append(
            f"- Worker memory after the uncached run ({fmt(served)} requests across all page types): "
            + ", ".join(f"{size:.0f} MB" for size in memory)
            + " RSS."
        )
    if organisation:
        lines.append(
            f"- Publishing an organisation with {fmt(organisation['articles'])} live articles: "
            f"{organisation['seconds'] * 1000:.0f} ms in the editor's request (the revision, the publish, "
            f"the relinking queued); the task worker then relinked every article in "
            f"{organisation['worker seconds']:.1f} s, start-up included, and the organisation's "
            f"{organisation['mentions']} mentions, removed beforehand, were back: "
            f"{organisation['mentions after']}."
        )
    if imports:
        lines.append(
            f"- Importer, {args.import_files} scraped files made from the seeds' shapes (as drafts): "
            f"{imports['first import']:.1f} s the first time ({imports['first import statuses']}), "
            f"{imports['unchanged re-import']:.1f} s again unchanged ({imports['unchanged re-import statuses']}); "
            "each figure includes the command's start-up."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
