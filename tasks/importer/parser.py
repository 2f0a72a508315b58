"""Parse the text of a plan document (分工方案) into plain data.

A plan lists numbered tasks under Chinese-numbered sections; each task names its lead leaders
(牵头领导), lead units (牵头单位) and cooperating units (配合单位 / 参与单位). The text often
comes out of a PDF, so a task's physical lines break anywhere (inside numbers, names and even
the keys), blank lines appear everywhere and lines carry stray spaces.

The parser reads the document line by line and keeps one "draft" task open at a time. Whether
a line starts a new task, a sub-item or a section, or continues the open task, depends on the
line's shape *and* on whether the open task is complete (its responsibility bracket closed, its
responsibility lines seen, or its sentence ended): a PDF line such as "10 家" or "2.5 亿元" must
not start a task. Responsibilities are parsed from the draft's lines joined together, so keys
broken across lines ("牵头\\n\\n单位") are found.

The pieces live beside this module: ``parsed`` (what is returned), ``decoding`` (bytes to
text), ``numbering`` (line shapes, Chinese numerals), ``drafts`` (a task being read and its
responsibility part), ``names`` (splitting unit and leader values) and ``header`` (title,
document number, date). Their public names are importable from here.

No Django imports here (nor in those modules): the loader (``tasks.importer.loader``) resolves the names and writes
the records. Unit names are returned as written, only whitespace removed; ``normalize_name`` is
what callers use to compare names.
"""

from __future__ import annotations

from departments.naming import without_whitespace

from .decoding import decode_document
from .doubts import find_doubts
from .drafts import KEY_RE, Draft
from .header import doc_number, first_year, issue_date, plan_title
from .names import (
    normalize_name,
    split_leaders,
    split_units,
    unique_names,
)
from .numbering import (
    DECORATION_RE,
    FOOTER_RE,
    HEADING_MAX,
    PAGE_NUMBER_RE,
    SECTION_RE,
    SECTION_TITLE_MAX,
    SUB_RE,
    SUBSECTION_RE,
    TASK_RE,
    chinese_numeral,
    int_to_chinese,
)
from .parsed import ParsedPlan, ParsedSection, ParsedTask, PlanParseError
from .responsibility import heading_leaders, settle_responsibilities

__all__ = [
    "ParsedPlan",
    "ParsedSection",
    "ParsedTask",
    "PlanParseError",
    "decode_document",
    "normalize_name",
    "parse_plan",
    "assemble_plan",
    "chinese_numeral",
    "split_leaders",
    "task_headings",
    "split_units",
]


