"""The portal's timetable, for the one scheduler process of a deployment (`manage.py run_scheduler`).

Each job is a management command run every so many seconds; the first run of
each is at start. Exactly one scheduler runs per deployment (make stack, the
compose file's `scheduler` service): scheduled publishing must not run twice at once.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command

logger = logging.getLogger(__name__)

# (every so many seconds, command, its arguments)
JOBS = [
    (60, "publish_scheduled", ()),  # scheduled publishing and expiry (Wagtail)
    (60, "run_worker", ("--requeue-only",)),  # tasks a dead worker left running
    (24 * 3600, "review_members", ()),  # founders' yearly reminders, retention
]


# The day's backup, copied off the machine (portal.sitewide.backup), where BACKUP_DAILY is on.
BACKUP_JOB = (24 * 3600, "backup", ())


def timetable():
    """This deployment's jobs: JOBS, and the backup where BACKUP_DAILY is on."""
    return [*JOBS, BACKUP_JOB] if settings.BACKUP_DAILY else list(JOBS)


def due(jobs, last_runs, now):
    return [job for job in jobs if now - last_runs.get(job[1], float("-inf")) >= job[0]]


def run_due(jobs, last_runs, now):
    """Run the jobs whose time has come; one failing does not stop the others (it is logged)."""
    for _every, name, arguments in due(jobs, last_runs, now):
        last_runs[name] = now
        try:
            call_command(name, *arguments, verbosity=0)
        except Exception:
            logger.exception("scheduled job %s failed", name)


def run_forever(stopping, jobs=None, tick=1.0):
    """Until stopping() says so (SIGTERM), checked every `tick` seconds."""
    jobs = jobs if jobs is not None else timetable()
    last_runs = {}
    while not stopping():
        run_due(jobs, last_runs, time.monotonic())
        time.sleep(tick)
