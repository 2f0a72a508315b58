"""Celery jobs of the reports app. Each takes ids, reads the database, and is safe to run twice.

The database is the source of truth: a job only derives (snapshots, workbooks), so a lost or
repeated message never loses a report, and rerunning rebuilds the same result.
"""

import logging

from celery import shared_task
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from common import once
from tasks import clock, reporting
from tasks.models import Plan
from tasks.periods import WEEKLY, parse_period_key
from tasks.schedule import roll_up_moment, weekly_rollup_setting

from . import bulletin_archive, rollup, stuck
from .bulletin import bulletin_period
from .models import ReportJob

logger = logging.getLogger(__name__)
RETRYABLE = (DatabaseError, BrokerError, ConnectionError, TimeoutError)


@shared_task(name="reports.jobs.ping")
def ping(token: str = "") -> str:
    """Health check: proves a worker consumes from the broker and can run our code."""
    return f"pong {token}".strip()


def _set(job_id: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(**fields)


# A report job (ReportJob row) survives a lost worker and retries database hiccups with backoff;
# the row is its result, so sending needs no result store.
FILE_JOB = dict(
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)


@shared_task(name="reports.jobs.roll_up_week", **FILE_JOB)
def roll_up_week(self, job_id: int) -> str:
    """Produce the workbook of one ReportJob. A finished job is not redone."""
    job = ReportJob.objects.select_related("plan").filter(pk=job_id).first()
    if job is None:
        logger.warning("roll_up_week: job %s no longer exists", job_id)
        return "missing"
    if job.state == ReportJob.State.DONE:
        return "done"
    _set(
        job_id,
        state=ReportJob.State.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=5,
        attempts=job.attempts + 1,
        last_error="",
    )
    try:
        with stuck.heartbeat(job_id):
            snapshot = rollup.produce(
                job.plan,
                parse_period_key(job.period_key),
                on_progress=lambda percent: _set(job_id, progress=percent),
            )
    except RETRYABLE as error:
        if self.request.retries >= self.max_retries:
            _fail(job_id, error)
            raise
        _set(job_id, state=ReportJob.State.QUEUED, last_error=f"重试中：{type(error).__name__}")
        raise
    except Exception as error:
        _fail(job_id, error)
        raise
    _set(
        job_id,
        state=ReportJob.State.DONE,
        progress=100,
        finished_at=timezone.now(),
        snapshot_id=snapshot.pk,
    )
    return "done"


def _fail(job_id: int, error: Exception) -> None:
    logger.exception("roll_up_week job %s failed", job_id)
    _set(
        job_id,
        state=ReportJob.State.FAILED,
        finished_at=timezone.now(),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


@shared_task(name="reports.jobs.roll_up_due_weeks", acks_late=True)
def roll_up_due_weeks() -> list[int]:
    """The beat's job: the scheduled roll-up of each active plan's current period, once.

    Beat fires it at the scheduled time and again every few minutes as a catch-up, so a
    roll-up missed while the broker was down runs once when it is back. The unique scheduled
    job per plan × period makes extra firings no-ops.
    """
    setting = weekly_rollup_setting()
    if setting is None:
        return []
    now = clock.now()
    started = []
    for plan in Plan.objects.filter(is_active=True):
        period = reporting.current_period(plan, now.date())
        if now < roll_up_moment(period, setting):
            continue
        try:
            with transaction.atomic():
                job, created = ReportJob.objects.get_or_create(
                    plan=plan, period_key=period.key, scheduled=True
                )
        except IntegrityError:  # a concurrent firing created it first
            continue
        if created:
            roll_up_week.delay(job.pk)
            started.append(job.pk)
            if plan.cycle == WEEKLY:
                bulletin_archive.prepare_draft(
                    plan, bulletin_period(plan, WEEKLY, period.key)
                )  # for the office to review and issue
    return started


@shared_task(name="reports.jobs.roll_up_all_plans", acks_late=True)
def roll_up_all_plans(period_key: str | None = None) -> list[int]:
    """Fan out one roll_up_week per active plan (a province's 160 workbooks at once): for
    `period_key`, or each plan's current period. A plan whose roll-up of that period is still
    queued or running keeps it (a second firing sends nothing new). Returns the job ids."""
    today = clock.today()
    ids = []
    for plan in Plan.objects.filter(is_active=True).order_by("pk"):
        key = period_key or reporting.current_period(plan, today).key
        active = ReportJob.objects.filter(
            plan=plan,
            period_key=key,
            kind=ReportJob.Kind.WORKBOOK,
            state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING],
        ).first()
        if active is not None:
            ids.append(active.pk)
            continue
        job = ReportJob.objects.create(plan=plan, period_key=key)
        roll_up_week.delay(job.pk)
        ids.append(job.pk)
    return ids


QUEUE_DOWN_MESSAGE = (
    "消息队列暂不可用，周报未能开始生成。请稍后点击“重试”；如持续出现，请联系管理员。"
)
# Sending from a web request: one quick retry, then the office is told (see settings for the
# connection timeouts). Workers and beat have their own, patient, reconnection.
SEND_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}


