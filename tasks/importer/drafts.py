"""A task being read: its lines joined, split into text and responsibility part.

Responsibilities are read from the draft's lines joined together, so keys broken across lines
("牵头\\n\\n单位") are found. Pure Python, no Django.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .names import BRACKET_FAMILY, CLOSERS, OPENERS, VALUE_TRIM, clean_value
from .numbering import ends_sentence

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
KEY_RE = re.compile(rf"({_KEY_PATTERN})\s*[：:]")
# An opening bracket whose content starts with a key: the responsibility part of a task.
_RESP_OPEN_RE = re.compile(rf"[{re.escape(OPENERS)}]\s*(?=(?:{_KEY_PATTERN})\s*[：:])")
# A key right after a sentence: "…任务文本。牵头单位：区财政局；配合单位：…" with no bracket.
_INLINE_KEY_RE = re.compile(rf"(?<=[。；;])\s*(?=(?:{_KEY_PATTERN})\s*[：:])")


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
class Draft:
    number: str
    parent: Draft | None
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
        return result.has_responsibilities or ends_sentence(result.text)


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
        if char.isspace() or char in VALUE_TRIM:
            position += 1
        elif char in OPENERS and _RESP_OPEN_RE.match(joined, position):
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
            if KEY_RE.match(chunk):
                _read_keys(chunk, responsibilities)
            elif chunk.strip(VALUE_TRIM + CLOSERS):
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
        if KEY_RE.match(piece):
            candidates.append(start)
            break
    return min(candidates) if candidates else None


def _matching_close(text: str, position: int) -> int | None:
    family = BRACKET_FAMILY[text[position]]
    depth = 0
    for index in range(position, len(text)):
        char = text[index]
        if BRACKET_FAMILY.get(char) != family:
            continue
        depth += 1 if char in OPENERS else -1
        if depth == 0:
            return index
    return None


def _read_keys(content: str, into: _Responsibilities) -> None:
    """Values run from each key to the next key or the end of content."""
    matches = list(KEY_RE.finditer(content))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(content)
        value = clean_value(content[match.end() : end])
        if value:
            getattr(into, _KEYS[match.group(1)]).append(value)
