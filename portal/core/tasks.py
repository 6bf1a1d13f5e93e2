"""Background work: what may take longer than an editor should wait.

Tasks run on django-tasks with the database backend (django-tasks-db): the
queue is a table of ours, a task enqueued inside a transaction exists only
if the transaction commits, and `manage.py run_worker` runs them (Wagtail's
own tasks too: search index, references, front-end cache purges).

Two things the backend leaves to us:

- A task that fails is retried (`retried`), a few times and later each
  time; the failed attempts stay in the admin's task results and the log.
- A worker killed mid-task (a deploy, the machine's OOM killer) leaves its
  task marked running for ever. `requeue_abandoned()` puts it back in the
  queue: at once when the worker was on this machine and its process is
  gone, after `TASKS_ABANDONED_AFTER` seconds otherwise. A task may thus
  run twice: ours recompute from the database (relinking), or at worst send
  a mail twice (the newsletter's), which beats never sending it.
"""

import datetime
import functools
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, Min, Q, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_ATTEMPTS = 3
RETRY_DELAYS = (60, 600)  # seconds before the second and third attempts


def worker_id(pid=None):
    """This process's name in the queue: host and process id, so that a dead worker can be told."""
    return f"{socket.gethostname()}:{pid or os.getpid()}"[-64:]


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def abandoned(result, now, host):
    """Whether a running task's worker is gone."""
    last = result.worker_ids[-1] if result.worker_ids else ""
    worker_host, _, pid = last.rpartition(":")
    if worker_host == host and pid.isdigit():
        return not process_alive(int(pid))
    # Another machine's worker: only time tells.
    limit = datetime.timedelta(seconds=settings.TASKS_ABANDONED_AFTER)
    return result.started_at is not None and result.started_at < now - limit


def requeue_abandoned(now=None):
    """Put back in the queue the tasks whose worker died while running them; their ids."""
    now = now or timezone.now()
    host = socket.gethostname()
    requeued = []
    with transaction.atomic():
        # django-tasks-db's own model and states: the queue is a table of ours (its migration).
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING)
        for result in running:
            if abandoned(result, now, host):
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued.append(str(result.id))
    for result_id in requeued:
        logger.warning("task %s: its worker died while running it; queued again", result_id)
    return requeued


def queue_state():
    """What an operator watches of the queue (`manage.py task_queue`, docs/deployment.md).

    waiting: tasks due now and not started; oldest_wait_seconds: how long the
    longest-waiting of them has waited (since it was queued, or since its retry
    became due): it grows when no worker runs or they cannot keep up. later:
    retries not yet due. running: tasks being run. failed_last_day: attempts that
    failed over the last 24 hours (each failure is also logged with its traceback).
    """
    now = timezone.now()
    # django-tasks-db's own notion of due (a task queued without a date carries the
    # largest date there is, not its queueing time).
    due = DBTaskResult.objects.ready().aggregate(
        waiting=Count("pk"),
        since=Min(
            Case(When(run_after__gt=now, then=F("enqueued_at")), default=Greatest("enqueued_at", "run_after"))
        ),
    )
    since, waiting = due["since"], due["waiting"]
    counts = DBTaskResult.objects.aggregate(
        ready=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count(
            "pk",
            filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - datetime.timedelta(days=1)),
        ),
    )
    return {
        "waiting": waiting,
        "oldest_wait_seconds": round(max(0.0, (now - since).total_seconds()), 1) if since else 0.0,
        "later": counts["ready"] - waiting,
        "running": counts["running"],
        "failed_last_day": counts["failed"],
    }


def retried(function=None, *, attempts=DEFAULT_ATTEMPTS, **task_options):
    """@retried: one of our tasks, its failures tried again, `attempts` times in all.

    Each failed attempt is recorded as failed (the admin and the log show it),
    and a new attempt is queued to run later (RETRY_DELAYS). Our tasks use the
    backend settings.PORTAL_TASKS_BACKEND names: the queue in production, one
    that runs them at once in tests (Wagtail's own tasks keep theirs).
    """
    task_options.setdefault("backend", settings.PORTAL_TASKS_BACKEND)

    def decorate(function):
        @functools.wraps(function)
        def run(*args, attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                if attempt >= attempts or not the_task.get_backend().supports_defer:
                    logger.exception("task %s failed for good after %d attempt(s)", function.__name__, attempt)
                    raise
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
                later = timezone.now() + datetime.timedelta(seconds=delay)
                logger.exception(
                    "task %s failed (attempt %d); trying again in %d s", function.__name__, attempt, delay
                )
                the_task.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
                raise

        the_task = task(**task_options)(run)
        return the_task

    return decorate(function) if function is not None else decorate
