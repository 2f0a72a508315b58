"""The Celery app is wired: a real worker consumes our job from the real broker."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app, beat_schedule, check_beat_schedule
from reports.jobs import ping

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"
)


def test_jobs_are_discovered_from_jobs_modules():
    app.loader.import_default_modules()
    assert "reports.jobs.ping" in app.tasks


def test_the_beat_schedule_is_built_in_config_celery_from_the_settings(settings):
    assert app.conf.beat_schedule == beat_schedule()
    assert {"weekly-roll-up", "reminder-after-due", "check-stuck-jobs", "outbound-sweep"} <= set(
        app.conf.beat_schedule
    )
    settings.WEEKLY_ROLLUP_SCHEDULE = "disable"
    assert "weekly-roll-up" not in beat_schedule()


def test_a_bad_schedule_value_fails_the_system_check(settings):
    assert check_beat_schedule(None) == []
    settings.REMINDER_AFTER_DUE = "friday at nine"
    (error,) = check_beat_schedule(None)
    assert error.id == "config.E001"
    assert "REMINDER_AFTER_DUE" in error.msg


@needs_redis
def test_a_real_worker_runs_the_health_job_through_redis():
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = ping.delay("ci")
        assert result.get(timeout=30) == "pong ci"


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_the_beat_job_rolls_up_once_in_a_real_worker(settings):
    import time

    from django.core.management import call_command

    from reports.jobs import roll_up_due_weeks
    from reports.models import ReportJob, WeeklySnapshot

    from .helpers import ALL_FIXTURES

    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    settings.AS_OF_DATE = "2022-05-21"  # a Saturday: the Friday 18:00 roll-up of W20 is due
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        roll_up_due_weeks.delay().get(timeout=30)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job = ReportJob.objects.filter(scheduled=True).first()
            if job and job.state in ("done", "failed"):
                break
            time.sleep(0.5)
        assert job is not None and job.state == "done", job and job.last_error
        # The catch-up fires again (or the beat fires twice): nothing more happens.
        assert roll_up_due_weeks.delay().get(timeout=30) == []
    assert ReportJob.objects.count() == 1
    snapshot = WeeklySnapshot.objects.get()
    assert (snapshot.period_key, snapshot.rows.count()) == (
        "2022-W20",
        145,
    )  # the heading 6 has no row (tasks.reportable)
