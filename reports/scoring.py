"""A unit's assessment score (考核得分) for a month or a year: the rule behind the 红黑榜.

Pure module: no Django, no database. The caller gathers each unit's figures
(reports.score_inputs) and the weights (settings.SCORE_WEIGHTS, through weights_from()).

The score is a sum of parts, each shown to the unit beside its figure, so a unit can see why
it scored what it did:

    得分 = 报送及时率 × on_time + 序时推进率 × pace
           + 退回次数 × returned + 进展停滞次数 × stale + 延期次数 × extension
           + 逾期未协调事项 × overdue_item + 办结任务数 × closed          (clamped to 0..100)

Rates are shares (0..1). A unit with nothing due in the span has a 报送及时率 of 1 (nothing
was late); a unit leading no task (or none begun) has a 序时推进率 of 1 (no lead task lagged).
Only units are scored and ranked, never people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

MAX_SCORE = 100.0
HIGHLIGHTED = 5  # top and bottom five on the ranking page


@dataclass(frozen=True)
class Weights:
    on_time: float = 40.0  # points for a 100 % on-time reporting rate
    pace: float = 60.0  # points for every lead task at or above 序时进度
    returned: float = -1.0  # per report returned (退回) by the head or the office
    stale: float = -1.0  # per stale report (进展停滞)
    extension: float = -2.0  # per approved extension (延期)
    overdue_item: float = -2.0  # per coordination item past its deadline (需协调事项)
    closed: float = 2.0  # per lead task closed (办结) in the span

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def weights_from(mapping: Mapping[str, float]) -> Weights:
    """Weights from a settings mapping; unknown keys are refused (a typo must not pass)."""
    unknown = set(mapping) - set(Weights.keys())
    if unknown:
        raise ValueError(f"unknown score weights: {', '.join(sorted(unknown))}")
    return Weights(**{k: float(v) for k, v in mapping.items()})


@dataclass(frozen=True)
class UnitFigures:
    """What the system knows of one unit over the span (all counts, never negative)."""

    due: int = 0  # reports owed in the span's periods (tasks.duties)
    on_time: int = 0  # of those, handed in on time
    lead_tasks: int = 0  # lead tasks begun at the span's end (not 未启动)
    at_pace: int = 0  # of those, 序时推进 or 已完成
    returned: int = 0
    stale: int = 0
    extensions: int = 0
    overdue_items: int = 0
    closed: int = 0

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"{f.name} must not be negative")
        if self.on_time > self.due:
            raise ValueError("on_time cannot exceed due")
        if self.at_pace > self.lead_tasks:
            raise ValueError("at_pace cannot exceed lead_tasks")

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.due if self.due else 1.0

    @property
    def pace_rate(self) -> float:
        return self.at_pace / self.lead_tasks if self.lead_tasks else 1.0


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    figure: str  # what the unit did: "45/50（90.0%）", "3 次"
    weight: float
    points: float  # rounded to 0.1


@dataclass(frozen=True)
class Score:
    total: float  # 0..100, rounded to 0.1
    parts: tuple[Part, ...]

    @property
    def raw(self) -> float:
        """The sum of the parts before clamping to 0..100."""
        return round(sum(p.points for p in self.parts), 1)


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def _round(value: float) -> float:
    # Half away from zero, to one decimal (四舍五入), without binary-float surprises.
    scaled = abs(value) * 10 + 1e-9
    return (1 if value >= 0 else -1) * int(scaled + 0.5) / 10


def score(figures: UnitFigures, weights: Weights = Weights()) -> Score:
    """The unit's score and its parts, in the order the page shows them."""
    f, w = figures, weights
    rate_text = f"{f.on_time}/{f.due}（{_percent(f.on_time_rate)}）" if f.due else "本期无应报"
    pace_text = (
        f"{f.at_pace}/{f.lead_tasks}（{_percent(f.pace_rate)}）" if f.lead_tasks else "无牵头任务"
    )
    parts = (
        Part("on_time", "按时报送率", rate_text, w.on_time, _round(f.on_time_rate * w.on_time)),
        Part("pace", "牵头任务序时推进率", pace_text, w.pace, _round(f.pace_rate * w.pace)),
        Part("returned", "报告被退回", f"{f.returned} 次", w.returned, _round(f.returned * w.returned)),
        Part("stale", "进展停滞", f"{f.stale} 次", w.stale, _round(f.stale * w.stale)),
        Part("extension", "申请延期（已批准）", f"{f.extensions} 次", w.extension,
             _round(f.extensions * w.extension)),
        Part("overdue_item", "逾期未解决的协调事项", f"{f.overdue_items} 项", w.overdue_item,
             _round(f.overdue_items * w.overdue_item)),
        Part("closed", "办结牵头任务", f"{f.closed} 项", w.closed, _round(f.closed * w.closed)),
    )  # fmt: skip
    raw = sum(p.points for p in parts)
    return Score(total=_round(min(MAX_SCORE, max(0.0, raw))), parts=parts)


def _signed(value: float) -> str:
    return f"{value:+g}"


def formula_text(weights: Weights = Weights()) -> list[str]:
    """The formula in words, one line per term, as the page prints it next to the scores."""
    w = weights
    return [
        f"按时报送率 × {w.on_time:g}",
        f"牵头任务序时推进率（序时推进或已完成的牵头任务 ÷ 已启动的牵头任务） × {w.pace:g}",
        f"报告被退回次数 × {_signed(w.returned)}",
        f"进展停滞报告次数 × {_signed(w.stale)}",
        f"已批准的延期次数 × {_signed(w.extension)}",
        f"逾期未解决的协调事项数 × {_signed(w.overdue_item)}",
        f"办结的牵头任务数 × {_signed(w.closed)}",
        f"合计取 0～{MAX_SCORE:g} 分；无应报时报送率按 100% 计，无已启动牵头任务时序时推进率按 100% 计。",
    ]


@dataclass(frozen=True)
class Ranked:
    key: object  # the unit (an id or a name: whatever the caller ranks)
    score: Score
    rank: int  # 1 = best; equal totals share a rank (1, 2, 2, 4)
    top: bool  # among the first HIGHLIGHTED
    bottom: bool  # among the last HIGHLIGHTED (never also top)


def rank(
    scores: Iterable[tuple[object, Score]], *, order: Mapping | None = None, highlighted=HIGHLIGHTED
) -> list[Ranked]:
    """Units best first; ties share a rank and keep `order` (the registry's) among themselves.

    The top and bottom `highlighted` are marked by rank, so tied units are marked alike; with
    fewer than twice `highlighted` units, a unit in both halves counts as top only.
    """
    order = order or {}
    items = list(scores)
    position = {key: i for i, (key, _) in enumerate(items)}
    items.sort(key=lambda item: (-item[1].total, order.get(item[0], position[item[0]])))
    ranked, previous, current_rank = [], None, 0
    totals = [s.total for _, s in items]
    for index, (key, unit_score) in enumerate(items, start=1):
        if unit_score.total != previous:
            current_rank, previous = index, unit_score.total
        ranked.append((key, unit_score, current_rank))
    count = len(ranked)
    top_cut = totals[highlighted - 1] if count >= highlighted and highlighted else None
    bottom_cut = totals[count - highlighted] if count >= highlighted and highlighted else None
    out = []
    for key, unit_score, place in ranked:
        top = highlighted > 0 and (top_cut is None or unit_score.total >= top_cut)
        bottom = (
            highlighted > 0 and not top and (bottom_cut is None or unit_score.total <= bottom_cut)
        )
        out.append(Ranked(key=key, score=unit_score, rank=place, top=top, bottom=bottom))
    return out
