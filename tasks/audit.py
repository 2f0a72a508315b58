"""Writing and reading the audit trail of a task's life (tasks.models.TaskEvent).

Every governed step (a node plan entered, an extension applied for, approved or refused, a
closure, a reopening, a coordination item, a 督办单) calls record() inside the transaction that
makes the change, so the trail and the change are written together or not at all.
"""

import datetime
import decimal

from django.db import models

from . import clock
from .models.events import TaskEvent


def _plain(value):
    """A JSON-safe rendering of a changed value (dates as ISO strings, decimals as text)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def record(
    task,
    kind: str,
    *,
    actor,
    summary: str,
    changes: dict | None = None,
    reason: str = "",
    obj: models.Model | None = None,
) -> TaskEvent:
    """Append one step to the task's trail. ``changes`` maps a Chinese field label to
    (before, after); ``obj`` is the application, item or notice the step is about."""
    return TaskEvent.objects.create(
        task=task,
        kind=kind,
        at=clock.now(),  # the app's clock: AS_OF_DATE in the demo and the tests
        actor=actor if actor is not None and actor.is_authenticated else None,
        summary=summary,
        changes={label: [_plain(b), _plain(a)] for label, (b, a) in (changes or {}).items()},
        reason=reason,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
    )


def trail(task, *, limit: int | None = None):
    """The task's steps, newest first, with their actors (one query)."""
    events = task.life_events.select_related("actor").order_by("-at", "-pk")
    return list(events[:limit] if limit else events)


def trail_of(obj: models.Model):
    """The steps about one application, item or notice, oldest first (one query)."""
    return list(
        TaskEvent.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
