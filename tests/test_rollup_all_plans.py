"""reports.jobs.roll_up_all_plans: one roll-up per active plan, fanned out to the workers."""

import time
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command

from config.celery import app
from reports import jobs
from reports.models import ReportJob, WeeklySnapshot
from tasks.models import Plan

from .helpers import ALL_FIXTURES
from .test_celery import needs_redis


def _plans():
    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    Plan.objects.create(slug="2022-b", year=2022, title="第二个方案")
    Plan.objects.create(slug="2021-old", year=2021, title="已结束的方案", is_active=False)


@pytest.mark.django_db
def test_every_active_plan_gets_one_roll_up_and_a_second_firing_sends_nothing_new(settings):
    _plans()
    settings.AS_OF_DATE = "2022-05-18"
    with mock.patch.object(jobs.roll_up_week, "delay") as delay:
        first = jobs.roll_up_all_plans("2022-W20")
        again = jobs.roll_up_all_plans("2022-W20")
    active = set(Plan.objects.filter(is_active=True).values_list("pk", flat=True))
    assert {job.plan_id for job in ReportJob.objects.filter(pk__in=first)} == active
    assert len(first) == 2 and again == first
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(first)


@pytest.mark.django_db
def test_without_a_period_each_plan_rolls_up_its_current_period(settings):
    _plans()
    settings.AS_OF_DATE = "2022-05-18"
    with mock.patch.object(jobs.roll_up_week, "delay"):
        ids = jobs.roll_up_all_plans()
    keys = set(ReportJob.objects.filter(pk__in=ids).values_list("period_key", flat=True))
    assert keys == {"2022-W20"}


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_workbook_of_every_active_plan(settings):
    _plans()
    settings.AS_OF_DATE = "2022-05-21"
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        ids = jobs.roll_up_all_plans.delay("2022-W20").get(timeout=30)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            states = set(ReportJob.objects.filter(pk__in=ids).values_list("state", flat=True))
            if states <= {"done", "failed"}:
                break
            time.sleep(0.5)
    assert states == {"done"}
    assert set(WeeklySnapshot.objects.values_list("plan__slug", "period_key")) == {
        ("2022", "2022-W20"),
        ("2022-b", "2022-W20"),
    }
