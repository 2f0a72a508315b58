"""Celery jobs of the tasks app: loading a plan file the office confirmed in the browser."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .importer.browser import apply_import, result_summary
from .importer.loader import ImportRefused
from .importer.parser import PlanParseError
from .models import Plan, PlanImport

logger = logging.getLogger(__name__)


def _set(import_id: int, **fields) -> None:
    PlanImport.objects.filter(pk=import_id).update(**fields)


@shared_task(name="tasks.jobs.import_plan_file", acks_late=True, reject_on_worker_lost=True)
def import_plan_file(import_id: int) -> str:
    """Load one confirmed upload. A finished or failed import is not redone."""
    with transaction.atomic():
        upload = PlanImport.objects.select_for_update().filter(pk=import_id).first()
        if upload is None:
            return "missing"
        if upload.state not in (PlanImport.State.QUEUED, PlanImport.State.RUNNING):
            return upload.state
        upload.state, upload.progress = PlanImport.State.RUNNING, 10
        upload.save(update_fields=["state", "progress"])
    try:
        result = apply_import(upload, on_progress=lambda p: _set(import_id, progress=p))
    except (PlanParseError, ImportRefused) as error:
        _set(
            import_id,
            state=PlanImport.State.FAILED,
            last_error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        return "refused"
    except Exception:
        logger.exception("import_plan_file %s failed", import_id)
        _set(
            import_id,
            state=PlanImport.State.FAILED,
            last_error="导入失败（系统错误），未写入任何内容；请联系管理员查看日志。",
            finished_at=timezone.now(),
        )
        raise
    _set(
        import_id,
        state=PlanImport.State.DONE,
        progress=100,
        result=result_summary(result),
        plan=Plan.objects.filter(slug=result.plan_slug).first(),
        finished_at=timezone.now(),
    )
    return "done"


def request_import(upload: PlanImport) -> None:
    """Send the job once the confirming transaction has committed."""

    def send():
        try:
            import_plan_file.delay(upload.pk)
        except BrokerError as error:
            logger.error("broker unavailable, import %s not sent: %s", upload.pk, error)
            _set(
                upload.pk,
                state=PlanImport.State.FAILED,
                last_error="消息队列暂不可用，未写入任何内容，请稍后重新上传。",
            )

    transaction.on_commit(send)
