"""Report jobs that cannot get stuck: the heartbeat a running job writes, and what is stuck.

A running job writes `heartbeat_at` every JOB_HEARTBEAT_SECONDS from a thread beside the work
(`heartbeat()`), so a worker killed mid roll-up (SIGKILL, out of memory, a host lost) simply
stops writing it. `stuck_jobs()` finds running jobs silent for JOB_STALE_SECONDS and queued jobs
that never started within JOB_QUEUE_TIMEOUT_SECONDS; /healthz reports them and the beat's
`check_stuck_jobs` job marks them failed with the reason, which the job page shows beside 重试.
"""

import contextlib
import datetime
import logging
import threading

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ReportJob

logger = logging.getLogger(__name__)
State = ReportJob.State

STALE_REASON = "后台生成进程已中断（{minutes} 分钟无心跳），文件未生成完成。请点击“重试”。"
QUEUE_REASON = "排队超过 {minutes} 分钟仍未开始：后台进程可能未运行。请点击“重试”或联系管理员。"


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


def stuck_jobs(now: datetime.datetime | None = None):
    """Running jobs without a recent heartbeat, and queued jobs that never started (a queryset)."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    queued = now - datetime.timedelta(seconds=settings.JOB_QUEUE_TIMEOUT_SECONDS)
    last_sign = Coalesce("heartbeat_at", "started_at", "requested_at")
    return (
        ReportJob.objects.annotate(last_sign=last_sign)
        .filter(
            Q(state=State.RUNNING, last_sign__lt=stale)
            | Q(state=State.QUEUED, requested_at__lt=queued)
        )
        .order_by("pk")
    )


def fail_stuck_jobs(now: datetime.datetime | None = None) -> list[int]:
    """Mark every stuck job failed with its reason; returns their ids. Safe to run anywhere."""
    now = now or timezone.now()
    failed = []
    for job in stuck_jobs(now):
        if job.state == State.RUNNING:
            reason = STALE_REASON.format(minutes=_minutes(settings.JOB_STALE_SECONDS))
        else:
            reason = QUEUE_REASON.format(minutes=_minutes(settings.JOB_QUEUE_TIMEOUT_SECONDS))
        # Only if nothing moved since it was read (a late heartbeat wins).
        moved = ReportJob.objects.filter(
            pk=job.pk, state=job.state, heartbeat_at=job.heartbeat_at
        ).update(state=State.FAILED, finished_at=now, last_error=reason)
        if moved:
            logger.error("report job %s stuck (%s): marked failed", job.pk, job.state)
            failed.append(job.pk)
    return failed


def beat(job_id: int) -> None:
    ReportJob.objects.filter(pk=job_id, state=State.RUNNING).update(heartbeat_at=timezone.now())


@contextlib.contextmanager
def heartbeat(job_id: int):
    """Write the job's heartbeat now and every JOB_HEARTBEAT_SECONDS until the block ends."""
    stop = threading.Event()

    def run():
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    beat(job_id)
                except Exception:
                    logger.exception("heartbeat of report job %s failed", job_id)
        finally:
            connection.close()  # this thread's own database connection

    beat(job_id)
    thread = threading.Thread(target=run, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
