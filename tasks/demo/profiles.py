"""How each task goes over the year in the demo: on schedule, lagging, silent or finished."""

from __future__ import annotations

import datetime
import hashlib
import random
from collections import Counter
from dataclasses import dataclass

from ..models import Indicator, Plan, Task
from ..periods import Period
from .figures import real_figure

ON_TRACK, BEHIND, SERIOUS, SILENT, FINISHER = "on_track", "behind", "serious", "silent", "finisher"


@dataclass
class Profile:
    kind: str
    final: float  # share of the target reached at the end (0..1)
    shape: float  # exponent of the curve
    delay: float = 0.0  # share of the year before work really starts (lagging tasks)
    finish: int | None = None  # period number (1-based) in which the task is done
    silent_weeks: int = 0  # the last N weeks of the run without a report
    pending: int = 1  # how many of the last weeks are not yet accepted


def task_hash(plan: Plan, task: Task) -> str:
    return hashlib.sha256(f"{plan.slug}:{task.number}".encode()).hexdigest()


def has_rate_indicator(task: Task) -> bool:
    return any(i.kind != Indicator.Kind.ABSOLUTE for i in task.indicators.all())


def assign_profiles(plan: Plan, tasks: list[Task], periods: list[Period]) -> dict[int, Profile]:
    """A deterministic profile per task: most on schedule, ~15 % lagging, a few silent or done.

    Shares are exact (by a stable hash order), not drawn, so every run and every database
    holding the same plan gets the same distribution.
    """
    n = len(tasks)
    quotas = {
        FINISHER: round(n * 0.05),
        BEHIND: round(n * 0.09),
        SERIOUS: round(n * 0.06),
        SILENT: round(n * 0.04),
    }
    kinds: dict[int, str] = {}
    finish_at: dict[int, int] = {}
    for task in tasks:
        figure = real_figure(plan, task)
        if figure is not None:
            kinds[task.pk] = FINISHER if figure.finished else ON_TRACK
            if figure.finished:
                finish_at[task.pk] = period_number(periods, figure.as_of)
    taken = Counter(kinds.values())
    for task in sorted(tasks, key=lambda t: task_hash(plan, t)):
        if task.pk in kinds:
            continue
        kind = ON_TRACK
        for candidate in (FINISHER, BEHIND, SERIOUS, SILENT):
            if taken[candidate] >= quotas[candidate]:
                continue
            if candidate in (FINISHER, BEHIND, SERIOUS) and has_rate_indicator(task):
                continue  # growth rates are reported as they stand, they neither lag nor finish
            kind = candidate
            break
        kinds[task.pk] = kind
        taken[kind] += 1

    profiles = {}
    for task in tasks:
        rng = random.Random(f"{plan.slug}:{task.number}:profile")
        kind = kinds[task.pk]
        profile = Profile(kind=kind, final=1.0, shape=1.0, pending=rng.choice((1, 1, 2)))
        if kind in (ON_TRACK, SILENT):
            profile.final = 1.0 if rng.random() < 0.4 else rng.uniform(0.94, 0.99)
            profile.shape = rng.uniform(0.92, 1.05)
            if kind == SILENT:
                profile.silent_weeks = rng.choice((2, 3, 4))
        elif kind == BEHIND:
            profile.final, profile.delay = rng.uniform(0.78, 0.86), rng.uniform(0.12, 0.18)
        elif kind == SERIOUS:
            profile.final, profile.delay = rng.uniform(0.55, 0.65), rng.uniform(0.2, 0.28)
        else:  # FINISHER
            profile.shape = rng.uniform(0.85, 1.1)
            profile.finish = finish_at.get(task.pk) or max(
                1, round(len(periods) * rng.uniform(0.45, 0.85))
            )
        deadline = task.deadline
        if deadline and deadline < datetime.date(plan.year, 12, 24) and kind in (ON_TRACK, SILENT):
            # A task due before the year end is done (and accepted) by its deadline.
            profile.kind, profile.finish = FINISHER, period_number(periods, deadline)
        profiles[task.pk] = profile
    return profiles


def period_number(periods: list[Period], day: datetime.date) -> int:
    for number, period in enumerate(periods, 1):
        if period.start <= day <= period.end:
            return number
    return len(periods) if day > periods[-1].end else 1


def target_percent(profile: Profile, elapsed: float, finish_elapsed: float | None) -> float:
    """The percent the task would show at ``elapsed`` (share of its span, 0..1)."""
    if profile.kind == FINISHER:
        share = min(1.0, elapsed / finish_elapsed) if finish_elapsed else 1.0
        return 100.0 * share**profile.shape
    if profile.kind in (BEHIND, SERIOUS):
        started = max(0.0, (elapsed - profile.delay) / (1 - profile.delay))
        return 100.0 * profile.final * started
    if elapsed >= 1:
        return 100.0 * profile.final
    return min(99.5, 100.0 * profile.final * elapsed**profile.shape)
