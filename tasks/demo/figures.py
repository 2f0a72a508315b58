"""The figures the district published for its 2022 tasks, read from fixtures/demo/.

The demo reports of such a task ramp up to the published figure (``generator``, ``texts``).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from ..models import Plan, Task
from .phrases import compact, number_text, places_of

DATA_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


@dataclass(frozen=True)
class RealFigure:
    """A figure the district published for a task, and how the demo reports ramp up to it.

    ``template`` is the sentence the lead unit writes, with one placeholder per entry of
    ``values`` ((value in the plan's first week, value at ``as_of``), as decimal strings; the
    published figure is the second). From ``as_of`` on the figure stays as published and the
    sentence is dated with ``label``. ``indicators`` maps an indicator of the task (by a part of
    its name, and its unit) to a placeholder, so that IndicatorValue carries the same figure.
    ``keyword`` must occur in the task's text, so that a renumbered plan gets no wrong figure.
    ``finished``: the source says the year's task is done; the task is accepted as finished in
    the week of ``as_of`` and reports no more.
    """

    task: str
    keyword: str
    as_of: datetime.date
    label: str
    template: str
    values: tuple[tuple[str, str], ...]
    source: str
    indicators: tuple[tuple[str, str, int], ...] = ()
    finished: bool = False
    suffix: str = ""  # appended once the figure is reached


def load_figures(path: Path) -> dict[str, RealFigure]:
    """The figures of a data file, by task number (a record's "note" is for readers only)."""
    records = json.loads(path.read_text(encoding="utf-8"))["figures"]
    return {
        record["task"]: RealFigure(
            task=record["task"],
            keyword=record["keyword"],
            as_of=datetime.date.fromisoformat(record["as_of"]),
            label=record["label"],
            template=record["template"],
            values=tuple((first, final) for first, final in record["values"]),
            source=record["source"],
            indicators=tuple((part, unit, index) for part, unit, index in record["indicators"]),
            finished=record["finished"],
            suffix=record["suffix"],
        )
        for record in records
    }


REAL_FIGURES: dict[str, RealFigure] = load_figures(DATA_DIR / "figures-2022.json")


def real_figure(plan: Plan, task: Task) -> RealFigure | None:
    figure = REAL_FIGURES.get(task.number)
    if figure is None or figure.as_of.year != plan.year:
        return None
    if figure.keyword not in compact(task.text):
        return None
    return figure


def figure_values(figure: RealFigure, year: int, day: datetime.date) -> list[Decimal]:
    """The figure's values on ``day``: a straight ramp from the first week to ``as_of``."""
    start = datetime.date(year, 1, 1)
    share = min(1.0, ((day - start).days + 1) / ((figure.as_of - start).days + 1))
    result = []
    for first, final in figure.values:
        a, b = Decimal(first), Decimal(final)
        value = a + (b - a) * Decimal(str(max(0.0, share)))
        places = places_of(final)
        result.append(Decimal(number_text(value, places)))
    return result
