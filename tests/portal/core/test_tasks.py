"""Background tasks (portal/core/tasks.py): retried when they fail, never lost when a worker dies.

The database backend runs here as in production (the test settings' default
is a backend that runs nothing). The killed-worker test runs a real worker
process and needs PostgreSQL, where two processes share the test database.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.core.tasks import queue_state, requeue_abandoned, retried, worker_id
from tests.portal.core.test_two_processes import database_url

# The queue as in production, for Wagtail's tasks and ours (settings.PORTAL_TASKS_BACKEND).
QUEUE = {"BACKEND": "django_tasks_db.DatabaseBackend"}
DATABASE_TASKS = override_settings(TASKS={"default": QUEUE, "portal": QUEUE})
BASE_DIR = Path(settings.BASE_DIR)
CALLS = []


@retried(attempts=3)
def flaky(fail_times):
    CALLS.append(fail_times)
    if len(CALLS) <= fail_times:
        raise RuntimeError("the mail server is down")
    return "sent"


@task()
def slow_then_done(folder):
    """The first run starts and hangs (a worker is killed during it); the next one finishes."""
    started, done = Path(folder) / "started", Path(folder) / "done"
    if not started.exists():
        started.write_text(str(os.getpid()))
        time.sleep(120)
    done.write_text("done")
    return "done"


@pytest.fixture(autouse=True)
def database_tasks():
    CALLS.clear()
    with DATABASE_TASKS:
        yield


def work_the_queues():
    """What the worker does in production, where our tasks and Wagtail's share one queue.

    In this process, inside the test's transaction: the worker's check for stale
    connections would close the test's own (its autocommit differs from the
    settings'), so it is switched off here; the killed-worker test below runs a
    real worker process, check included.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        for backend in ("default", "portal"):
            call_command("run_worker", batch=True, backend=backend, verbosity=0)


def results():
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_a_failing_task_is_tried_again_later_and_each_failure_stays_visible(db):
    flaky.enqueue(fail_times=1)
    work_the_queues()
    first, second = (flaky.get_result(str(r.id)) for r in results())
    assert first.status == TaskResultStatus.FAILED
    assert "the mail server is down" in first.errors[0].traceback
    # Queued again for later, with the attempt's number.
    assert second.status == TaskResultStatus.READY
    assert second.kwargs == {"fail_times": 1, "attempt": 2}
    assert second.task.run_after > timezone.now() + datetime.timedelta(seconds=50)
    DBTaskResult.objects.filter(pk=second.id).update(run_after=timezone.now())
    work_the_queues()
    second.refresh()
    assert second.status == TaskResultStatus.SUCCESSFUL
    assert second.return_value == "sent"


def test_a_task_that_keeps_failing_stops_after_its_attempts(db):
    flaky.enqueue(fail_times=10)
    for _attempt in range(3):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        work_the_queues()
    assert [r.status for r in results()] == [TaskResultStatus.FAILED] * 3
    assert len(CALLS) == 3


def running(worker, started_minutes_ago=1):
    result = slow_then_done.enqueue(folder="/nonexistent")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=[worker],
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
    )
    return result.id


def test_only_the_tasks_of_dead_workers_go_back_to_the_queue(db):
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_here = running(worker_id(int(finished.stdout)))
    alive_here = running(worker_id())
    elsewhere_recent = running("another-machine:1234")
    elsewhere_silent = running("another-machine:5678", started_minutes_ago=24 * 60)
    assert set(requeue_abandoned()) == {str(dead_here), str(elsewhere_silent)}
    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("id", "status")}
    assert status[str(dead_here)] == status[str(elsewhere_silent)] == TaskResultStatus.READY
    assert status[str(alive_here)] == status[str(elsewhere_recent)] == TaskResultStatus.RUNNING


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (CI's second pass): the worker process shares the test's database",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_task_does_not_lose_the_task(tmp_path):
    result = slow_then_done.enqueue(folder=str(tmp_path))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.portal.core.worker_settings",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": database_url(),
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=output,
        )
        try:
            for _ in range(300):
                if (tmp_path / "started").exists():
                    break
                time.sleep(0.1)
            else:
                pytest.fail(f"the worker never started the task: {log.read_text()[-2000:]}")
            # Killed without warning (the OOM killer, a lost machine): no chance to clean up.
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    # The next worker to start (or the scheduler's minute) queues it again and runs it.
    work_the_queues()
    finished = DBTaskResult.objects.get(pk=result.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL
    assert (tmp_path / "done").read_text() == "done"
    assert len(finished.worker_ids) == 2


def test_operators_see_how_long_tasks_wait_and_are_alerted_when_no_worker_takes_them(db, capsys):
    now = timezone.now()
    waited = flaky.enqueue(fail_times=0)
    DBTaskResult.objects.filter(pk=waited.id).update(
        enqueued_at=now - datetime.timedelta(minutes=10), run_after=now - datetime.timedelta(minutes=10)
    )
    flaky.using(run_after=now + datetime.timedelta(hours=1)).enqueue(fail_times=0)  # a retry, later
    flaky.enqueue(fail_times=5)  # fails once now (then waits for its retry)

    call_command("task_queue", "--format", "json", "--max-wait", "900")
    state = json.loads(capsys.readouterr().out)
    assert state["waiting"] == 2 and 600 <= state["oldest_wait_seconds"] < 660
    assert (state["later"], state["running"], state["failed_last_day"]) == (1, 0, 0)
    # Nobody took a task for ten minutes: the check says so, for the monitoring to page someone.
    with pytest.raises(CommandError, match=r"a task has waited 6\d\d s .*run_worker"):
        call_command("task_queue")

    work_the_queues()
    assert queue_state() == {
        "waiting": 0,
        "oldest_wait_seconds": 0.0,
        "later": 2,  # the one set for later, and the failed one's retry
        "running": 0,
        "failed_last_day": 1,
    }
    call_command("task_queue")
    assert "failed attempts over the last 24 hours" in capsys.readouterr().out
