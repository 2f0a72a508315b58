"""The tasks app's models: the plan and who answers for it (plans), reports (reports).

`from tasks.models import X` is the way to reach any of them.
"""

from .plans import (
    DataRevision,
    Indicator,
    Plan,
    PlanImport,
    PlanQuerySet,
    PlanSource,
    Section,
    Task,
    TaskLeader,
    TaskUnit,
)
from .reports import Attachment, IndicatorValue, ProgressReport, ReportEvent, _attachment_path

__all__ = [
    "Attachment",
    "DataRevision",
    "Indicator",
    "IndicatorValue",
    "Plan",
    "PlanImport",
    "PlanQuerySet",
    "PlanSource",
    "ProgressReport",
    "ReportEvent",
    "Section",
    "Task",
    "TaskLeader",
    "TaskUnit",
    "_attachment_path",  # named by migration 0001 (upload_to)
]
