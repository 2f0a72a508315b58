"""The tasks app's models: the plan and who answers for it (plans), reports (reports), the audit trail of a
task's life (events),
closure applications (closure).

`from tasks.models import X` is the way to reach any of them.
"""

from .closure import ClosureApplication, ClosureEvidence, _closure_file_path
from .events import TaskEvent
from .extensions import ExtensionApplication
from .node_proposals import NodeProposal
from .plans import (
    DataRevision,
    Indicator,
    Plan,
    PlanImport,
    PlanQuerySet,
    PlanRevision,
    PlanSource,
    Section,
    Task,
    TaskLeader,
    TaskNode,
    TaskUnit,
)
from .reports import Attachment, IndicatorValue, ProgressReport, ReportEvent, _attachment_path

__all__ = [
    "Attachment",
    "ClosureApplication",
    "ClosureEvidence",
    "DataRevision",
    "PlanRevision",
    "ExtensionApplication",
    "Indicator",
    "IndicatorValue",
    "NodeProposal",
    "Plan",
    "PlanImport",
    "PlanQuerySet",
    "PlanSource",
    "ProgressReport",
    "ReportEvent",
    "Section",
    "Task",
    "TaskEvent",
    "TaskLeader",
    "TaskNode",
    "TaskUnit",
    "_attachment_path",  # named by migration 0001 (upload_to)
    "_closure_file_path",  # named by the closure migration (upload_to)
]
