"""Line shapes of a plan document: task numbers, sub-items, sections, page furniture, and
Chinese numerals (pure Python, no Django)."""

from __future__ import annotations

import re

# "12.", "12．", "53、" — but not "2.5 亿元" (a digit right after the dot).
TASK_RE = re.compile(r"^(\d{1,4})\s*[.．、](?!\d)\s*(.*)$")
SUB_RE = re.compile(r"^[（(〔\[［【]\s*(\d{1,3})\s*[）)〕\]］】]\s*(.*)$")
SECTION_RE = re.compile(r"^#*\s*([一二三四五六七八九十〇零]{1,3})\s*、\s*(\S.*)$")
SUBSECTION_RE = re.compile(r"^#*\s*[（(〔\[［【][一二三四五六七八九十]{1,3}[）)〕\]］】]")
PAGE_NUMBER_RE = re.compile(r"^(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d+\s*页.*)$")
DECORATION_RE = re.compile(r"^[-—–_*=#\s]+$")
# Lines that end the body of a plan: distribution list, attachments, printing note.
FOOTER_RE = re.compile(r"^(?:抄送|主送|附件)\s*[:：\d]|^[（(]此件|印发$")

SECTION_TITLE_MAX = 60
_SENTENCE_ENDS = "。.！!？?；;：:"
_QUOTE_CLOSERS = "”’\"'」』"
HEADING_MAX = 30

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numeral(numeral: str) -> int | None:
    """ "十一" → 11; None for anything that is not a numeral from 1 to 99."""
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


def int_to_chinese(value: int) -> str:
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_QUOTE_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_ENDS