def request_roll_up(plan: Plan, period_key: str, user) -> ReportJob:
    """Queue a roll-up asked for from the UI; the job row exists before the message is sent.

    A roll-up of the same plan × period still queued or running is returned instead of a
    second one (a double click, two people at once). Whether the message went out is on the
    returned row: state FAILED with QUEUE_DOWN_MESSAGE when the broker could not be reached.
    """
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one request at a time
        active = (
            ReportJob.objects.filter(
                plan=plan,
                period_key=period_key,
                state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING],
            )
            .exclude(pk__in=stuck.stuck_jobs().values("pk"))
            .first()
        )
        if active is not None:
            return active
        job = ReportJob.objects.create(plan=plan, period_key=period_key, requested_by=user)
        transaction.on_commit(lambda: _send(job.pk))
    job.refresh_from_db()
    return job


def retry_roll_up(job: ReportJob) -> ReportJob:
    """Queue a failed job again (the office's 重试); a job in any other state is left alone."""
    moved = ReportJob.objects.filter(pk=job.pk, state=ReportJob.State.FAILED).update(
        state=ReportJob.State.QUEUED,
        progress=0,
        last_error="",
        requested_at=timezone.now(),
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    if moved:
        transaction.on_commit(lambda: _send(job.pk, job_for(job)))
    job.refresh_from_db()
    return job


def _send(job_id: int, job=None) -> None:
    job = job or roll_up_week
    try:
        job.apply_async(
            args=[job_id], ignore_result=True, retry=True, retry_policy=SEND_RETRY_POLICY
        )
    except Exception as error:
        # The web app keeps working without the broker; the job shows why it did not start.
        logger.error("broker unavailable, roll-up job %s not sent: %r", job_id, error)
        _set(
            job_id,
            state=ReportJob.State.FAILED,
            finished_at=timezone.now(),
            last_error=QUEUE_DOWN_MESSAGE,
        )


@shared_task(name="reports.jobs.check_stuck_jobs", acks_late=True)
def check_stuck_jobs() -> list[int]:
    """The beat's watchdog: report jobs without a heartbeat (or never started) → failed."""
    return stuck.fail_stuck_jobs()


@shared_task(name="reports.jobs.forget_old_submissions", acks_late=True)
def forget_old_submissions() -> int:
    """Drop the one-time tokens of forms sent more than two days ago (common.once)."""
    return once.forget_old()


@shared_task(name="reports.jobs.write_bulletin", **FILE_JOB)
def write_bulletin(self, job_id: int) -> str:
    """Write the document of an issued bulletin (a ReportJob of kind "bulletin")."""
    job = ReportJob.objects.select_related("bulletin__plan").filter(pk=job_id).first()
    if job is None or job.bulletin is None:
        logger.warning("write_bulletin: job %s or its bulletin no longer exists", job_id)
        return "missing"
    if job.state == ReportJob.State.DONE:
        return "done"
    _set(job_id, state=ReportJob.State.RUNNING, started_at=timezone.now(), progress=5,
         attempts=job.attempts + 1, last_error="")  # fmt: skip
    bulletin = job.bulletin
    try:
        with stuck.heartbeat(job_id):
            period = bulletin_period(bulletin.plan, bulletin.kind, bulletin.period_key)
            bulletin_archive.write_file(bulletin, period, lambda p: _set(job_id, progress=p))
    except RETRYABLE as error:
        if self.request.retries >= self.max_retries:
            _fail(job_id, error)
            raise
        _set(job_id, state=ReportJob.State.QUEUED, last_error=f"重试中：{type(error).__name__}")
        raise
    except Exception as error:
        _fail(job_id, error)
        raise
    _set(job_id, state=ReportJob.State.DONE, progress=100, finished_at=timezone.now())
    return "done"


def job_for(job: ReportJob):
    """The Celery job that runs a ReportJob of this kind (for anything that re-sends jobs)."""
    return write_bulletin if job.kind == ReportJob.Kind.BULLETIN else roll_up_week


def request_bulletin(bulletin, user) -> ReportJob:
    """Queue the writing of an issued bulletin; the job row exists before the message is sent."""
    job = ReportJob.objects.create(
        plan=bulletin.plan,
        period_key=bulletin.period_key,
        kind=ReportJob.Kind.BULLETIN,
        bulletin=bulletin,
        requested_by=user,
    )
    transaction.on_commit(lambda: _send(job.pk, write_bulletin))
    return job
