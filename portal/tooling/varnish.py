"""Varnish in front of the portal, for `make stack` and `make bench` alike.

The VCL is rendered from the shipped template (portal/deploy/varnish/default.vcl.in)
with the app servers of the run, and the publish-to-front probe times what a
visitor sees after an editor publishes. Neither tool imports the other: both
import this.
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VCL_TEMPLATE = BASE_DIR / "portal" / "deploy" / "varnish" / "default.vcl.in"
COMPOSE_VCL = BASE_DIR / "portal" / "deploy" / "varnish" / "compose.vcl"
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


def varnishd_command(varnishd, workdir, port, backends, storage="256m"):
    """varnishd in the foreground on a loopback port, its VCL and working folder under `workdir`."""
    workdir = Path(workdir)
    vcl = workdir / "default.vcl"
    vcl.write_text(render_vcl(backends), encoding="utf-8")
    return [
        varnishd, "-F", "-n", str(workdir / "varnish"), "-a", f"127.0.0.1:{port}", "-f", str(vcl),
        "-s", f"malloc,{storage}", "-T", "none",
    ]  # fmt: skip


def get(url, headers=None, timeout=10):
    """(status, headers, text) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), ""


# An editor's publish, in a process of its own (as on another app server): the newest
# French article gets a new title. It names the article, waits for a line on its input
# (the caller fills the front meanwhile), publishes, and prints the moment it committed.
PUBLISH = """
import os, sys, time
from portal.news.models import ArticlePage
article = ArticlePage.objects.live().filter(locale__language_code="fr").order_by("-pk").first()
print("ARTICLE", article.url, flush=True)
sys.stdin.readline()
article.title = os.environ["FRONT_PROBE_TITLE"]
article.save_revision().publish()
print("PUBLISHED", time.time(), flush=True)
"""


def time_to_front(env, front, title, also=(), limit=5.0):
    """Seconds from a publish's commit until the new title shows through the front, on the
    article's own page and on each of `also` (paths); None if not within `limit` seconds.

    The article's pages are requested once before, so that the front holds the old version:
    what is timed is the ban reaching it, not a first fill.
    """
    publisher = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", PUBLISH],
        env={**env, "FRONT_PROBE_TITLE": title},
        cwd=BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    pending = [front + path for path in also]
    # Django's shell may announce what it imported before the script's first line.
    for line in publisher.stdout:
        if line.startswith("ARTICLE "):
            pending.append(front + line.split()[1])
            break
    for url in pending:
        get(url)
    publisher.stdin.write("go\n")
    publisher.stdin.flush()
    published_at = time.time()
    # Timed from the commit (the process prints it), not from the end of the process:
    # its exit says nothing of what visitors see.
    for line in publisher.stdout:
        if line.startswith("PUBLISHED "):
            published_at = float(line.split()[1])
            break
    seen = None
    while pending and time.time() - published_at < limit:
        pending = [url for url in pending if title not in get(url)[2]]
        if not pending:
            seen = time.time() - published_at
            break
        time.sleep(0.02)
    publisher.communicate()
    return seen
