"""Faults: a worker killed mid roll-up, the broker down when the office clicks 生成周报, and the
descriptors of xlsx exports. Real parts: a celery worker process against Redis, PostgreSQL."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from config.celery import app, housekeeping_schedule
from reports import jobs
from reports.models import ReportJob, WeeklySnapshot
from reports.stuck import fail_stuck_jobs, stuck_jobs
from tasks.models import Plan

from .base import make_user
from .helpers import ALL_FIXTURES, ROOT

needs_services = pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
    reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets them)",
)


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.django_db
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_table_exports_leave_no_descriptor_open(client):
    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    client.force_login(make_user("office", office=True))
    url = reverse("tasks:list")

    def export():
        response = client.get(url, {"plan": "2022", "q": "5G", "_export": "xlsx"})
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body.startswith(b"PK")

    export()  # imports, caches and connections settle on the first one
    before = _open_descriptors()
    for _ in range(200):
        export()
    assert _open_descriptors() - before <= 2  # was +200: one mkstemp descriptor per export


def test_the_watchdog_is_on_the_beat_schedule():
    entry = app.conf.beat_schedule["check-stuck-jobs"]
    assert entry == housekeeping_schedule()["check-stuck-jobs"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


# --- a worker killed mid roll-up ----------------------------------------------------------------


def _worker_env(tmp_path) -> dict:
    """The worker process sees the test database and a short heartbeat."""
    env = dict(os.environ)
    name = settings.DATABASES["default"]["NAME"]
    env["DATABASE_URL"] = re.sub(r"/[^/]*$", f"/{name}", os.environ["DATABASE_URL"])
    env.pop("TEST_DATABASE_NAME", None)
    env.update(
        MEDIA_ROOT=str(tmp_path / "media"),
        VAR_DIR=str(tmp_path / "var"),
        JOB_HEARTBEAT_SECONDS="1",
        DEBUG="1",
        AS_OF_DATE="2022-05-20",
        WEEKLY_ROLLUP_SCHEDULE="disable",
    )
    return env


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "--concurrency", "1", "--loglevel", "WARNING", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)  # the main process and its pool child, no goodbye
    worker.wait(timeout=10)


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


@needs_services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_roll_up_is_found_marked_failed_and_retried(tmp_path, settings):
    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    settings.AS_OF_DATE = "2022-05-20"
    settings.JOB_STALE_SECONDS = 3
    office = Client()
    office.force_login(make_user("office", office=True))
    plan = Plan.objects.get(year=2022)
    # The roll-up will wait on this row lock, so the kill lands mid roll-up (running, 10 %).
    WeeklySnapshot.objects.create(
        plan=plan, period_key="2022-W20", period_label="x", as_of="2022-05-20",
        generated_at="2022-05-20T18:00:00+08:00",
    )  # fmt: skip
    dsn = re.sub(
        r"/[^/]*$", f"/{settings.DATABASES['default']['NAME']}", os.environ["DATABASE_URL"]
    )
    blocker = psycopg.connect(dsn)
    blocker.execute("SELECT 1 FROM reports_weeklysnapshot FOR UPDATE")
    env = _worker_env(tmp_path)
    worker = _start_worker(env)
    try:
        response = office.post(reverse("reports:generate"), {"plan": plan.pk, "period": "2022-W20"})
        job = ReportJob.objects.get()
        assert response.status_code == 302
        _wait_for(lambda: ReportJob.objects.filter(pk=job.pk, state="running").exists())
        _wait_for(lambda: ReportJob.objects.filter(pk=job.pk, progress=10).exists())
        first_beat = ReportJob.objects.get(pk=job.pk).heartbeat_at
        # Waiting on the lock, the heartbeat goes on (every second here).
        _wait_for(lambda: ReportJob.objects.get(pk=job.pk).heartbeat_at > first_beat, 10)
        _kill(worker)
    finally:
        if worker.poll() is None:
            _kill(worker)
        blocker.rollback()
        blocker.close()
    job.refresh_from_db()
    assert (job.state, job.progress) == ("running", 10)  # what the page showed for an hour
    # Silent for longer than JOB_STALE_SECONDS: /healthz says so (503), naming the job.
    time.sleep(settings.JOB_STALE_SECONDS + 1)
    health = office.get(reverse("healthz"))
    assert health.status_code == 503
    assert [j["id"] for j in health.json()["stuck_jobs"]] == [job.pk]
    # The beat's watchdog (the same job the schedule runs) marks it failed with the reason.
    assert jobs.check_stuck_jobs.apply().get() == [job.pk]
    job.refresh_from_db()
    assert job.state == "failed" and "中断" in job.last_error
    page = office.get(reverse("reports:job", args=[job.pk]))
    assert job.last_error in page.content.decode() and "重试" in page.content.decode()
    assert office.get(reverse("healthz")).json()["stuck_jobs"] == []
    # 重试 with a worker running again: the same job is done.
    worker = _start_worker(env)
    try:
        response = office.post(reverse("reports:retry", args=[job.pk]))
        assert response.status_code == 302
        _wait_for(lambda: ReportJob.objects.get(pk=job.pk).state in ("done", "failed"), 120)
    finally:
        _kill(worker)
    job.refresh_from_db()
    assert job.state == "done", job.last_error
    assert (
        WeeklySnapshot.objects.get().rows.count() == 145
    )  # the heading 6 has no row (tasks.reportable)


@pytest.mark.django_db
def test_the_watchdog_fails_silent_running_and_never_started_queued_jobs(settings):
    import datetime

    from django.utils import timezone

    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    plan = Plan.objects.get(year=2022)
    now = timezone.now()
    ago = lambda s: now - datetime.timedelta(seconds=s)  # noqa: E731
    silent = ReportJob.objects.create(plan=plan, period_key="2022-W20", state="running",
                                      started_at=ago(900), heartbeat_at=ago(600))  # fmt: skip
    alive = ReportJob.objects.create(plan=plan, period_key="2022-W20", state="running",
                                     started_at=ago(900), heartbeat_at=ago(5))  # fmt: skip
    waiting = ReportJob.objects.create(plan=plan, period_key="2022-W19")
    ReportJob.objects.filter(pk=waiting.pk).update(requested_at=ago(3600))
    fresh = ReportJob.objects.create(plan=plan, period_key="2022-W18")
    assert set(stuck_jobs(now).values_list("pk", flat=True)) == {silent.pk, waiting.pk}
    assert sorted(fail_stuck_jobs(now)) == sorted([silent.pk, waiting.pk])
    states = dict(ReportJob.objects.values_list("pk", "state"))
    assert states == {silent.pk: "failed", alive.pk: "running", waiting.pk: "failed",
                      fresh.pk: "queued"}  # fmt: skip
    assert "排队" in ReportJob.objects.get(pk=waiting.pk).last_error
    assert fail_stuck_jobs(now) == []  # the next run finds nothing more


# --- the broker down when the office clicks 生成周报 -----------------------------------------


# Run in its own process, whose Celery app is configured from the start with a broker and a
# result store on a closed port (as a web process is while Redis is down).
SEND_WHILE_DOWN = """
import json, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from tasks.models import Plan
client = Client()
client.force_login(get_user_model().objects.get(username="office"))
started = time.monotonic()
response = client.post("/reports/generate/", {"plan": Plan.objects.get(year=2022).pk,
                                              "period": "2022-W20"})
print(json.dumps({"status": response.status_code, "seconds": time.monotonic() - started,
                  "body": response.content.decode()}))
"""


@needs_services
@pytest.mark.django_db(transaction=True)
def test_the_broker_down_at_send_time_gives_a_chinese_503_quickly_and_no_queued_row(tmp_path):
    import json

    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    office = Client()
    office.force_login(make_user("office", office=True))
    env = _worker_env(tmp_path)
    env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    env["ALLOWED_HOSTS"] = "testserver"
    done = subprocess.run(
        [sys.executable, "-c", SEND_WHILE_DOWN], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert jobs.QUEUE_DOWN_MESSAGE in result["body"] and "重试" in result["body"]
    assert result["seconds"] < 5, f"{result['seconds']:.1f} s (was 19 s)"
    assert not ReportJob.objects.filter(state="queued").exists()
    job = ReportJob.objects.get()
    assert job.state == "failed" and job.last_error == jobs.QUEUE_DOWN_MESSAGE
    # Redis is back (this process's broker): 重试 sends it, and the page is a normal one.
    response = office.post(reverse("reports:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "queued"
    with app.connection_for_write() as conn:  # no worker here: drop the message
        conn.default_channel.queue_purge(app.conf.task_default_queue)
