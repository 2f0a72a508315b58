"""A plan's header lines: its title, document number, issue date and year (pure Python)."""

from __future__ import annotations

import datetime
import re

from departments.naming import without_whitespace

_TITLE_QUOTE_RE = re.compile(r"《([^《》]{4,80})》")
_NOTICE_TITLE_RE = re.compile(r"关于印发(.{4,80}?)的?通知")
_TITLE_WORDS = ("方案", "任务", "计划", "清单", "分工", "要点", "报告")
_DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*\d{1,4}\s*号"
)
_DATE_RE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_YEAR_RE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _compact(text: str) -> str:
    return without_whitespace(text.lstrip("#"))


def plan_title(header: list[tuple[int, str]]) -> str:
    joined = "".join(_compact(content) for _line, content in header)
    # The notice quotes the plan's title next to 印发: "关于印发《…》的通知", "《…》…现印发给你们".
    for match in _TITLE_QUOTE_RE.finditer(joined):
        near = joined[max(0, match.start() - 10) : match.end() + 20]
        if "印发" in near:
            return match.group(1)
    notice = _NOTICE_TITLE_RE.search(joined)
    if notice:
        return notice.group(1).strip("《》")
    # A preamble sentence ("为全面完成…任务，现分解如下：") is not a title.
    blocks = [block for block in _title_blocks(header) if not _is_sentence(block)]
    for block in blocks:
        if any(word in block for word in _TITLE_WORDS):
            return block
    return blocks[0] if blocks else ""


def _is_sentence(text: str) -> bool:
    return any(char in text for char in "，。：:；;,") or len(text) > 60


def _title_blocks(header: list[tuple[int, str]]) -> list[str]:
    """Header lines joined while they follow each other without a blank line or punctuation."""
    blocks: list[list] = []  # [text, last line]
    for line, content in header:
        text = _compact(content)
        if not text:
            continue
        last = blocks[-1] if blocks else None
        if (
            last is not None
            and line == last[1] + 1
            and not any(char in last[0] + text for char in "，。：:,;；")
            and not _DATE_RE.search(text)
            and len(last[0] + text) <= 60
        ):
            last[0] += text
            last[1] = line
        else:
            blocks.append([text, line])
    return [text for text, _line in blocks]


def doc_number(header: list[tuple[int, str]]) -> str:
    """The plan's own number, e.g. 东昌政办字〔2023〕11号, not the documents it cites."""
    candidates = []
    for _line, content in header:
        text = _compact(content)
        for match in _DOC_NUMBER_RE.finditer(text):
            if match.group(0) == text:
                return text  # a number on its own line is the document's own
            before = text[match.start() - 1] if match.start() else ""
            if before not in "（(》":
                candidates.append(match.group(0))
    return candidates[0] if candidates else ""


def issue_date(header: list[tuple[int, str]]) -> datetime.date | None:
    joined = "".join(_compact(content) for _line, content in header)
    for match in _DATE_RE.finditer(joined):
        try:
            return datetime.date(*(int(group) for group in match.groups()))
        except ValueError:
            continue
    return None


def first_year(text: str) -> int | None:
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None
