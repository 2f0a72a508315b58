"""Stale reports (进展停滞): a report that says nothing new. Pure: no Django, no database.

Two rules, either flags a report:

1. **The same words** — the 工作进展 is identical or nearly identical to the same unit's
   previous report on the task. The measure is the Jaccard index of the sets of character
   bigrams (2-shingles) after normalising: full-width forms folded (NFKC), letters lowered,
   whitespace and punctuation dropped, dates (5月20日, 2022年, 第20周, 20号) removed and
   every other run of digits masked to one "#".
   Why digits are masked and dates dropped: the commonest copy is last week's text with a
   new date ("截至5月20日" → "截至5月27日"); such a pair must score 1.0. But a text whose
   figures moved ("投资3.2亿元" → "投资3.5亿元") is news, so the rule also asks that the
   figures (the numbers that are not dates, in order) are the same; masked, the figures do not
   lower the score of an otherwise copied text, so the score means "the same wording".
   Bigrams rather than trigrams: Chinese words are mostly two characters, so one changed word
   moves a bigram set less than a trigram set, and a one-line report ("按计划推进") still has
   enough shingles to compare.
2. **The same figures while behind** — the percent and every indicator value unchanged over
   the last N reports (this one included) while the task is behind its 序时进度.

The threshold (a fraction) and N come from settings (STALE_SIMILARITY_PERCENT,
STALE_PERIODS); callers pass them in.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

TEXT, FIGURES = "text", "figures"
LABEL = "与上期基本相同"

_DATE = re.compile(r"\d+\s*(?:年|月|日|号|时|点)|第\s*\d+\s*周|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _drop_dates(text: str) -> str:
    return _DATE.sub("", _fold(text))


def figures(text: str) -> tuple[str, ...]:
    """The numbers of a text that are not dates, in order ("3.2亿元、45%" → ("3.2", "45"))."""
    return tuple(n.replace(",", "") for n in _NUMBER.findall(_drop_dates(text)))


def normalise(text: str) -> str:
    """Letters, digits masked to "#", no dates, whitespace or punctuation."""
    masked = _NUMBER.sub("#", _drop_dates(text))
    return "".join(c for c in masked if unicodedata.category(c)[0] in "LNS" or c == "#")


def shingles(text: str, size: int = 2) -> frozenset[str]:
    """The character `size`-grams of the normalised text (the whole text if shorter)."""
    plain = normalise(text)
    if len(plain) <= size:
        return frozenset({plain}) if plain else frozenset()
    return frozenset(plain[i : i + size] for i in range(len(plain) - size + 1))


def similarity(a: str, b: str) -> float:
    """Jaccard index of the two texts' bigram sets, 0.0 … 1.0 (0.0 when either is empty)."""
    first, second = shingles(a), shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


@dataclass(frozen=True)
class Facts:
    """What the rules read of one report."""

    progress: str
    percent: Decimal | float | None
    values: dict  # indicator id -> actual


@dataclass(frozen=True)
class Verdict:
    reason: str  # TEXT or FIGURES
    similarity: float | None  # for TEXT: the score against the previous report
    periods: int  # for FIGURES: how many reports in a row carry the same figures

    @property
    def label(self) -> str:
        return LABEL

    @property
    def percent(self) -> int:
        """The similarity as a whole percent, rounded down (99.6 % is not "100 %")."""
        return int((self.similarity or 0) * 100)

    @property
    def short(self) -> str:
        """For a table cell: 与上期基本相同 92% / 与上期基本相同（3期未变）."""
        if self.reason == TEXT:
            return f"{LABEL} {self.percent}%"
        return f"{LABEL}（{self.periods}期未变）"

    @property
    def text(self) -> str:
        if self.reason == TEXT:
            return f"{LABEL}（工作进展与上期相似度 {self.percent}%）"
        return f"{LABEL}（完成进度和指标已连续 {self.periods} 期未变，且落后于序时进度）"


def same_text(current: str, previous: str, threshold: float) -> float | None:
    """The similarity when the two 工作进展 say the same (at or above the threshold and the
    same figures); else None."""
    if not normalise(current) or not normalise(previous):
        return None
    score = similarity(current, previous)
    if score >= threshold and figures(current) == figures(previous):
        return score
    return None


def _same_figures(a: Facts, b: Facts) -> bool:
    def plain(value):
        return None if value is None else Decimal(str(value)).normalize()

    return plain(a.percent) == plain(b.percent) and {k: plain(v) for k, v in a.values.items()} == {
        k: plain(v) for k, v in b.values.items()
    }


def judge(
    current: Facts, earlier: list[Facts], *, threshold: float, periods: int, behind: bool
) -> Verdict | None:
    """Is the report stale? `earlier`: the unit's previous reports on the task, newest first
    (consecutive periods, as many as the caller has; at least `periods` - 1 for rule 2)."""
    if earlier:
        score = same_text(current.progress, earlier[0].progress, threshold)
        if score is not None:
            return Verdict(TEXT, score, 2)
    if behind and periods >= 2 and current.percent is not None:
        run = 1
        for facts in earlier:
            if not _same_figures(current, facts):
                break
            run += 1
        if run >= periods:
            return Verdict(FIGURES, None, run)
    return None
