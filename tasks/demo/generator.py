"""The demo's report specs: which units report, and each week's percent and indicator values."""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from ..models import Indicator, Plan, Task, TaskUnit
from ..periods import Period
from ..reporting import plan_due_at
from ..status import expected_progress
from .figures import figure_values, real_figure
from .phrases import clauses, indicator_places, number_text
from .profiles import BEHIND, SERIOUS, assign_profiles, target_percent
from .texts import ReportSpec, ReportTexts

LEAD, COOPERATING = TaskUnit.Role.LEAD, TaskUnit.Role.COOPERATING


class Generator(ReportTexts):
    def __init__(self, plan: Plan, periods: list[Period], weeks: int, now: datetime.datetime):
        self.plan = plan
        self.periods = periods
        self.weeks = weeks
        self.now = now

    # Which tasks report, and who.
    def tasks(self) -> list[Task]:
        return list(
            self.plan.tasks.prefetch_related("indicators", "unit_links__department").order_by(
                "sort_order"
            )
        )

    def generate(self) -> list[ReportSpec]:
        tasks = [t for t in self.tasks() if self._leads(t)]
        self.profiles = assign_profiles(self.plan, tasks, self.periods)
        self.cooperating = self._cooperating_units(tasks)
        specs: list[ReportSpec] = []
        for task in tasks:
            specs.extend(self._task_reports(task))
        return specs

    @staticmethod
    def _leads(task: Task):
        seen, leads = set(), []
        for link in sorted(task.unit_links.all(), key=lambda u: u.position):
            if link.role == LEAD and link.department_id and link.department_id not in seen:
                seen.add(link.department_id)
                leads.append(link.department)
        return leads

    def _cooperating_units(self, tasks: list[Task]) -> dict[int, object]:
        """One cooperating department for a third of the tasks that name one directly.

        Groups (各镇政府（街道办事处） …) are left out: they are many units, not one. The third is
        exact, chosen by a stable hash order, and the department is drawn per task.
        """
        candidates: dict[int, list] = {}
        for task in tasks:
            lead_ids = {d.pk for d in self._leads(task)}
            units = [
                link.department
                for link in sorted(task.unit_links.all(), key=lambda u: u.position)
                if link.role == COOPERATING
                and link.department_id
                and link.department_id not in lead_ids
            ]
            if units:
                candidates[task.pk] = units
        eligible = sorted(
            (t for t in tasks if t.pk in candidates),
            key=lambda t: hashlib.sha256(
                f"{self.plan.slug}:{t.number}:cooperating".encode()
            ).hexdigest(),
        )
        chosen = {}
        for task in eligible[: round(len(eligible) / 3)]:
            rng = random.Random(f"{self.plan.slug}:{task.number}:cooperating")
            chosen[task.pk] = rng.choice(candidates[task.pk])
        return chosen

    def _span(self, task: Task) -> tuple[datetime.date, datetime.date]:
        start = datetime.date(self.plan.year, 1, 1)
        end = task.deadline or datetime.date(self.plan.year, 12, 31)
        return start, max(start, end)

    def elapsed(self, task: Task, day: datetime.date) -> float:
        start, end = self._span(task)
        return expected_progress(min(day, end), start, end) / 100

    def _task_reports(self, task: Task) -> list[ReportSpec]:
        plan, profile = self.plan, self.profiles[task.pk]
        leads = self._leads(task)
        cooperating = self.cooperating.get(task.pk)
        figure = real_figure(plan, task)
        parts = clauses(task.text)
        indicators = list(task.indicators.all())
        figure_index = self._figure_indicators(figure, indicators)
        finish_elapsed = None
        if profile.finish:
            finish_elapsed = self.elapsed(task, self.periods[profile.finish - 1].end)
        jitter = random.Random(f"{plan.slug}:{task.number}:jitter").uniform(0.98, 1.03)

        specs = []
        percent = 0.0
        values: dict[int, Decimal] = {}
        last = self.weeks
        if profile.finish:
            last = min(last, profile.finish)
        for number in range(1, last + 1):
            period = self.periods[number - 1]
            elapsed = self.elapsed(task, period.end)
            rng = random.Random(f"{plan.slug}:{task.number}:{number}:percent")
            target = target_percent(profile, elapsed, finish_elapsed)
            if profile.finish and number == profile.finish:
                percent = 100.0
            else:
                noisy = target + rng.uniform(-1.2, 1.2) if target > 0 else 0.0
                cap = 100.0 if elapsed >= 1 else 99.5
                percent = max(percent, min(cap, max(0.0, noisy)))
            values = self._values(
                task, indicators, figure, figure_index, period, percent, values, jitter, rng
            )
            if profile.silent_weeks and number > self.weeks - profile.silent_weeks:
                continue
            done = bool(profile.finish and number == profile.finish)
            report_percent = Decimal(str(percent)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            for position, unit in enumerate(leads):
                first = position == 0  # figures and indicator values: the first lead unit's
                specs.append(
                    self._lead_report(
                        task,
                        unit,
                        period,
                        number,
                        parts,
                        report_percent,
                        done,
                        values=values if first else {},
                        figure=figure if first else None,
                        indicators=indicators if first else [],
                        figure_index=figure_index,
                    )
                )
            if cooperating is not None:
                specs.append(
                    self._cooperating_report(task, cooperating, leads[0], period, number, parts)
                )
        return specs

    @staticmethod
    def _figure_indicators(figure, indicators) -> dict[int, int]:
        """indicator id -> index into figure.values, for the task's indicators the figure fits."""
        matched: dict[int, int] = {}
        if figure is None:
            return matched
        for indicator in indicators:
            for part, unit, index in figure.indicators:
                if part in indicator.name and indicator.unit in (unit, ""):
                    matched[indicator.pk] = index
                    break
        return matched

    def _values(
        self, task, indicators, figure, figure_index, period, percent, previous, jitter, rng
    ) -> dict[int, Decimal]:
        """Indicator actuals for this period: real figures where known, else from the percent."""
        values: dict[int, Decimal] = {}
        due_day = plan_due_at(self.plan, period).date()
        figures = figure_values(figure, self.plan.year, due_day) if figure is not None else []
        for indicator in indicators:
            places = indicator_places(indicator)
            if indicator.pk in figure_index:
                values[indicator.pk] = figures[figure_index[indicator.pk]]
                continue
            target = indicator.target
            if indicator.kind != Indicator.Kind.ABSOLUTE:
                if indicator.comparator == Indicator.Comparator.AT_MOST:
                    share = rng.uniform(0.82, 0.97)
                elif indicator.comparator == Indicator.Comparator.ABOUT:
                    share = rng.uniform(0.95, 1.05)
                else:
                    share = rng.uniform(0.97, 1.12)
                values[indicator.pk] = Decimal(number_text(target * Decimal(str(share)), places))
                continue
            if indicator.comparator == Indicator.Comparator.AT_MOST:
                share = min(0.97, percent / 100 * jitter)
                values[indicator.pk] = Decimal(number_text(target * Decimal(str(share)), places))
                continue
            share = percent / 100 * (max(1.0, jitter) if percent >= 100 else jitter)
            # Small counts are lumpy (2 villages, 1 library): a task on schedule counts the one
            # under way, a lagging task only what is finished, and never the whole target.
            lagging = self.profiles[task.pk].kind in (BEHIND, SERIOUS)
            value = Decimal(
                number_text(
                    target * Decimal(str(share)), places, ROUND_DOWN if lagging else ROUND_UP
                )
            )
            if lagging and value >= target:
                value = target - Decimal(1).scaleb(-places)
            values[indicator.pk] = max(value, previous.get(indicator.pk, Decimal(0)))
        return values
