"""The scheduler's timetable (manage.py run_scheduler): each job at its interval, one failure isolated."""

from unittest import mock

from portal.sitewide import schedule


def test_each_job_runs_at_start_then_at_its_interval():
    jobs = [(60, "publish_scheduled", ()), (86400, "review_members", ())]
    last_runs = {}
    with mock.patch.object(schedule, "call_command") as call:
        schedule.run_due(jobs, last_runs, now=1000.0)
        schedule.run_due(jobs, last_runs, now=1030.0)
        schedule.run_due(jobs, last_runs, now=1061.0)
    assert [c.args[0] for c in call.call_args_list] == ["publish_scheduled", "review_members", "publish_scheduled"]


def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    jobs = [(60, "publish_scheduled", ()), (60, "run_worker", ("--requeue-only",))]
    with mock.patch.object(schedule, "call_command", side_effect=[RuntimeError("database gone"), None]) as call:
        schedule.run_due(jobs, {}, now=0.0)
    assert call.call_count == 2 and call.call_args_list[1].args == ("run_worker", "--requeue-only")
    assert "scheduled job publish_scheduled failed" in caplog.text


def test_the_timetable_publishes_every_minute_and_requeues_dead_workers_tasks():
    every = {name: seconds for seconds, name, _arguments in schedule.JOBS}
    assert every["publish_scheduled"] == 60 and every["run_worker"] == 60 and "review_members" in every


def test_the_daily_backup_is_on_the_timetable_only_where_it_is_asked_for(settings):
    settings.BACKUP_DAILY = False
    assert "backup" not in {name for _every, name, _arguments in schedule.timetable()}
    settings.BACKUP_DAILY = True
    assert (86400, "backup", ()) in schedule.timetable()
