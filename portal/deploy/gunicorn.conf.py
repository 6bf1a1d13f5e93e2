"""gunicorn's settings for the portal's app servers, every figure from the environment.

    gunicorn -c portal/deploy/gunicorn.conf.py portal.wsgi

Sync workers: each request holds one worker, and the slow work (imports,
relinking, mails, purges) runs in the task worker, so a request never waits
long. Measured by `make bench`: about 2 workers per core keep a core busy.
"""

import multiprocessing
import os


def number(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        parsed = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None
    if parsed < 0:
        raise SystemExit(f"{name} must not be negative")
    return parsed


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = number("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count())
# An editor's request answers in well under a second (long work is queued): a
# request still running after this is stuck, and its worker is replaced.
timeout = number("GUNICORN_TIMEOUT", 30)
graceful_timeout = number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = number("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after this many requests (with jitter, so that they
# do not all restart at once): memory a library keeps never grows without end.
max_requests = number("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = number("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The code is loaded once in the master, then shared by the workers' memory.
preload_app = True
# Errors go to the process's output, where the platform collects them; requests are
# logged by Django (portal.observability, JSON with the request id), so gunicorn's own
# access log is off unless GUNICORN_ACCESS_LOG names a file or "-".
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# The proxy or Varnish in front sets X-Forwarded-*; Django decides whom to trust (TRUSTED_PROXIES).
forwarded_allow_ips = "*"
