"""Plans written as tables: rows of cells under a header row (pure Python, no Django).

The same reader serves Word tables (``docx_reader``), Excel sheets (``xlsx_reader``) and tables
flattened to text (``flattened.rows_from_text``): one row per line with cells separated by spaces or "|",
or one cell per line with blank lines between. The header row names the columns (序号, 工作任务,
责任领导, 牵头单位, 责任单位, 配合单位, 完成时限 …) and only the header decides what a cell is:
a unit or leader cell never becomes task text. A row with one distinct value ("一、…", merged
across the table, or a paragraph between tables) is a group heading or preamble.

Returns the same ``ParsedPlan`` as the text parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from departments.naming import without_whitespace

from . import doubts as doubt_kinds
from .doubts import Doubt
from .parser import (
    ParsedPlan,
    ParsedSection,
    ParsedTask,
    PlanParseError,
    assemble_plan,
    chinese_numeral,
    split_leaders,
    split_units,
    task_headings,
)
from .responsibility import heading_leaders, settle_responsibilities

__all__ = ["Row", "column_kind", "find_header", "parse_rows", "render_rows"]

NUMBER, TASK, LEADERS, LEAD, RESPONSIBLE, COOPERATING, DEADLINE = (
    "number",
    "task",
    "leaders",
    "lead",
    "responsible",
    "cooperating",
    "deadline",
)
# Checked in this order, exact names first, then "contains": 牵头责任单位 is a lead column.
_COLUMNS = (
    (NUMBER, ("序号", "编号", "序")),
    (LEAD, ("牵头单位", "牵头责任单位", "主责单位", "牵头部门", "牵头")),
    (COOPERATING, ("配合单位", "协办单位", "参与单位", "配合部门", "协同单位", "配合")),
    (RESPONSIBLE, ("责任单位", "责任部门", "承办单位")),
    (LEADERS, ("责任领导", "牵头领导", "分管领导", "包保领导", "领导")),
    (DEADLINE, ("完成时限", "时间节点", "完成时间", "时限", "进度安排")),
    (
        TASK,
        (
            "工作任务",
            "重点工作",
            "目标任务",
            "任务内容",
            "主要任务",
            "重点任务",
            "工作内容",
            "任务",
        ),
    ),
)
_UNIT_KINDS = (LEADERS, LEAD, RESPONSIBLE, COOPERATING)

SECTION_RE = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.*)$")
_NUMBER_RE = re.compile(r"^[（(〔\[［【]?\s*(\d{1,4})\s*[）)〕\]］】.．、]?$")


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the row in the document's text rendering
    cells: tuple[str, ...]


def _compact(text: str) -> str:
    return without_whitespace(text or "")


def column_kind(cell: str) -> str | None:
    name = _compact(cell).strip("*#")
    if not name or len(name) > 12 or any(char in name for char in "：:，,。；;、"):
        return None  # "牵头单位：区财政局" is a value, not a column name
    for kind, words in _COLUMNS:
        if name in words:
            return kind
    for kind, words in _COLUMNS:
        if any(word in name for word in words):
            return kind
    return None


def find_header(cells) -> dict[str, int] | None:
    """Column kind → index when `cells` is a header row (a task column and one of units or
    leaders), else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        kind = column_kind(cell)
        if kind and kind not in columns:
            columns[kind] = index
    if TASK in columns and any(kind in columns for kind in _UNIT_KINDS):
        return columns
    return None


# --------------------------------------------------------------------------------------------
# Rows → plan
# --------------------------------------------------------------------------------------------


def _join_cell(value: str) -> str:
    """A cell's paragraphs as one text: Chinese lines join without a space."""
    parts = [part.strip() for part in (value or "").split("\n")]
    return "".join(part for part in parts if part)


@dataclass
class _TaskRow:
    number: int
    line: int
    text: list[str]
    leaders: list[str]
    lead: list[str]
    responsible: list[str]
    cooperating: list[str]
    deadline: list[str]
    section: str


def parse_rows(rows: list[Row], source_text: str) -> ParsedPlan:
    """Parse a table plan; raise PlanParseError when no header or no task is found."""
    header_at = next((i for i, row in enumerate(rows) if find_header(row.cells)), None)
    if header_at is None:
        raise PlanParseError(
            "未找到表头：表格应有“序号、工作任务、责任单位”等列",
            message_en="No header row (序号 / 工作任务 / 责任单位 …) found.",
        )
    columns = find_header(rows[header_at].cells)
    header = [(row.line, _row_text(row)) for row in rows[:header_at]]
    sections: list[ParsedSection] = []
    drafts: list[_TaskRow] = []
    doubts: list[Doubt] = []
    for row in rows[header_at + 1 :]:
        cells = [_join_cell(cell) for cell in row.cells]
        distinct = {cell for cell in cells if cell}
        if not distinct or find_header(row.cells):
            continue  # blank, or the header repeated on every page / table
        if len(distinct) == 1 and not _is_task_row(cells, columns):
            _heading(row.line, next(iter(distinct)), sections, drafts)
            continue
        _task_row(row.line, cells, columns, sections, drafts, doubts)
    if not drafts:
        raise PlanParseError(
            "不是分工方案：表头之下未找到任务", message_en="No task rows under the header."
        )
    if sections and any(not draft.section for draft in drafts):
        first = next(draft for draft in drafts if not draft.section)
        raise PlanParseError(
            f"任务 {first.number} 出现在第一个章节标题之前",
            line=first.line,
            message_en=f"Task {first.number} comes before the first section heading.",
        )
    tasks = _build(drafts)
    tasks = settle_responsibilities(tasks, sections, source_text)
    return assemble_plan(header, sections, tasks, [], doubts)


