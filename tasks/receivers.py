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
from .signals import figures_moved, figures_moved_after

COUNTED = ProgressReport.State.COUNTED

# Any change to these can change a status, a duty or a name on a remembered figure: those of
# a plan move that plan's figures, those plans share (units, groups, leaders) move every plan's.
PLAN_DATA = (Plan, Section, Task, TaskLeader, TaskUnit, TaskNode, Indicator)
SHARED = (Department, UnitGroup, Leader)
STRUCTURE = PLAN_DATA + SHARED


def _plan_of_task(task_id, using) -> int | None:
    return Task.objects.using(using).filter(pk=task_id).values_list("plan_id", flat=True).first()


def plan_of(instance, using) -> int | None:
    """The plan whose data `instance` is (None: unknown, e.g. its task went first in a
    cascade; the shared counter then moves, which moves every plan's figures)."""
    if isinstance(instance, Plan):
        return instance.pk
    if isinstance(instance, Section | Task):
        return instance.plan_id
    if type(instance).task.is_cached(instance):  # loaded with it: no query
        return instance.task.plan_id
    return _plan_of_task(instance.task_id, using)


def _changed(sender, instance, using=None, **kwargs):
    """Saved: its plan's figures move (a shared row's: every plan's)."""
    using = using or "default"
    revision.bump(using, plan_of(instance, using) if isinstance(instance, PLAN_DATA) else None)


def _report_changed(sender, instance, using=None, **kwargs):
    """Saved or deleted: it matters if the report counted before or counts now. A draft saved
    as a draft (or a returned report edited) counts nowhere, before or after. (A task with
    reports cannot be deleted: its plan is there.)"""
    if getattr(instance, "loaded_state", None) in COUNTED or instance.state in COUNTED:
        using = using or "default"
        # The field's value as saved (a caller may have passed the date as text).
        period_end = ProgressReport._meta.get_field("period_end").to_python(instance.period_end)
        revision.bump(using, plan_of(instance, using), recent=revision.recent(period_end))
    instance.loaded_state = instance.state


def _value_changed(sender, instance, using=None, **kwargs):
    """A value counts when its report does; read the report's state as it is now."""
    using = using or "default"
    found = (
        ProgressReport.objects.using(using)
        .filter(pk=instance.report_id)
        .values_list("state", "task__plan_id", "period_end")
        .first()
    )
    if found is None:  # the report went with it (cascade)
        revision.bump(using)
    elif found[0] in COUNTED:
        revision.bump(using, found[1], recent=revision.recent(found[2]))


def _shared(sender, using=None, **kwargs):
    """Deleted, or a group's members changed: every plan's figures move."""
    revision.bump(using or "default")


def connect() -> None:
    request_started.connect(revision.request_started, dispatch_uid="revision-request-started")
    request_finished.connect(revision.request_finished, dispatch_uid="revision-request-finished")
    figures_moved.connect(figures.warm, dispatch_uid="revision-warm-figures")
    figures_moved.connect(plan_rows.warm, dispatch_uid="revision-warm-task-list")
    figures_moved_after.connect(figures.warm_after, dispatch_uid="revision-warm-after")
    for model in STRUCTURE:
        post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{model.__name__}")
        # A deletion moves every plan's figures: it may be part of its plan's deletion (no
        # plan counter may be written for a plan on its way out), and deletions are rare.
        post_delete.connect(_shared, sender=model, dispatch_uid=f"revision-del-{model.__name__}")
    m2m_changed.connect(_shared, sender=UnitGroup.members.through, dispatch_uid="revision-m2m")
    post_save.connect(_report_changed, sender=ProgressReport, dispatch_uid="revision-report-save")
    post_delete.connect(_report_changed, sender=ProgressReport, dispatch_uid="revision-report-del")
    post_save.connect(_value_changed, sender=IndicatorValue, dispatch_uid="revision-value-save")
    post_delete.connect(_value_changed, sender=IndicatorValue, dispatch_uid="revision-value-del")
