"""The Celery app and its beat schedule. Jobs live in each app's jobs.py (our `tasks` app holds
government tasks).

The beat schedule is built here from the settings when Celery reads its configuration
(on_after_configure), not while the settings load: config/settings.py imports no app code, and
this module, imported with the settings (config/__init__.py), imports app code only inside
functions. A bad WEEKLY_ROLLUP_SCHEDULE or REMINDER_* value fails `manage.py check` (and every
command that runs the checks, migrate included) and the worker and beat at start.
"""

import os

from celery import Celery
from celery.schedules import crontab
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dudu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")

CATCH_UP_MINUTES = 15


def beat_schedule() -> dict:
    """Every periodic job, at the moments the settings give."""
    from django.conf import settings

    return {
        **build_beat_schedule(
            settings.WEEKLY_ROLLUP_SCHEDULE,
            before=settings.REMINDER_BEFORE_DUE,
            after=settings.REMINDER_AFTER_DUE,
        ),
        **housekeeping_schedule(),
    }


@app.on_after_configure.connect
def install_beat_schedule(sender, **kwargs):
    try:
        sender.conf.beat_schedule = beat_schedule()
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None


@checks.register
def check_beat_schedule(app_configs, **kwargs):
    try:
        beat_schedule()
    except ValueError as error:
        return [checks.Error(str(error), id="config.E001")]
    return []


def _weekly_cron(at) -> crontab:
    cron_weekday = (at.weekday + 1) % 7  # crontab counts Sunday as 0
    return crontab(minute=at.time.minute, hour=at.time.hour, day_of_week=cron_weekday)


def build_beat_schedule(rollup: str, *, before: str = "disable", after: str = "disable") -> dict:
    """The beat entries: the weekly roll-up and the two automatic reminders, each with a
    catch-up that fires every few minutes (the jobs are no-ops until their moment has come and
    once their work is done, so a firing missed while the broker was down happens later, once).
    """
    from tasks.schedule import REMINDER_SETTINGS, parse_weekly_at  # app code: never at import

    schedule = {}
    at = parse_weekly_at(rollup)
    if at is not None:
        schedule["weekly-roll-up"] = {
            "task": "reports.jobs.roll_up_due_weeks",
            "schedule": _weekly_cron(at),
        }
        schedule["weekly-roll-up-catch-up"] = {
            "task": "reports.jobs.roll_up_due_weeks",
            "schedule": crontab(minute=f"*/{CATCH_UP_MINUTES}"),
        }
    for kind, value in (("before_due", before), ("after_due", after)):
        at = parse_weekly_at(value, REMINDER_SETTINGS[kind])
        if at is None:
            continue
        name = "reminder-" + kind.replace("_", "-")
        schedule[name] = {
            "task": "notifications.jobs.send_due_reminders",
            "schedule": _weekly_cron(at),
            "args": (kind,),
        }
        schedule[f"{name}-catch-up"] = {
            "task": "notifications.jobs.send_due_reminders",
            "schedule": crontab(minute=f"*/{CATCH_UP_MINUTES}"),
            "args": (kind,),
        }
    return schedule


STUCK_CHECK_MINUTES = 2
OUTBOUND_SWEEP_SECONDS = 300.0


def housekeeping_schedule() -> dict:
    """Entries that always run: the watchdog of report jobs (reports.stuck) every few minutes,
    the nightly removal of old one-time form tokens (common.once), and the sweep of outbound
    messages left queued (notifications.jobs)."""
    return {
        "check-stuck-jobs": {
            "task": "reports.jobs.check_stuck_jobs",
            "schedule": crontab(minute=f"*/{STUCK_CHECK_MINUTES}"),
        },
        "forget-old-submissions": {
            "task": "reports.jobs.forget_old_submissions",
            "schedule": crontab(minute=17, hour=3),
        },
        "outbound-sweep": {
            "task": "notifications.jobs.deliver_queued",
            "schedule": OUTBOUND_SWEEP_SECONDS,
        },
    }