def _is_task_row(cells: list[str], columns: dict[str, int]) -> bool:
    """A row whose only value sits in the 序号 column with a number is still a task row."""
    index = columns.get(NUMBER)
    return index is not None and index < len(cells) and bool(_NUMBER_RE.match(cells[index]))


def _heading(line: int, text: str, sections: list[ParsedSection], drafts: list[_TaskRow]):
    match = SECTION_RE.match(text)
    if match and chinese_numeral(match.group(1)) == len(sections) + 1:
        title = _compact(match.group(2))
        sections.append(ParsedSection(match.group(1), title, line, leaders=heading_leaders(title)))
    # Sub-group headings （一）… and notes between tables carry no task.


def _cell(cells: list[str], columns: dict[str, int], kind: str) -> str:
    index = columns.get(kind)
    return cells[index] if index is not None and index < len(cells) else ""


def _task_row(line, cells, columns, sections, drafts, doubts):
    raw_number = _cell(cells, columns, NUMBER)
    text = _cell(cells, columns, TASK)
    previous = drafts[-1] if drafts else None
    section = sections[-1].number if sections else ""
    if NUMBER in columns and not raw_number:
        if previous is None:
            raise PlanParseError("第一条任务没有序号", line=line, message_en="No number.")
        _extend(previous, text, cells, columns)  # a task spread over several rows
        return
    if NUMBER in columns:
        match = _NUMBER_RE.match(raw_number)
        if not match:
            raise PlanParseError(
                f"序号“{raw_number[:20]}”不是数字", line=line, message_en="Non-numeric number."
            )
        number = int(match.group(1))
    else:
        number = (previous.number + 1) if previous else 1
    if previous is not None and number == previous.number and previous.section == section:
        _extend(previous, text, cells, columns)  # the number cell merged over two rows
        return
    expected = previous.number + 1 if previous else 1
    if number != expected:
        doubts.append(
            Doubt(
                doubt_kinds.NUMBER_GAP,
                f"任务编号不连续：应为 {expected}，实际为 {number}",
                line,
                str(number),
            )
        )
    if any(str(number) == str(d.number) for d in drafts):
        raise PlanParseError(f"任务编号重复：{number}", line=line, message_en="Repeated number.")
    if not text:
        raise PlanParseError(f"任务 {number} 没有任务内容", line=line, message_en="Empty task.")
    draft = _TaskRow(number, line, [], [], [], [], [], [], section)
    _extend(draft, text, cells, columns)
    drafts.append(draft)


def _extend(draft: _TaskRow, text: str, cells, columns) -> None:
    if text and text not in draft.text:
        draft.text.append(text)
    for kind, target in (
        (LEADERS, draft.leaders),
        (LEAD, draft.lead),
        (RESPONSIBLE, draft.responsible),
        (COOPERATING, draft.cooperating),
        (DEADLINE, draft.deadline),
    ):
        value = _cell(cells, columns, kind)
        if value and value not in target and value not in ("/", "-", "—", "无"):
            target.append(value)


def _units(values: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    for value in values:
        names.extend(name for name in split_units(value) if name not in names)
    return tuple(names)


def _build(drafts: list[_TaskRow]) -> tuple[ParsedTask, ...]:
    texts = ["".join(draft.text) for draft in drafts]
    headings = task_headings(texts)
    tasks = []
    for draft, text, heading in zip(drafts, texts, headings, strict=True):
        leaders: list[str] = []
        for value in draft.leaders:
            leaders.extend(name for name in split_leaders(value) if name not in leaders)
        tasks.append(
            ParsedTask(
                number=str(draft.number),
                parent_number=None,
                section_number=draft.section,
                title=heading,
                text=text,
                lead_leaders=tuple(leaders),
                lead_units=_units(draft.lead),
                cooperating_units=_units(draft.cooperating),
                line=draft.line,
                responsible_units=_units(draft.responsible),
                deadline="；".join(draft.deadline),
            )
        )
    return tuple(tasks)


def _row_text(row: Row) -> str:
    """A row as one line: merged cells (repeated values) once, cells separated by " | "."""
    cells = [_join_cell(cell) for cell in row.cells]
    distinct = list(dict.fromkeys(cell for cell in cells if cell))
    return distinct[0] if len(distinct) == 1 else " | ".join(cells)


def render_rows(rows: list[Row]) -> str:
    """The text kept as the plan's source: one line per row (line N is Row.line N)."""
    return "\n".join(_row_text(row) for row in rows)
