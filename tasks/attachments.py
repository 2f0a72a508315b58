"""Evidence files (佐证材料) of a report: adding them, and removing one before it is handed in.

Files live in storage, rows in the database: a file is written before its row (and removed
again by the caller when the transaction fails, see reporting.save_report), and a removed
file is deleted from storage only after the row's deletion has been committed, so a failure
never leaves a row without its file.
"""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404

from .access import can_report
from .evidence import content_type_for
from .models import Attachment, ProgressReport

logger = logging.getLogger(__name__)

EDITABLE = (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)


class AttachmentError(Exception):
    """A refused removal, with a message for the user in Chinese."""


def store_uploads(build, user, files, written: list) -> list:
    """Store uploaded files as rows of a file model (report attachments, closure evidence):
    ``build(**fields)`` makes the unsaved row. Each stored file is appended to `written`, so
    the caller removes it again when the transaction fails (files vanish with a rollback)."""
    stored = []
    for upload in files:
        row = build(
            original_name=upload.name[:200],
            size=upload.size,
            content_type=content_type_for(upload.name),
            uploaded_by=user,
        )
        row.file.save(upload.name, upload, save=False)
        written.append(row.file)
        row.save()
        stored.append(row)
    return stored


def store_files(report: ProgressReport, user, files: list, written: list) -> list[Attachment]:
    """Attach the uploads to the report; each stored file is appended to `written`."""
    return store_uploads(partial(Attachment, report=report), user, files, written)


def serve_file(row) -> FileResponse:
    """Download a stored upload (an Attachment, a ClosureEvidence) under its original name;
    404 with a Chinese message when the file has gone from the disk."""
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        logger.error("%s %s missing on disk", type(row).__name__, row.pk)
        raise Http404("文件已丢失，请联系督查室") from None
    response = FileResponse(
        handle, as_attachment=True, filename=row.original_name, content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