# --------------------------------------------------------------------------------------------
# The document reader
# --------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.header: list[tuple[int, str]] = []  # lines before the first section / task
        self.sections: list[ParsedSection] = []
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.expected = 1  # next top-level task number
        self.warnings: list[str] = []
        self.ended = False  # a footer line ended the body

    # -- dispatch ----------------------------------------------------------------------------

    def feed(self, number: int, raw: str) -> None:
        content = raw.strip()
        if self.ended or not content or PAGE_NUMBER_RE.match(content):
            return
        if DECORATION_RE.match(content):
            return
        if self._try_section(number, content):
            return
        if self._try_task(number, content):
            return
        if self._try_sub_item(number, content):
            return
        idle = self.current is None or self.current.is_complete()
        if idle and (self.sections or self.drafts or self.current):
            if SUBSECTION_RE.match(content):
                return  # "（一）…" headings group tasks; they are not tasks
            if (self.drafts or self.current) and FOOTER_RE.search(content):
                self._finish_current()
                self.ended = True
                return
        if self.current is not None:
            self.current.parts.append((number, content))
        elif not self.sections and not self.drafts:
            self.header.append((number, content))
        # else: introductory text of a section, before its first task

    def finish(self) -> None:
        self._finish_current()

    # -- sections ----------------------------------------------------------------------------

    def _try_section(self, number: int, content: str) -> bool:
        match = SECTION_RE.match(content)
        if not match:
            return False
        value = chinese_numeral(match.group(1))
        title = without_whitespace(match.group(2)).strip("#").strip()
        if value is None or not title or len(title) > SECTION_TITLE_MAX or KEY_RE.search(title):
            return False
        expected = len(self.sections) + 1
        current = self.current
        if current is not None and not current.is_complete():
            # A PDF line "二、三级…" inside a task's text. The one exception: the next section
            # while a responsibility bracket is open, which is reported as unclosed.
            if value != expected or current.analysis().open_bracket_line is None:
                return False
        if value != expected:
            self.warnings.append(
                f"第 {number} 行：章节编号不连续，应为“{int_to_chinese(expected)}”，"
                f"实际为“{match.group(1)}”"
            )
        self._finish_current()
        if not self.sections and self.drafts:
            first = self.drafts[0]
            raise PlanParseError(
                f"任务 {first.number} 出现在第一个章节标题之前",
                line=first.line,
                message_en=f"Task {first.number} comes before the first section heading.",
            )
        self.sections.append(
            ParsedSection(match.group(1), title, number, leaders=heading_leaders(title))
        )
        return True

    # -- tasks -------------------------------------------------------------------------------

    def _try_task(self, number: int, content: str) -> bool:
        match = TASK_RE.match(content)
        if not match:
            return False
        value = int(match.group(1))
        current = self.current
        if value == self.expected:
            if current is not None and current.analysis().open_bracket_line is not None:
                self._finish_current()  # raises: the bracket never closed
            self._start_task(value, match.group(2), number)
            return True
        # An unexpected number is an error only where a task may start; elsewhere it is text.
        if current is None:
            if not self.sections and not self.drafts:
                return False  # header text
            self._raise_numbering(value, number)
        if current.is_complete():
            self._raise_numbering(value, number)
        return False

    def _raise_numbering(self, value: int, line: int) -> None:
        expected, previous = self.expected, self.expected - 1
        if previous == 0:
            zh = f"任务编号应从 1 开始，实际为 {value}"
            en = f"Task numbers start at {value}, not 1."
        elif value < expected:
            zh = f"任务编号重复：{value}（上一条任务为 {previous}）"
            en = f"Task number {value} repeats (previous task is {previous})."
        else:
            zh = f"任务编号不连续：任务 {previous} 之后应为 {expected}，实际为 {value}"
            en = f"Task numbers skip: expected {expected} after {previous}, found {value}."
        raise PlanParseError(zh, line=line, message_en=en)

    def _start_task(self, value: int, rest: str, line: int) -> None:
        self._finish_current()
        section = self.sections[-1].number if self.sections else ""
        self.current = Draft(str(value), None, section, line, parts=[(line, rest.strip())])
        self.expected = value + 1

    # -- sub-items ---------------------------------------------------------------------------

    def _try_sub_item(self, number: int, content: str) -> bool:
        """A line "（1）…" starts a sub-item of a complete task with no responsibilities."""
        match = SUB_RE.match(content)
        current = self.current
        if not match or current is None or not current.is_complete():
            return False
        parent = current.parent or current
        if parent.analysis().has_responsibilities:
            return False
        value = int(match.group(1))
        if value != (current.sub or 0) + 1:
            return False
        self._finish_current()
        parent.children += 1
        self.current = Draft(
            f"{parent.number}({value})",
            parent,
            parent.section_number,
            number,
            sub=value,
            parts=[(number, match.group(2).strip())],
        )
        return True

    # -- closing a draft ---------------------------------------------------------------------

    def _finish_current(self) -> None:
        draft, self.current = self.current, None
        if draft is None:
            return
        result = draft.analysis()
        if result.open_bracket_line is not None:
            raise PlanParseError(
                f"任务 {draft.number} 的责任单位括号未闭合",
                line=result.open_bracket_line,
                message_en=f"The responsibility bracket of task {draft.number} is never closed.",
            )
        for line in result.stray_lines:
            self.warnings.append(f"第 {line} 行：任务 {draft.number} 责任单位之后的文字已忽略")
        self.drafts.append(draft)


