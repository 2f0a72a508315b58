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

No Django imports here: the loader (``tasks.importer.loader``) resolves the names and writes
the records. Unit names are returned as written, only whitespace removed; ``normalize_name`` is
what callers use to compare names.
"""

from __future__ import annotations

import codecs
import datetime
import re
from bisect import bisect_right
from dataclasses import dataclass, field

# A pure module (no Django): the same comparison and collective-name rules the resolver uses.
from departments.naming import looks_collective, normalize_name

from .doubts import find_doubts
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
# Results and errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSection:
    number: str  # Chinese numeral as written: "一", "十一"
    title: str  # "主要预期目标"
    line: int  # 1-based line in the source text
    # Leaders a group heading names ("一、于会游市长主抓重点工作"): they lead every task under it.
    leaders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedTask:
    number: str  # "1", "53", "6", "6(1)"
    parent_number: str | None  # "6" for "6(1)", else None
    section_number: str  # ParsedSection.number it belongs to; "" when the plan has no sections
    title: str  # heading sentence in heading-style plans (2023), else ""
    text: str  # full text without number prefix and responsibilities, PDF breaks joined
    lead_leaders: tuple[str, ...]
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    line: int  # 1-based line where the task starts
    # 责任单位 with no rule saying which of them leads: the office chooses (responsibility.py).
    responsible_units: tuple[str, ...] = ()
    deadline: str = ""  # 完成时限 as written: "6月底前", "全年", "长期坚持"


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    year: int | None
    doc_number: str
    issued_on: datetime.date | None
    sections: tuple[ParsedSection, ...]
    tasks: tuple[ParsedTask, ...]
    warnings: tuple[str, ...]
    doubts: tuple = ()  # doubts.Doubt: what the office must see before the import is applied


class PlanParseError(ValueError):
    """A document the parser refuses, with a message for users (Chinese) and for logs."""

    def __init__(self, message_zh: str, *, line: int | None = None, message_en: str = ""):
        self.message_zh = message_zh
        self.line = line
        self.message_en = message_en
        super().__init__(message_zh)

    def __str__(self) -> str:
        if self.line is None:
            return self.message_zh
        return f"第 {self.line} 行：{self.message_zh}"

    def __reduce__(self):
        # Keep the keyword-only attributes when the error crosses a process boundary (Celery).
        return (_rebuild_error, (self.message_zh, self.line, self.message_en))


def _rebuild_error(message_zh: str, line: int | None, message_en: str) -> PlanParseError:
    return PlanParseError(message_zh, line=line, message_en=message_en)


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

# Bytes that never occur in text files, apart from tab, newlines, form feed and escape.
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x1B)) | {0x1C, 0x1D}
_CONTROL_BYTES |= {0x1E, 0x1F, 0x7F}


def decode_document(data: bytes) -> str:
    """Decode an uploaded document: UTF-8 (BOM optional), UTF-16 with BOM, else GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Checked before the NUL test: UTF-16 text is full of NUL bytes.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _undecodable(data, error.start) from None
    _refuse_binary(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    # A valid multi-byte UTF-8 character before the bad byte means the file is UTF-8 with a
    # damaged byte: GB18030 would "decode" it into mojibake, so report the byte instead.
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    offset = len(data) - len(body)
    if _looks_like_utf8(body[: utf8_error.start]):
        raise _undecodable(data, offset + utf8_error.start)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _undecodable(data, error.start) from None


def _looks_like_utf8(prefix: bytes) -> bool:
    """Whether the bytes before a UTF-8 error read as Chinese UTF-8 text.

    GB18030 bytes sometimes form valid two-byte UTF-8 sequences (一 = D2 BB = "һ"), which
    decode to U+0100–U+07FF; Chinese UTF-8 text has CJK characters and none of those.
    """
    text = prefix.decode("utf-8")
    has_cjk = any("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" for char in text)
    return has_cjk and not any("\u0100" <= char <= "\u07ff" for char in text)


def _refuse_binary(data: bytes) -> None:
    sample = data[:65536]
    if not sample:
        return
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if b"\x00" in sample or controls > len(sample) * 0.1:
        raise PlanParseError(
            "不是文本文件，请上传从方案文件中复制出的纯文本（.txt）",
            message_en="Not a text file (NUL bytes or mostly control characters).",
        )


def _undecodable(data: bytes, position: int) -> PlanParseError:
    line = data[:position].count(b"\n") + 1
    return PlanParseError(
        f"无法识别文件编码（第 {position + 1} 个字节无效），请将文件另存为 UTF-8 或 GB18030 "
        "编码的文本后重新导入",
        line=line,
        message_en=f"Undecodable byte at offset {position}; save the file as UTF-8 or GB18030.",
    )


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_WHITESPACE_RE = re.compile(r"\s+")


# Bracket pairs. A responsibility part opened with 〔 closes with 〕 whatever parentheses it
# contains; full- and half-width parentheses are one family because documents mix them
# ("（牵头单位：…分局)").
_FAMILY = {
    "（": "paren",
    "(": "paren",
    "）": "paren",
    ")": "paren",
    "〔": "shell",
    "〕": "shell",
    "[": "square",
    "]": "square",
    "［": "square",
    "］": "square",
    "【": "lenticular",
    "】": "lenticular",
}
_OPENERS = "（(〔[［【"
_CLOSERS = "）)〕]］】"

_UNIT_SEPARATORS = "、，,；;"
_LEADER_SEPARATORS = "、，,；;"
_VALUE_TRIM = " \t\u3000；;，,。.、:："

# "柳园、闫寺等街道办事处": bare place names before 等 take the unit type after it.
_UNIT_TYPE_SUFFIXES = (
    "街道办事处",
    "街道办",
    "街道",
    "镇人民政府",
    "镇政府",
    "乡镇",
    "镇",
    "乡",
    "社区",
    "村",
)
# Endings of full unit names: a name with one of them is not a bare place name.
_ORG_ENDINGS = (
    "局", "委", "办", "会", "中心", "部", "院", "所", "处", "府", "队", "站", "室", "社", "司",
    "团", "校", "馆", "镇", "街道", "乡", "村",
)  # fmt: skip
# "区财政局等部门": a vague filler after 等 adds no unit.
_GENERIC_RE = re.compile(r"^(?:\d+个)?(?:其他|其它|相关|有关)?(?:部门|单位)(?:[（(]单位[）)])?$")


def split_units(value: str) -> tuple[str, ...]:
    """Split one responsibility value into unit names, in order, as written.

    Separators inside parentheses do not split ("各镇政府(街道办事处)、园区管委会" is two
    names); "X等区政府各部门（单位）" is X plus the group; "柳园、闫寺等街道办事处" gives
    "柳园街道办事处", "闫寺街道办事处". Whitespace is removed, empties and repeats dropped.
    """
    items: list[tuple[str, bool]] = []  # (name, is a bare place name waiting for a suffix)
    for part in _split_outside_brackets(_clean_value(value), _UNIT_SEPARATORS):
        part = _clean_value(_WHITESPACE_RE.sub("", part))
        if not part:
            continue
        deng = _find_outside_brackets(part, "等")
        if deng < 0:
            items.append((part, _is_bare_place(part)))
            continue
        left, right = part[:deng], _clean_value(part[deng + 1 :])
        suffix = _unit_type_suffix(right)
        if suffix and (not left or _is_bare_place(left)):
            # 等 closes a list of place names: give each bare name the unit type.
            items.append((left, True) if left else (right, False))
            items = _apply_suffix(items, suffix)
        elif not right or _GENERIC_RE.match(right):
            items.append((left, False))
        elif looks_collective(right) or suffix:
            items.append((left, False))
            items.append((right, False))
        else:
            # 等 is part of the name ("…中等职业教育学校").
            items.append((part, False))
    return _unique(name for name, _bare in items)


def split_leaders(value: str) -> tuple[str, ...]:
    """Split a leader value ("张三、李四") into names, in order."""
    return _split_leaders(value)


def _split_leaders(value: str) -> tuple[str, ...]:
    parts = _split_outside_brackets(_clean_value(value), _LEADER_SEPARATORS)
    return _unique(_clean_value(_WHITESPACE_RE.sub("", part)) for part in parts)


def _unique(names) -> tuple[str, ...]:
    seen: set[str] = set()
    result = []
    for name in names:
        key = normalize_name(name)
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return tuple(result)


def _is_bare_place(name: str) -> bool:
    return (
        0 < len(name) <= 4
        and not name.endswith(_ORG_ENDINGS)
        and not name.startswith(("区", "各", "市", "县"))
    )


def _unit_type_suffix(phrase: str) -> str:
    """The unit type of "街道办事处" / "相关街道办事处", or "" when phrase is something else."""
    for prefix in ("相关", "有关"):
        if phrase.startswith(prefix):
            phrase = phrase[len(prefix) :]
    return phrase if phrase in _UNIT_TYPE_SUFFIXES else ""


def _apply_suffix(items: list[tuple[str, bool]], suffix: str) -> list[tuple[str, bool]]:
    """Append suffix to the run of bare place names at the end of items."""
    result = list(items)
    index = len(result) - 1
    while index >= 0 and result[index][1]:
        result[index] = (result[index][0] + suffix, False)
        index -= 1
    return result


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, current, depth = [], [], 0
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _find_outside_brackets(text: str, target: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and char == target:
            return index
    return -1


def _clean_value(value: str) -> str:
    """Strip separators and unbalanced brackets from both ends of a value."""
    while True:
        before = value
        value = value.strip(_VALUE_TRIM)
        if value and value[-1] in _OPENERS:
            value = value[:-1]
        elif value and value[-1] in _CLOSERS and _bracket_balance(value) < 0:
            value = value[:-1]
        if value and value[0] in _OPENERS and _bracket_balance(value) > 0:
            value = value[1:]
        if value and value[0] in _CLOSERS:
            value = value[1:]
        if value == before:
            return value


def _bracket_balance(text: str) -> int:
    return sum(char in _OPENERS for char in text) - sum(char in _CLOSERS for char in text)


# --------------------------------------------------------------------------------------------
# Line shapes
# --------------------------------------------------------------------------------------------

_KEYS = {
    "牵头领导": "leaders",
    "责任领导": "leaders",
    "分管领导": "leaders",
    "牵头责任单位": "lead",
    "牵头单位": "lead",
    "配合单位": "cooperating",
    "参与单位": "cooperating",
    "协办单位": "cooperating",
    "责任单位": "responsible",
    "完成时限": "deadline",
    "时间节点": "deadline",
}
_KEY_PATTERN = "|".join(_KEYS)
_KEY_RE = re.compile(rf"({_KEY_PATTERN})\s*[：:]")
# An opening bracket whose content starts with a key: the responsibility part of a task.
_RESP_OPEN_RE = re.compile(rf"[{re.escape(_OPENERS)}]\s*(?=(?:{_KEY_PATTERN})\s*[：:])")
# A key right after a sentence: "…任务文本。牵头单位：区财政局；配合单位：…" with no bracket.
_INLINE_KEY_RE = re.compile(rf"(?<=[。；;])\s*(?=(?:{_KEY_PATTERN})\s*[：:])")

# "12.", "12．", "53、" — but not "2.5 亿元" (a digit right after the dot).
_TASK_RE = re.compile(r"^(\d{1,4})\s*[.．、](?!\d)\s*(.*)$")
_SUB_RE = re.compile(r"^[（(〔\[［【]\s*(\d{1,3})\s*[）)〕\]］】]\s*(.*)$")
_SECTION_RE = re.compile(r"^#*\s*([一二三四五六七八九十〇零]{1,3})\s*、\s*(\S.*)$")
_SUBSECTION_RE = re.compile(r"^#*\s*[（(〔\[［【][一二三四五六七八九十]{1,3}[）)〕\]］】]")
_PAGE_NUMBER_RE = re.compile(r"^(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d+\s*页.*)$")
_DECORATION_RE = re.compile(r"^[-—–_*=#\s]+$")
# Lines that end the body of a plan: distribution list, attachments, printing note.
_FOOTER_RE = re.compile(r"^(?:抄送|主送|附件)\s*[:：\d]|^[（(]此件|印发$")

_SECTION_TITLE_MAX = 60
_SENTENCE_ENDS = "。.！!？?；;：:"
_QUOTE_CLOSERS = "”’\"'」』"
_HEADING_MAX = 30

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_to_int(numeral: str) -> int | None:
    if "十" not in numeral:
        return _CN_DIGITS.get(numeral) if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    tens_value = _CN_DIGITS.get(tens) if tens else 1
    ones_value = _CN_DIGITS.get(ones) if ones else 0
    if tens_value is None or ones_value is None:
        return None
    return tens_value * 10 + ones_value


def _int_to_chinese(value: int) -> str:
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_QUOTE_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_ENDS


# --------------------------------------------------------------------------------------------
# A task being read
# --------------------------------------------------------------------------------------------


@dataclass
class _Responsibilities:
    leaders: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: list[str] = field(default_factory=list)


@dataclass
class _Analysis:
    text: str
    has_responsibilities: bool  # a responsibility part exists and is closed
    open_bracket_line: int | None  # line of a responsibility bracket never closed
    responsibilities: _Responsibilities
    stray_lines: list[int]  # lines of text after a closed responsibility bracket


@dataclass
class _Draft:
    number: str
    parent: _Draft | None
    section_number: str
    line: int
    sub: int | None = None  # k of "（k）" for a sub-item
    parts: list[tuple[int, str]] = field(default_factory=list)  # (line, stripped content)
    children: int = 0
    _cache: tuple[int, _Analysis] | None = None

    def analysis(self) -> _Analysis:
        if self._cache is None or self._cache[0] != len(self.parts):
            self._cache = (len(self.parts), _analyse(self.parts))
        return self._cache[1]

    def is_complete(self) -> bool:
        result = self.analysis()
        if result.open_bracket_line is not None:
            return False
        return result.has_responsibilities or _ends_sentence(result.text)


def _analyse(parts: list[tuple[int, str]]) -> _Analysis:
    """Split a draft's joined lines into its text and its responsibility part."""
    starts, pieces, offset = [], [], 0
    for _line, content in parts:
        starts.append(offset)
        pieces.append(content)
        offset += len(content)
    joined = "".join(pieces)

    def line_at(position: int) -> int:
        return parts[max(0, bisect_right(starts, position) - 1)][0]

    region = _responsibility_start(joined, starts, pieces)
    if region is None:
        return _Analysis(joined.strip(), False, None, _Responsibilities(), [])

    responsibilities = _Responsibilities()
    open_bracket_line = None
    stray: list[int] = []
    position = region
    while position < len(joined):
        char = joined[position]
        if char.isspace() or char in _VALUE_TRIM:
            position += 1
        elif char in _OPENERS and _RESP_OPEN_RE.match(joined, position):
            close = _matching_close(joined, position)
            if close is None:
                open_bracket_line = line_at(position)
                _read_keys(joined[position + 1 :], responsibilities)
                break
            _read_keys(joined[position + 1 : close], responsibilities)
            position = close + 1
        else:
            # Bare responsibility lines, or text after a closed bracket: up to the next bracket.
            following = _RESP_OPEN_RE.search(joined, position + 1)
            end = following.start() if following else len(joined)
            chunk = joined[position:end]
            if _KEY_RE.match(chunk):
                _read_keys(chunk, responsibilities)
            elif chunk.strip(_VALUE_TRIM + _CLOSERS):
                stray.append(line_at(position))
            position = end
    return _Analysis(
        joined[:region].strip(),
        open_bracket_line is None,
        open_bracket_line,
        responsibilities,
        stray,
    )


def _responsibility_start(joined: str, starts: list[int], pieces: list[str]) -> int | None:
    """Offset where the responsibilities begin: a bracket opening on a key, a key line, or a
    key right after a sentence end."""
    candidates = []
    for pattern in (_RESP_OPEN_RE, _INLINE_KEY_RE):
        found = pattern.search(joined)
        if found:
            candidates.append(found.start())
    for start, piece in zip(starts, pieces, strict=True):
        if _KEY_RE.match(piece):
            candidates.append(start)
            break
    return min(candidates) if candidates else None


def _matching_close(text: str, position: int) -> int | None:
    family = _FAMILY[text[position]]
    depth = 0
    for index in range(position, len(text)):
        char = text[index]
        if _FAMILY.get(char) != family:
            continue
        depth += 1 if char in _OPENERS else -1
        if depth == 0:
            return index
    return None


def _read_keys(content: str, into: _Responsibilities) -> None:
    """Values run from each key to the next key or the end of content."""
    matches = list(_KEY_RE.finditer(content))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(content)
        value = _clean_value(content[match.end() : end])
        if value:
            getattr(into, _KEYS[match.group(1)]).append(value)


# --------------------------------------------------------------------------------------------
# The document reader
# --------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.header: list[tuple[int, str]] = []  # lines before the first section / task
        self.sections: list[ParsedSection] = []
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None
        self.expected = 1  # next top-level task number
        self.warnings: list[str] = []
        self.ended = False  # a footer line ended the body

    # -- dispatch ----------------------------------------------------------------------------

    def feed(self, number: int, raw: str) -> None:
        content = raw.strip()
        if self.ended or not content or _PAGE_NUMBER_RE.match(content):
            return
        if _DECORATION_RE.match(content):
            return
        if self._try_section(number, content):
            return
        if self._try_task(number, content):
            return
        if self._try_sub_item(number, content):
            return
        idle = self.current is None or self.current.is_complete()
        if idle and (self.sections or self.drafts or self.current):
            if _SUBSECTION_RE.match(content):
                return  # "（一）…" headings group tasks; they are not tasks
            if (self.drafts or self.current) and _FOOTER_RE.search(content):
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
        match = _SECTION_RE.match(content)
        if not match:
            return False
        value = _chinese_to_int(match.group(1))
        title = _WHITESPACE_RE.sub("", match.group(2)).strip("#").strip()
        if value is None or not title or len(title) > _SECTION_TITLE_MAX or _KEY_RE.search(title):
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
                f"第 {number} 行：章节编号不连续，应为“{_int_to_chinese(expected)}”，"
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
        match = _TASK_RE.match(content)
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
        self.current = _Draft(str(value), None, section, line, parts=[(line, rest.strip())])
        self.expected = value + 1

    # -- sub-items ---------------------------------------------------------------------------

    def _try_sub_item(self, number: int, content: str) -> bool:
        """A line "（1）…" starts a sub-item of a complete task with no responsibilities."""
        match = _SUB_RE.match(content)
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
        self.current = _Draft(
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
    title = _plan_title(header)
    issued_on = _issue_date(header)
    year = _first_year(title) or (issued_on.year if issued_on else None)
    return ParsedPlan(
        title=title,
        year=year,
        doc_number=_doc_number(header),
        issued_on=issued_on,
        sections=tuple(sections),
        tasks=tasks,
        warnings=tuple(warnings),
        doubts=tuple(doubts) + find_doubts(tasks),
    )


def _build_tasks(drafts: list[_Draft]) -> tuple[ParsedTask, ...]:
    analyses = [draft.analysis() for draft in drafts]
    headings = _headings_if_heading_style([result.text for result in analyses])
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
                lead_leaders=_split_leaders("、".join(found.leaders)),
                lead_units=_unique(name for value in found.lead for name in split_units(value)),
                cooperating_units=_unique(
                    name for value in found.cooperating for name in split_units(value)
                ),
                line=draft.line,
                responsible_units=_unique(
                    name for value in found.responsible for name in split_units(value)
                ),
                deadline="；".join(found.deadline),
            )
        )
    return tuple(tasks)


def task_headings(texts: list[str]) -> list[str]:
    """Each task's heading sentence when the document is heading-style, else ""."""
    return _headings_if_heading_style(texts)


def chinese_numeral(numeral: str) -> int | None:
    """ "十一" → 11; None for anything that is not a numeral from 1 to 99."""
    return _chinese_to_int(numeral)


def _heading_of(text: str) -> str:
    """The heading of "完善实验室体系。加快…": a short first sentence followed by more."""
    head, stop, rest = text.partition("。")
    head = head.strip()
    if not stop or not rest.strip() or not head or len(head) > _HEADING_MAX:
        return ""
    if any(char in head for char in "，,；;：:"):
        return ""
    return head


def _headings_if_heading_style(texts: list[str]) -> list[str]:
    """Headings when most tasks open with one (2023 style); "" for every task otherwise.

    A single task can open with a short sentence by chance ("抓好民生实事工作。…"), so the
    decision is taken for the whole document.
    """
    headings = [_heading_of(text) for text in texts]
    with_text = sum(1 for text in texts if text)
    if with_text and sum(1 for heading in headings if heading) >= 0.6 * with_text:
        return headings
    return [""] * len(texts)


def _responsibility_warnings(drafts: list[_Draft], tasks: tuple[ParsedTask, ...]) -> list[str]:
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


# -- header: title, document number, date ---------------------------------------------------

_TITLE_QUOTE_RE = re.compile(r"《([^《》]{4,80})》")
_NOTICE_TITLE_RE = re.compile(r"关于印发(.{4,80}?)的?通知")
_TITLE_WORDS = ("方案", "任务", "计划", "清单", "分工", "要点", "报告")
_DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*\d{1,4}\s*号"
)
_DATE_RE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_YEAR_RE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _compact(text: str) -> str:
    return _WHITESPACE_RE.sub("", text.lstrip("#"))


def _plan_title(header: list[tuple[int, str]]) -> str:
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


def _doc_number(header: list[tuple[int, str]]) -> str:
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


def _issue_date(header: list[tuple[int, str]]) -> datetime.date | None:
    joined = "".join(_compact(content) for _line, content in header)
    for match in _DATE_RE.finditer(joined):
        try:
            return datetime.date(*(int(group) for group in match.groups()))
        except ValueError:
            continue
    return None


def _first_year(text: str) -> int | None:
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None
