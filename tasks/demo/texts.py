"""The texts of the demo reports and their workflow (submitted, approved, accepted, late)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Indicator, ProgressReport, ReportEvent, TaskUnit
from ..periods import Period
from ..reporting import plan_due_at
from .figures import RealFigure, figure_values
from .phrases import (
    ACTIONS,
    CATCH_UP,
    COOP_ACTIONS,
    COOP_NEXT,
    LAG_PROBLEMS,
    NEXT_STEPS,
    PROBLEMS,
    action_sentence,
    context_sentence,
    problem_pool,
)
from .profiles import BEHIND, SERIOUS

State = ProgressReport.State
Action = ReportEvent.Action
LEAD, COOPERATING = TaskUnit.Role.LEAD, TaskUnit.Role.COOPERATING


@dataclass
class ReportSpec:
    task_id: int
    department_id: int
    role: str
    period: Period
    state: str
    progress: str
    problems: str
    next_steps: str
    percent: Decimal | None
    is_late: bool
    submitted_at: datetime.datetime
    values: dict[int, Decimal] = field(default_factory=dict)  # indicator id -> actual
    events: list[tuple[str, datetime.datetime]] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.task_id, self.department_id, self.period.key)


class ReportTexts:
    """The text and workflow half of the generator (``generator.Generator``), which provides
    ``plan``, ``periods``, ``weeks``, ``now``, ``profiles`` and ``elapsed(task, day)``."""

    def _lead_report(
        self,
        task,
        unit,
        period,
        number,
        parts,
        percent,
        done,
        *,
        values,
        figure,
        indicators,
        figure_index,
    ) -> ReportSpec:
        plan, profile = self.plan, self.profiles[task.pk]
        rng = random.Random(f"{plan.slug}:{task.number}:{number}:{unit.name}")
        due = plan_due_at(plan, period)
        word = "本周" if plan.cycle == "weekly" else "本月"
        focus = parts[(number - 1) % len(parts)]
        # Words about lagging only once the task is visibly behind 序时进度.
        gap = self.elapsed(task, period.end) * 100 - float(percent)
        lagging = profile.kind in (BEHIND, SERIOUS) and gap > 5
        sentences = []
        if number == 1:
            sentences.append(
                f"制定年度工作方案，将“{parts[0]}”细化分解为具体任务，明确责任科室和完成时限。"
            )
        elif rng.random() < 0.35:
            sentences.append(context_sentence(plan, due.date(), rng))
        actions = [
            a.format(n=rng.randint(1, 3), m=rng.randint(2, 12)) for a in rng.sample(ACTIONS, 2)
        ]
        sentences.append(f"围绕“{focus}”，{word}{actions[0]}；{actions[1]}。")
        if figure is not None:
            sentences.append(self._figure_sentence(figure, due.date()))
        shown, names = [], set()
        for indicator in indicators:
            if indicator.pk in figure_index or indicator.pk not in values:
                continue
            if indicator.name not in names and len(shown) < 3:
                shown.append(indicator)
                names.add(indicator.name)
        if shown:
            sentences.append("；".join(self._indicator_text(i, values[i.pk]) for i in shown) + "。")
        if done:
            sentences.append(
                f"经自查，“{parts[0]}”各项目标任务已全面完成，佐证材料已整理归档，申请销号。"
            )
        if percent > 0:
            sentences.append(f"截至目前，累计完成年度任务的{format(percent, 'f')}%。")
        else:
            sentences.append("目前仍处于前期准备阶段，实质性工作尚未全面展开。")
        progress = "".join(sentences)

        problems = ""
        if done:
            pass
        elif lagging and rng.random() < 0.8:
            main = random.Random(f"{plan.slug}:{task.number}:problem").choice(LAG_PROBLEMS)
            extra = rng.choice(problem_pool(plan, due.date(), task.text))
            problems = f"{main}；{extra}。" if rng.random() < 0.5 else f"{main}。"
        elif not lagging and rng.random() < 0.35:
            problems = rng.choice(problem_pool(plan, due.date(), task.text)) + "。"

        next_focus = parts[number % len(parts)]
        if done:
            next_steps = "持续巩固工作成果，建立长效机制，防止问题反弹。"
        elif number == len(self.periods):
            next_steps = f"认真做好全年工作总结，谋划{plan.year + 1}年工作思路和重点任务。"
        elif lagging:
            next_steps = f"针对进度滞后问题，{rng.choice(CATCH_UP)}；{rng.choice(NEXT_STEPS)}。"
        else:
            a, b = rng.sample(NEXT_STEPS, 2)
            next_steps = f"下步将围绕“{next_focus}”，{a}；{b}。"

        texts = (progress, problems, next_steps)
        return self._spec(task, unit, LEAD, period, number, rng, texts, percent, values, done)

    def _cooperating_report(self, task, unit, lead, period, number, parts) -> ReportSpec:
        plan = self.plan
        rng = random.Random(f"{plan.slug}:{task.number}:{number}:{unit.name}")
        word = "本周" if plan.cycle == "weekly" else "本月"
        focus = parts[(number - 1) % len(parts)]
        action = action_sentence(rng, COOP_ACTIONS, lead=lead.name)
        progress = f"配合{lead.name}推进“{focus}”，{word}{action}。"
        problems = ""
        if rng.random() < 0.15:
            problems = rng.choice(PROBLEMS) + "。"
        next_steps = rng.choice(COOP_NEXT).format(lead=lead.name) + "。"
        texts = (progress, problems, next_steps)
        return self._spec(task, unit, COOPERATING, period, number, rng, texts, None, {})

    def _figure_sentence(self, figure: RealFigure, day: datetime.date) -> str:
        numbers = [format(v, "f") for v in figure_values(figure, self.plan.year, day)]
        text = figure.template.format(*numbers)
        if day >= figure.as_of:
            return f"{figure.label}，{text}{figure.suffix}。"
        return f"截至{day.month}月{day.day}日，{text}。"

    @staticmethod
    def _indicator_text(indicator: Indicator, value: Decimal) -> str:
        shown = format(value.normalize(), "f")
        target = indicator.target_display
        if indicator.kind == Indicator.Kind.GROWTH:
            return f"{indicator.name}增长{shown}{indicator.unit}（目标{target}{indicator.unit}）"
        if indicator.kind == Indicator.Kind.RATE:
            return f"{indicator.name}为{shown}{indicator.unit}（目标{target}{indicator.unit}）"
        return f"{indicator.name}完成{shown}{indicator.unit}（年度目标{target}{indicator.unit}）"

    def _spec(
        self, task, unit, role, period, number, rng, texts, percent, values, accepted=False
    ) -> ReportSpec:
        """The report with its texts (progress, problems, next steps): when it was submitted,
        whether late, and how far the office has taken it."""
        progress, problems, next_steps = texts
        due = plan_due_at(self.plan, period)
        # Units report through the week, most on the due day; some miss the deadline.
        late_rate = random.Random(f"{self.plan.slug}:{unit.name}:lateness").choice(
            (0.02, 0.04, 0.06, 0.15)
        )
        minutes = datetime.timedelta(minutes=1)
        if rng.random() < late_rate:
            # The evening of the due day, the next working day, or (rarely) the next week.
            offset = rng.choice(((5, 210), (930, 1470), (930, 1470), (5670, 5820)))
            submitted = due + rng.randint(*offset) * minutes
        elif rng.random() < 0.75:
            submitted = due - rng.randint(1, 8 * 60) * minutes  # the due day, office hours
        else:
            submitted = due - rng.randint(23 * 60, 32 * 60) * minutes  # the day before
        submitted = submitted.replace(second=rng.randint(0, 59))
        if submitted > self.now:
            submitted = max(
                self.now - datetime.timedelta(minutes=rng.randint(1, 30)),
                datetime.datetime.combine(period.start, datetime.time(8, 30), tzinfo=due.tzinfo),
            )
        is_late = submitted > due

        pending = self.profiles[task.pk].pending
        if accepted or number <= self.weeks - pending:
            state = State.ACCEPTED
        else:
            state = State.SUBMITTED if rng.random() < 0.55 else State.APPROVED
        events = [(Action.SUBMITTED, submitted)]
        moment = submitted
        if state == State.APPROVED or (state == State.ACCEPTED and rng.random() < 0.5):
            moment = moment + datetime.timedelta(minutes=rng.randint(30, 20 * 60))
            events.append((Action.APPROVED, moment))
        if state == State.ACCEPTED:
            moment = moment + datetime.timedelta(minutes=rng.randint(2 * 60, 48 * 60))
            events.append((Action.ACCEPTED, moment))
        # Nothing happens after "now": a decision not yet due leaves the report where it is.
        while len(events) > 1 and events[-1][1] > self.now:
            events.pop()
            state = State.APPROVED if events[-1][0] == Action.APPROVED else State.SUBMITTED
        return ReportSpec(
            task_id=task.pk,
            department_id=unit.pk,
            role=role,
            period=period,
            state=state,
            progress=progress,
            problems=problems,
            next_steps=next_steps,
            percent=percent,
            is_late=is_late,
            submitted_at=submitted,
            values=dict(values),
            events=events,
        )
