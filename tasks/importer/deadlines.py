"""A task's 完成时限 as a date (pure Python, no Django).

"6月底前" → 30 June of the plan's year; "2023年12月底" → 31 December 2023; "9月15日前" → that
day; "三季度末" / "上半年" → the quarter's or half's end; "全年", "年底", "长期坚持" → None (the
plan's year end, the default of Task.deadline). Where several dates are given, the last one is
the deadline.
"""

from __future__ import annotations

import calendar
import datetime
import re

_DATE_RE = re.compile(
    r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末|中旬|上旬|下旬|份|前))?"
)
_QUARTER_RE = re.compile(r"(?:((?:19|20)\d{2})年)?(?:第)?([一二三四1234])季度")
_HALF_RE = re.compile(r"(?:((?:19|20)\d{2})年)?(上半年|年中)")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, year: int | None) -> datetime.date | None:
    """The last date the text names, or None (no date, the whole year, ongoing)."""
    if not text or not year:
        return None
    found: list[datetime.date] = []
    for match in _DATE_RE.finditer(text):
        y = int(match.group(1)) if match.group(1) else year
        month = int(match.group(2))
        if not 1 <= month <= 12:
            continue
        day, part = match.group(3), match.group(4)
        try:
            if day:
                found.append(datetime.date(y, month, int(day)))
            elif part == "上旬":
                found.append(datetime.date(y, month, 10))
            elif part == "中旬":
                found.append(datetime.date(y, month, 20))
            else:
                found.append(_month_end(y, month))
        except ValueError:
            continue
    for match in _QUARTER_RE.finditer(text):
        y = int(match.group(1)) if match.group(1) else year
        found.append(_month_end(y, 3 * _QUARTERS[match.group(2)]))
    for match in _HALF_RE.finditer(text):
        y = int(match.group(1)) if match.group(1) else year
        found.append(datetime.date(y, 6, 30))
    return max(found) if found else None


_DEADLINE_WORDS_RE = re.compile(
    r"^(?:全年|年底|年内|长期|持续|常态|\d|(?:19|20)\d{2}|[一二三四上下]季|上半年)"
)


def looks_like_deadline(cell: str) -> bool:
    """A short cell that reads as a 完成时限 ("6月底前", "全年", "长期坚持")."""
    cell = cell.strip()
    return 0 < len(cell) <= 20 and bool(
        _DEADLINE_WORDS_RE.match(cell) or _DATE_RE.search(cell) or "坚持" in cell
    )
