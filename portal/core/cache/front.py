"""The HTTP cache in front (Varnish): what each page was made from, and bans when that changes.

The app's own page cache knows which tags every cached page depends on
(portal.core.cache.tags). A cacheable answer carries them in `X-Cache-Tags`
(comma-separated), which the shipped VCL (portal/deploy/varnish/) keeps with
the object and hides from visitors. When tags are bumped, a task asks each
front cache (FRONT_CACHE_BAN_URLS) to ban the objects carrying any of them:
the same dependency declarations drop the same pages in front as inside,
exactly, and nothing else. The task worker sends the bans, after the commit:
an editor's publish does not wait for the caches, and a front that does not
answer is tried again (portal.core.tasks.retried).
"""

import logging
import threading
import urllib.request

from django.conf import settings
from django.db import connection, transaction

from portal.core.tasks import retried

logger = logging.getLogger(__name__)

TAG_HEADER = "X-Cache-Tags"
BAN_HEADER = "X-Ban-Tags"
# A ban that names this drops every object (a bulk load, bump_all).
EVERYTHING = "."
# Varnish refuses request headers over 8 KB (http_req_hdr_len): a change that touches
# more (a section moved with its thousand pages) bans everything instead.
MAX_EXPRESSION = 6000


def enabled():
    return bool(settings.FRONT_CACHE_BAN_URLS)


def header_value(tags):
    return ",".join(sorted(tags))


def literal(tag):
    """A tag as a regular expression of itself, without spaces or backslashes: Varnish's ban
    expressions end a value at a space, and [.] needs no escaping at any level."""
    return "".join(char if char.isalnum() or char in ":_-/@" else f"[{char}]" for char in tag)


def ban_expression(tags, everything=False):
    """The regular expression Varnish matches against each object's tag header (comma-separated)."""
    if everything:
        return EVERYTHING
    alternatives = "|".join(literal(tag) for tag in sorted(tags))
    expression = f"(^|,)({alternatives})(,|$)"
    return expression if len(expression) <= MAX_EXPRESSION else EVERYTHING


_pending = threading.local()


def request_ban(tags, everything=False):
    """Queue the ban of these tags in every front cache (nothing if none is configured).

    Inside a transaction the tags are gathered and queued once, at the commit:
    a publish bumps tags several times, and one ban is one task for the worker.
    """
    if not enabled() or not (tags or everything):
        return
    if not connection.in_atomic_block:
        send_ban.enqueue(sorted(tags), everything)
        return
    pending = getattr(_pending, "bans", None)
    if pending is None:
        pending = _pending.bans = {"tags": set(), "everything": False}
    pending["tags"] |= set(tags)
    pending["everything"] |= everything
    # The first callback to run sends what was gathered; the others find nothing. Tags
    # gathered in a transaction that rolled back go with the next commit's ban: one
    # ban too many, never one missing.
    transaction.on_commit(_flush)


def _flush():
    pending = getattr(_pending, "bans", None)
    _pending.bans = None
    if pending and (pending["tags"] or pending["everything"]):
        send_ban.enqueue(sorted(pending["tags"]), pending["everything"])


# Before Wagtail's own tasks a publish queues (search and reference indexes): what
# visitors see waits for this one.
@retried(priority=50)
def send_ban(tags, everything=False):
    expression = ban_expression(tags, everything)
    for url in settings.FRONT_CACHE_BAN_URLS:
        request = urllib.request.Request(url, method="BAN", headers={BAN_HEADER: expression})  # noqa: S310
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (our own front caches)
            if response.status != 200:
                raise RuntimeError(f"{url} answered the ban with HTTP {response.status}")
    logger.info("front caches banned %s", "everything" if everything else f"{len(tags)} tags")
