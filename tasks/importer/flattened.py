"""Tables flattened to text, back into rows (pure Python, no Django).

Three shapes are seen in plans copied out of web pages and PDFs: one row per line with cells
separated by "|" (Markdown rules skipped), one row per line separated by spaces (cells before
the task column are taken from the front, those after it from the back, the rest is the task
text), and one cell per line with blank lines between (a bare number such as "1" starts a row).
A header row must name the columns; ``tables.parse_rows`` reads the rows.
"""

from __future__ import annotations

import re

from .deadlines import looks_like_deadline
from .tables import DEADLINE, NUMBER, TASK, Row, column_kind, find_header

__all__ = ["rows_from_text"]

SECTION_RE = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.*)$")
_BARE_NUMBER_RE = re.compile(r"^\d{1,4}[.．、]?$")
_MARKDOWN_RULE_RE = re.compile(r"^[|\s:：\-—–]+$")


def rows_from_text(text: str) -> list[Row] | None:
    """The rows of a table flattened to text, or None when the text holds no table header."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if line.count("|") >= 2 or (line.count("|") == 1 and not line.startswith("|")):
            if find_header(_pipe_cells(line)):
                return _pipe_rows(lines)
        tokens = line.split()
        if len(tokens) >= 3 and all(column_kind(t) for t in tokens) and find_header(tokens):
            return _spaced_rows(lines, index)
        block = _header_block(lines, index)
        if block:
            return _cell_per_line_rows(lines, index, block)
    return None


def _pipe_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def _pipe_rows(lines: list[str]) -> list[Row]:
    rows = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or _MARKDOWN_RULE_RE.match(line):
            continue
        rows.append(Row(number, tuple(_pipe_cells(line)) if "|" in line else (line,)))
    return rows


def _spaced_rows(lines: list[str], header_index: int) -> list[Row]:
    header = lines[header_index].split()
    columns = find_header(header) or {}
    task_col, width = columns.get(TASK, 1), len(header)
    rows = [
        Row(n, (lines[n - 1].strip(),)) for n in range(1, header_index + 1) if lines[n - 1].strip()
    ]
    rows.append(Row(header_index + 1, tuple(header)))
    for number in range(header_index + 2, len(lines) + 1):
        tokens = lines[number - 1].split()
        if not tokens:
            continue
        if len(tokens) < width:
            rows.append(Row(number, (" ".join(tokens),)))
        else:
            rows.append(Row(number, _fit(tokens, width, task_col, " ")))
    return rows


def _fit(tokens: list[str], width: int, task_col: int, joiner: str) -> tuple[str, ...]:
    """Cells before the task column from the front, after it from the back, the rest is task."""
    after = width - task_col - 1
    head = tokens[:task_col]
    tail = tokens[len(tokens) - after :] if after else []
    middle = tokens[task_col : len(tokens) - after] if after else tokens[task_col:]
    return (*head, joiner.join(middle), *tail)


def _header_block(lines: list[str], start: int) -> list[str]:
    """Header cells one per line (blank lines between) starting at `start`, or []."""
    cells = []
    for raw in lines[start:]:
        line = raw.strip()
        if not line:
            continue
        if column_kind(line) is None:
            break
        cells.append(line)
    columns = find_header(cells) if len(cells) >= 3 else None
    return cells if columns and NUMBER in columns else []


def _cell_per_line_rows(lines: list[str], start: int, header: list[str]) -> list[Row]:
    columns = find_header(header) or {}
    width, task_col = len(header), columns.get(TASK, 1)
    rows = [Row(n, (lines[n - 1].strip(),)) for n in range(1, start + 1) if lines[n - 1].strip()]
    rows.append(Row(start + 1, tuple(header)))
    seen = 0
    current: list[tuple[int, str]] = []

    def close():
        if current:
            rows.append(
                Row(current[0][0], _fit_cells([c for _n, c in current], width, task_col, columns))
            )
            current.clear()

    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1].strip()
        if not line:
            continue
        if seen < len(header):
            seen += 1  # the header cells themselves
            continue
        if NUMBER in columns and _BARE_NUMBER_RE.match(line):
            close()
            current.append((number, line))
        elif SECTION_RE.match(line) and (not current or len(current) >= width - 1):
            close()
            rows.append(Row(number, (line,)))
        elif current:
            current.append((number, line))
        else:
            rows.append(Row(number, (line,)))
    close()
    return rows


def _fit_cells(cells: list[str], width: int, task_col: int, columns: dict[str, int]):
    if len(cells) >= width:
        return _fit(cells, width, task_col, "")
    # Missing cells: a trailing deadline keeps its column, the others fill from the front.
    fitted = [""] * width
    deadline_col = columns.get(DEADLINE)
    if deadline_col is not None and len(cells) > 1 and looks_like_deadline(cells[-1]):
        fitted[deadline_col] = cells[-1]
        cells = cells[:-1]
    free = [i for i in range(width) if i != deadline_col or not fitted[i]]
    for index, cell in zip(free, cells, strict=False):
        fitted[index] = cell
    return tuple(fitted)
