"""The 红黑榜 of a plan × month or year: every unit's score (reports.scoring) from its figures
(reports.score_inputs), ranked; whether the office published it; the xlsx export and the rows
the monthly workbook's sheet prints (reports.workbook_scores)."""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from common.xlsx import INTEGER_FORMAT, PERCENT_FORMAT, write_table
from departments.models import Department
from tasks import clock
from tasks.models import Plan

from .models import ScorePublication
from .score_inputs import Span, parse_span, unit_figures
from .scoring import Ranked, UnitFigures, formula_text, rank, score, weights_from


@dataclass(frozen=True)
class UnitRow:
    department: Department
    figures: UnitFigures
    ranked: Ranked

    @property
    def score(self):
        return self.ranked.score


@dataclass(frozen=True)
class Ranking:
    plan: Plan
    span: Span
    as_of: datetime.date
    period_count: int  # periods judged in the span
    rows: list[UnitRow]
    formula: list[str]

    def row_of(self, department_id: int) -> UnitRow | None:
        return next((r for r in self.rows if r.department.pk == department_id), None)


def weights():
    return weights_from(settings.SCORE_WEIGHTS)


def ranking(plan: Plan, span: Span, today: datetime.date | None = None) -> Ranking:
    """Every unit that owes reports on the plan, best first.

    Queries: the plan's duties and task states (remembered, tasks.revision), the owed reports
    handed in on time, the returns, the closed tasks, the departments.
    """
    figures, day, periods = unit_figures(plan, span, today)
    w = weights()
    departments = {
        d.pk: d for d in Department.objects.filter(pk__in=list(figures)).order_by("sort_order")
    }
    order = {pk: i for i, pk in enumerate(departments)}
    ranked = rank(
        ((pk, score(f, w)) for pk, f in figures.items() if pk in departments), order=order
    )
    rows = [UnitRow(departments[r.key], figures[r.key], r) for r in ranked]
    return Ranking(plan, span, day, len(periods), rows, formula_text(w))


def is_published(plan: Plan, span: Span) -> bool:
    return ScorePublication.objects.filter(plan=plan, period_key=span.key, published=True).exists()


@transaction.atomic
def set_published(plan: Plan, span: Span, published: bool, user) -> ScorePublication:
    """Publish (公布) or withdraw the ranking of the span; who and when are kept on the row."""
    row, _ = ScorePublication.objects.select_for_update().get_or_create(
        plan=plan, period_key=span.key, defaults={"changed_at": clock.now()}
    )
    row.published, row.changed_by, row.changed_at = published, user, clock.now()
    row.save()
    return row


HEADERS = ["名次", "单位", "得分", "按时报送", "应报", "按时报送率", "牵头任务", "序时推进",
           "退回", "停滞", "延期", "逾期协调事项", "办结", "得分构成"]  # fmt: skip
WIDTHS = [6, 26, 8, 9, 7, 11, 9, 9, 6, 6, 6, 12, 6, 70]


def parts_text(row: UnitRow) -> str:
    return "；".join(f"{p.label} {p.figure} {p.points:+g}" for p in row.score.parts)


def table_rows(result: Ranking) -> list[list]:
    rows = []
    for row in result.rows:
        f = row.figures
        rows.append(
            [
                row.ranked.rank,
                row.department.name,
                row.score.total,
                f.on_time,
                f.due,
                round(100 * f.on_time_rate, 1),
                f.lead_tasks,
                f.at_pace,
                f.returned,
                f.stale,
                f.extensions,
                f.overdue_items,
                f.closed,
                parts_text(row),
            ]
        )
    return rows


def title(result: Ranking) -> str:
    return f"{result.plan.year}年重点任务单位考核排名（{result.span.label}）"


def export_bytes(result: Ranking) -> bytes:
    """The ranking as an xlsx sheet (the formula is in the last column of every row)."""
    buffer = io.BytesIO()
    integer = {i: INTEGER_FORMAT for i in (0, 3, 4, 6, 7, 8, 9, 10, 11, 12)}
    write_table(
        buffer,
        sheet_title="单位考核",
        headers=HEADERS,
        rows=table_rows(result),
        widths=WIDTHS,
        title=f"{title(result)}　截至{result.as_of.year}年{result.as_of.month}月{result.as_of.day}日",
        filters=True,
        number_formats={**integer, 2: "0.0", 5: PERCENT_FORMAT},
    )
    return buffer.getvalue()


def snapshot_rows(plan: Plan, day: datetime.date) -> dict:
    """The month's ranking as the weekly roll-up freezes it into a snapshot (JSON-safe), for the
    workbook's 单位考核 sheet: the month of `day`, figures as of `day`."""

    span = parse_span(plan, f"{plan.year}-{day.month:02d}")
    result = ranking(plan, span, day)
    return {
        "label": span.label,
        "as_of": result.as_of.isoformat(),
        "formula": result.formula,
        "headers": HEADERS,
        "rows": table_rows(result),
        "marks": [
            "top" if r.ranked.top else "bottom" if r.ranked.bottom else "" for r in result.rows
        ],
    }
