"""Look-ups views share: the plan and the period a request names, or a 404 that says why.

Views of every app import these instead of importing each other's view modules.
"""

from django.db import DEFAULT_DB_ALIAS
from django.http import Http404

from . import reporting, revision
from .models import Plan
from .periods import Period


def plan_or_404(key: str | None) -> Plan:
    if not key:
        plan = Plan.objects.filter(is_active=True).order_by("-year", "pk").first()
        plan = plan or Plan.objects.order_by("-year", "pk").first()
        if plan is None:
            raise Http404("尚未导入任何方案")
        return plan
    try:
        return Plan.objects.by_key(key)
    except (Plan.DoesNotExist, Plan.MultipleObjectsReturned):
        raise Http404("未找到该方案") from None


def kept_plan_or_404(key: str | None) -> Plan:
    """plan_or_404, kept until the data revision moves (plans are in
    tasks.receivers.STRUCTURE; no report moves it: revision.NO_REPORTS): a page that reads
    the revision anyway saves the plan's query.
    Kept as the plan's column values (a model instance unpickles slower). A key naming no plan
    is looked up (and refused) each time."""
    values = revision.memo(
        "plan", (key or None,), lambda: columns_of(plan_or_404(key)), settled=revision.NO_REPORTS
    )
    return instance_of(Plan, values)


def columns_of(instance) -> tuple:
    """A model instance's concrete column values, in field order (for a kept figure)."""
    return tuple(getattr(instance, f.attname) for f in instance._meta.concrete_fields)


def instance_of(model, values: tuple):
    """A model instance as loaded from the database (Model.from_db), from columns_of()."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(DEFAULT_DB_ALIAS, names, list(values))


def period_or_404(plan: Plan, key: str | None, today=None) -> Period:
    """The period `?period=` names (the current one without it); a malformed key, one of
    another cycle or one at the calendar's edge is a 404 with the reason in Chinese."""
    try:
        return reporting.period_for(plan, key, today)
    except ValueError as error:
        raise Http404(str(error)) from None
