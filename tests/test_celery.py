"""The Celery app is wired: a real worker consumes our job from the real broker."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from reports.jobs import ping

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"
)


def test_jobs_are_discovered_from_jobs_modules():
    app.loader.import_default_modules()
    assert "reports.jobs.ping" in app.tasks


@needs_redis
def test_a_real_worker_runs_the_health_job_through_redis():
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = ping.delay("ci")
        assert result.get(timeout=30) == "pong ci"
