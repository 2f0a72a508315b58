"""The phrases of the demo reports (fixtures/demo/phrases.json) and the text helpers."""

from __future__ import annotations

import datetime
import json
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings

from ..models import Indicator, Plan

_PHRASES = json.loads(
    (Path(settings.BASE_DIR) / "fixtures" / "demo" / "phrases.json").read_text(encoding="utf-8")
)
MONTH_CONTEXT = {int(month): pool for month, pool in _PHRASES["month_context"].items()}
AFTER_CONGRESS = _PHRASES["after_congress"]
ACTIONS = _PHRASES["actions"]
PROBLEMS = _PHRASES["problems"]
LAG_PROBLEMS = _PHRASES["lag_problems"]
WINTER_PROBLEM = _PHRASES["winter_problem"]
SUMMER_PROBLEM = _PHRASES["summer_problem"]
COVID_PROBLEM = _PHRASES["covid_problem"]
NEXT_STEPS = _PHRASES["next_steps"]
CATCH_UP = _PHRASES["catch_up"]
COOP_ACTIONS = _PHRASES["coop_actions"]
COOP_NEXT = _PHRASES["coop_next"]
COUNT_UNITS = set(_PHRASES["count_units"])


def compact(text: str) -> str:
    """Drop spaces next to Chinese characters ("5G 基站" → "5G基站"), keep them between ASCII."""
    text = re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def clauses(text: str) -> list[str]:
    """The task's text cut at clause punctuation, inner quotes turned into single ones."""
    text = compact(text).replace("“", "‘").replace("”", "’")
    parts = [p.strip() for p in re.split(r"[，。；：！？,;]", text)]
    parts = [p for p in parts if len(p) >= 4]
    return parts or [text.strip("。") or "本项任务"]


def number_text(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> str:
    quantum = Decimal(1).scaleb(-places)
    return format(value.quantize(quantum, rounding=rounding), "f")


def places_of(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def indicator_places(indicator: Indicator) -> int:
    target_places = max(0, -indicator.target.normalize().as_tuple().exponent)
    if indicator.kind != Indicator.Kind.ABSOLUTE:
        return max(1, target_places)
    if indicator.unit in COUNT_UNITS:
        return target_places
    return max(2, target_places)


def context_sentence(plan: Plan, day: datetime.date, rng: random.Random) -> str:
    pool = list(MONTH_CONTEXT[day.month])
    if plan.year == 2022 and day >= datetime.date(2022, 10, 24):
        pool.append(AFTER_CONGRESS)
    return rng.choice(pool)


def action_sentence(rng: random.Random, pool: list[str], **names) -> str:
    return rng.choice(pool).format(n=rng.randint(1, 3), m=rng.randint(2, 12), **names)


_OUTDOOR = re.compile(r"建设|新建|改造|施工|工程|道路|公路|桥|拆迁|农田|园区|光伏|基站|绿化|河")


def problem_pool(plan: Plan, day: datetime.date, text: str) -> list[str]:
    pool = list(PROBLEMS)
    if _OUTDOOR.search(text):  # weather matters only where something is built outdoors
        if day.month in (12, 1, 2):
            pool.append(WINTER_PROBLEM)
        if day.month in (6, 7, 8):
            pool.append(SUMMER_PROBLEM)
    if plan.year == 2022 and day.month in (3, 4, 5, 11, 12):
        pool += [COVID_PROBLEM] * 2
    return pool