# --------------------------------------------------------------------------------------------
# Assembling the plan
# --------------------------------------------------------------------------------------------


def parse_plan(text: str) -> ParsedPlan:
    """Parse a plan document's text; raise PlanParseError when it is not a usable plan."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise PlanParseError("文件内容为空", message_en="The document is empty.")
    reader = _Reader()
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        reader.feed(number, raw)
    reader.finish()
    if not reader.drafts:
        raise PlanParseError(
            "不是分工方案：未找到编号任务",
            message_en="Not a plan: no numbered tasks found.",
        )

    tasks = _build_tasks(reader.drafts)
    tasks = settle_responsibilities(tasks, reader.sections, text)
    warnings = list(reader.warnings) + _responsibility_warnings(reader.drafts, tasks)
    return assemble_plan(reader.header, reader.sections, tasks, warnings)


def assemble_plan(
    header: list[tuple[int, str]],
    sections: list[ParsedSection],
    tasks: tuple[ParsedTask, ...],
    warnings: list[str],
    doubts: tuple = (),
) -> ParsedPlan:
    """The plan from its header lines, sections and tasks: shared by every format reader."""
    title = plan_title(header)
    issued_on = issue_date(header)
    year = first_year(title) or (issued_on.year if issued_on else None)
    return ParsedPlan(
        title=title,
        year=year,
        doc_number=doc_number(header),
        issued_on=issued_on,
        sections=tuple(sections),
        tasks=tasks,
        warnings=tuple(warnings),
        doubts=tuple(doubts) + find_doubts(tasks),
    )


def _build_tasks(drafts: list[Draft]) -> tuple[ParsedTask, ...]:
    analyses = [draft.analysis() for draft in drafts]
    headings = task_headings([result.text for result in analyses])
    tasks = []
    for draft, result, heading in zip(drafts, analyses, headings, strict=True):
        found = result.responsibilities
        tasks.append(
            ParsedTask(
                number=draft.number,
                parent_number=draft.parent.number if draft.parent else None,
                section_number=draft.section_number,
                title=heading,
                text=result.text,
                lead_leaders=split_leaders("、".join(found.leaders)),
                lead_units=unique_names(
                    name for value in found.lead for name in split_units(value)
                ),
                cooperating_units=unique_names(
                    name for value in found.cooperating for name in split_units(value)
                ),
                line=draft.line,
                responsible_units=unique_names(
                    name for value in found.responsible for name in split_units(value)
                ),
                deadline="；".join(found.deadline),
            )
        )
    return tuple(tasks)


def _heading_of(text: str) -> str:
    """The heading of "完善实验室体系。加快…": a short first sentence followed by more."""
    head, stop, rest = text.partition("。")
    head = head.strip()
    if not stop or not rest.strip() or not head or len(head) > HEADING_MAX:
        return ""
    if any(char in head for char in "，,；;：:"):
        return ""
    return head


def task_headings(texts: list[str]) -> list[str]:
    """Each task's heading sentence when most tasks open with one (2023 style), else "" for all.

    A single task can open with a short sentence by chance ("抓好民生实事工作。…"), so the
    decision is taken for the whole document.
    """
    headings = [_heading_of(text) for text in texts]
    with_text = sum(1 for text in texts if text)
    if with_text and sum(1 for heading in headings if heading) >= 0.6 * with_text:
        return headings
    return [""] * len(texts)


def _responsibility_warnings(drafts: list[Draft], tasks: tuple[ParsedTask, ...]) -> list[str]:
    def has_any(task: ParsedTask) -> bool:
        return bool(
            task.lead_leaders or task.lead_units or task.cooperating_units or task.responsible_units
        )

    if not any(has_any(task) for task in tasks):
        return []  # a plan that names no one at all: nothing stands out
    return [
        f"第 {task.line} 行：任务 {task.number} 未写明牵头领导或责任单位"
        for draft, task in zip(drafts, tasks, strict=True)
        if not draft.children and not has_any(task)
    ]
