"""/healthz for load balancers and monitoring: database, broker, last successful roll-up.

200 when everything is fine; 503 when the database or the broker cannot be reached, when a
scheduled roll-up is more than an hour overdue, or when a report job is stuck (running without
a heartbeat, or queued and never started: reports.stuck) and not yet marked failed. `?probe=live` checks only the database, for
load balancers: a broker outage must not take web hosts out of rotation. Never reveals
settings or secrets.
"""

import datetime
import logging

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from reports import stuck
from reports.models import ReportJob
from tasks import clock, reporting
from tasks.models import Plan
from tasks.schedule import roll_up_moment, weekly_rollup_setting

from .celery import app

logger = logging.getLogger(__name__)
OVERDUE = datetime.timedelta(hours=1)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _broker_ok() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("healthz: broker check failed")
        return False


def _overdue_roll_ups(now: datetime.datetime) -> list[str]:
    setting = weekly_rollup_setting()
    if setting is None:
        return []
    overdue = []
    for plan in Plan.objects.filter(is_active=True, year=now.year):
        period = reporting.current_period(plan, now.date())
        due = roll_up_moment(period, setting)
        if (
            now - due > OVERDUE
            and not ReportJob.objects.filter(
                plan=plan, period_key=period.key, state=ReportJob.State.DONE
            ).exists()
        ):
            overdue.append(f"{plan.slug} {period.key}")
    return overdue


def healthz(request):
    if request.GET.get("probe") == "live":
        # For load balancers: is this web host able to serve pages? (database only)
        ok = _database_ok()
        return JsonResponse({"status": "ok" if ok else "unhealthy"}, status=200 if ok else 503)
    database = _database_ok()
    broker = _broker_ok()
    last = None
    overdue = []
    stuck_jobs = []
    if database:
        stuck_jobs = [
            {"id": job.pk, "plan": job.plan.slug, "period": job.period_key, "state": job.state}
            for job in stuck.stuck_jobs().select_related("plan")[:20]
        ]
        done = ReportJob.objects.filter(state=ReportJob.State.DONE).order_by("-finished_at").first()
        last = (
            timezone.localtime(done.finished_at).isoformat() if done and done.finished_at else None
        )
        overdue = _overdue_roll_ups(clock.now())
    healthy = database and broker and not overdue and not stuck_jobs
    body = {
        "status": "ok" if healthy else "unhealthy",
        "database": "ok" if database else "unreachable",
        "broker": "ok" if broker else "unreachable",
        "last_roll_up": last,
        "overdue_roll_ups": overdue,
        "stuck_jobs": stuck_jobs,
    }
    return JsonResponse(body, status=200 if healthy else 503)
