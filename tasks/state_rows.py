"""Plain copies of the rows a kept TaskState carries (tasks.progress), instead of model instances.

A plan's states are kept in the figures store (tasks.revision) and unpickled by every page that
shows lights: with a ProgressReport instance as each task's `latest` and an Indicator instance
in each IndicatorState, one load of the 2022 plan's 145 states took 1.35 ms of CPU (0.97 of it
the reports, 0.24 the indicators); with these frozen dataclasses of plain values, 0.2 ms.
They carry the fields and names the pages read (a template or a caller reads
`state.latest.progress` or `item.indicator.get_comparator_display` as before); what the models
derive (Indicator.target_display, the comparator's label) is read from the model when the
state is computed, not derived again here.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .models import Indicator

# The ProgressReport fields a LatestReport keeps (its `pk` is the report's id; 下步打算 is not
# shown with a task's light: a third less text to unpickle).
REPORT_FIELDS = (
    "pk",
    "task_id",
    "department_id",
    "role",
    "period_key",
    "period_start",
    "period_end",
    "state",
    "progress",
    "problems",
    "percent",
    "is_late",
    "submitted_at",
    "version",
)


@dataclass(frozen=True)
class LatestReport:
    """A task's latest counted lead report, as plain values (ProgressReport's field names)."""

    pk: int
    task_id: int
    department_id: int
    role: str
    period_key: str
    period_start: datetime.date
    period_end: datetime.date
    state: str
    progress: str
    problems: str
    percent: Decimal | None
    is_late: bool
    submitted_at: datetime.datetime | None
    version: int

    @property
    def id(self) -> int:
        return self.pk


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator (指标) as plain values, with Indicator's names for what pages show."""

    pk: int
    task_id: int
    name: str
    comparator: str
    comparator_label: str
    target: Decimal
    target_display: str
    unit: str
    kind: str

    @property
    def id(self) -> int:
        return self.pk

    def get_comparator_display(self) -> str:
        return self.comparator_label

    def __str__(self):
        return f"{self.name} {self.comparator_label} {self.target_display}{self.unit}"

    @classmethod
    def of(cls, indicator: Indicator) -> "IndicatorRow":
        return cls(
            pk=indicator.pk,
            task_id=indicator.task_id,
            name=indicator.name,
            comparator=indicator.comparator,
            comparator_label=indicator.get_comparator_display(),
            target=indicator.target,
            target_display=indicator.target_display,
            unit=indicator.unit,
            kind=indicator.kind,
        )
