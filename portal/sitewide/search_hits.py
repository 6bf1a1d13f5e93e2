"""Counting searches for the editors' popular queries, without a write per search (#8).

Wagtail's `Query.get(q).add_hit()` costs three queries and an UPDATE of one
row per search, committed on its own: under a burst of visitors asking the
same thing (a launch, an article going round) every worker waits on that
row's lock and on the commit. Searches are counted here instead, in the
process, and written in one transaction at most every
SEARCH_HITS_FLUSH_SECONDS (and when the buffer holds MAX_PENDING distinct
queries, and when the process exits): the same Query and QueryDailyHits rows
Wagtail's admin reads for "popular search terms" and promotions, a minute late.

What this trades: a worker killed without exiting (SIGKILL, a crash, the
machine lost) loses the searches it had not written yet, at most one flush
interval of its share of traffic. A count for a report, not a record anyone
relies on; a failed write is logged and its counts kept for the next try.
"""

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger(__name__)

# Distinct (day, query) pairs kept before a write is due anyway: bounds the
# memory a flood of made-up queries can take, and the size of one write.
MAX_PENDING = 1000

_lock = threading.Lock()
_pending = Counter()
_last_flush = time.monotonic()


def record(query_string):
    """Count one search for `query_string` (normalised as Wagtail's Query.get does)."""
    normalised = normalise_query_string(query_string)
    if not normalised:
        return
    with _lock:
        _pending[(timezone.localdate(), normalised)] += 1
        due = len(_pending) >= MAX_PENDING or time.monotonic() - _last_flush >= settings.SEARCH_HITS_FLUSH_SECONDS
    if due:
        flush()


def pending():
    """The counts not written yet: {(date, query string): searches}."""
    with _lock:
        return dict(_pending)


def discard():
    """Drop the counts not written yet (a test's searches must not reach the next test's database)."""
    with _lock:
        _pending.clear()


def flush():
    """Write the counted searches; on a database error, keep them for the next flush."""
    global _last_flush
    with _lock:
        counts = Counter(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not counts:
        return
    try:
        write(counts)
    except DatabaseError:
        logger.warning("Search counts not written (%d queries); kept for the next try", len(counts), exc_info=True)
        with _lock:
            # Ours first: a flood of new queries meanwhile does not push out what was already counted.
            merged = counts + _pending
            _pending.clear()
            _pending.update(dict(merged.most_common(MAX_PENDING)))


def write(counts):
    """Add `counts` ({(date, normalised query string): searches}) to Wagtail's rows, in one transaction."""
    strings = {query_string for _date, query_string in counts}
    with transaction.atomic():
        ids = dict(Query.objects.filter(query_string__in=strings).values_list("query_string", "id"))
        missing = strings - ids.keys()
        if missing:
            # Another process may create the same query meanwhile: its row is as good as ours.
            Query.objects.bulk_create([Query(query_string=s) for s in missing], ignore_conflicts=True)
            ids.update(Query.objects.filter(query_string__in=missing).values_list("query_string", "id"))
        for (date, query_string), hits in counts.items():
            add_hits(ids[query_string], date, hits)


def add_hits(query_id, date, hits):
    rows = QueryDailyHits.objects.filter(query_id=query_id, date=date)
    if rows.update(hits=F("hits") + hits):
        return
    try:
        with transaction.atomic():
            QueryDailyHits.objects.create(query_id=query_id, date=date, hits=hits)
    except IntegrityError:  # created by another process since the update found nothing
        rows.update(hits=F("hits") + hits)


def flush_at_exit():
    try:
        flush()
    except Exception:  # the process is ending: a failure here must not hide why
        logger.warning("Search counts not written at exit", exc_info=True)


# gunicorn's workers exit through sys.exit on a graceful stop or restart, which runs this.
atexit.register(flush_at_exit)
