"""What moves the data revision (tasks.revision): every committed change behind a status.

Connected in TasksConfig.ready(). Writes that send no signals (bulk_create, update()) are in
the importer and the demo generator, which call revision.bump() themselves.
"""

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from departments.models import Department, UnitGroup
from leaders.models import Leader

from . import figures, plan_rows, revision
from .models import (
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    Section,
    Task,
    TaskLeader,
    TaskNode,
    TaskUnit,
)
from .signals import figures_moved

COUNTED = ProgressReport.State.COUNTED

# Any change to these can change a status, a duty or a name on a remembered figure.
STRUCTURE = (
    Plan,
    Section,
    Task,
    TaskLeader,
    TaskUnit,
    TaskNode,
    Indicator,
    Department,
    UnitGroup,
    Leader,
)


def _changed(sender, using=None, **kwargs):
    revision.bump(using or "default")


def _report_changed(sender, instance, using=None, **kwargs):
    """Saved or deleted: it matters if the report counted before or counts now. A draft saved
    as a draft (or a returned report edited) counts nowhere, before or after."""
    if getattr(instance, "loaded_state", None) in COUNTED or instance.state in COUNTED:
        revision.bump(using or "default")
    instance.loaded_state = instance.state


def _value_changed(sender, instance, using=None, **kwargs):
    """A value counts when its report does; read the report's state as it is now."""
    state = (
        ProgressReport.objects.using(using or "default")
        .filter(pk=instance.report_id)
        .values_list("state", flat=True)
        .first()
    )
    if state is None or state in COUNTED:  # None: the report went with it (cascade)
        revision.bump(using or "default")


def connect() -> None:
    request_started.connect(revision.request_started, dispatch_uid="revision-request-started")
    request_finished.connect(revision.request_finished, dispatch_uid="revision-request-finished")
    figures_moved.connect(figures.warm, dispatch_uid="revision-warm-figures")
    figures_moved.connect(plan_rows.warm, dispatch_uid="revision-warm-task-list")
    for model in STRUCTURE:
        post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"revision-del-{model.__name__}")
    m2m_changed.connect(_changed, sender=UnitGroup.members.through, dispatch_uid="revision-m2m")
    post_save.connect(_report_changed, sender=ProgressReport, dispatch_uid="revision-report-save")
    post_delete.connect(_report_changed, sender=ProgressReport, dispatch_uid="revision-report-del")
    post_save.connect(_value_changed, sender=IndicatorValue, dispatch_uid="revision-value-save")
    post_delete.connect(_value_changed, sender=IndicatorValue, dispatch_uid="revision-value-del")
