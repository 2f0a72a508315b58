"""Evidence files (佐证材料) of a report: adding them, and removing one before it is handed in.

Files live in storage, rows in the database: a file is written before its row (and removed
again by the caller when the transaction fails, see reporting.save_report), and a removed
file is deleted from storage only after the row's deletion has been committed, so a failure
never leaves a row without its file.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .access import can_report
from .evidence import content_type_for
from .models import Attachment, ProgressReport

EDITABLE = (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)


class AttachmentError(Exception):
    """A refused removal, with a message for the user in Chinese."""


def store_files(report: ProgressReport, user, files: list, written: list) -> list[Attachment]:
    """Attach the uploads to the report; each stored file is appended to `written`."""
    stored = []
    for upload in files:
        attachment = Attachment(
            report=report,
            original_name=upload.name[:200],
            size=upload.size,
            content_type=content_type_for(upload.name),
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        written.append(attachment.file)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def remove_attachment(*, user, unit, report_id, attachment_id, open_period_keys) -> str:
    """Remove one file of the unit's own draft or returned report; returns its name.

    Refused (AttachmentError) when the report has been handed in or its period is closed;
    an attachment of another report (or of another unit's) is not found, as if there were none.
    """
    attachment = (
        Attachment.objects.select_related("report__task__plan")
        .filter(pk=attachment_id, report_id=report_id, report__department=unit)
        .first()
    )
    if attachment is None:
        raise AttachmentError("未找到该附件，可能已被删除。")
    report = ProgressReport.objects.select_for_update().get(pk=attachment.report_id)
    if not can_report(user, attachment.report.task, unit):
        raise PermissionDenied("无权修改该任务的报告")
    if report.period_key not in open_period_keys:
        raise AttachmentError("该期次已关闭，附件不能再删除。")
    if report.state not in EDITABLE:
        raise AttachmentError(
            f"这份报告{report.get_state_display()}，附件不能再删除；如需修改，请先退回。"
        )
    name, stored = attachment.original_name, attachment.file
    storage, path = stored.storage, stored.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
    return name


def add_files(report: ProgressReport, user, files: list) -> list[Attachment]:
    """Attach files to a draft or returned report on their own (the text saved elsewhere);
    nothing is kept when anything fails. Used to keep the files of a save that conflicted."""
    written: list = []
    try:
        with transaction.atomic():
            locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
            if locked.state not in EDITABLE:
                raise AttachmentError(
                    f"这份报告{locked.get_state_display()}，您选择的附件未能保存，请退回后重新上传。"
                )
            return store_files(locked, user, files, written)
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise
