"""Chinese phone numbers: mobile (13x–19x, 11 digits) and landline (area code + number).

A pure module. Accepted spellings: 13812345678, +86 138 1234 5678, 86-13812345678,
0635-8123456, 063582123456, (0635)8123456, 0635-8123456-801 (extension), 010-62345678.
"""

import re

_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
# Area codes: 010, 02x (3 digits) and 0xxx (4 digits); numbers of 7 or 8 digits; extension.
_LANDLINE = re.compile(r"(?:\+?86)?0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}(?:-\d{1,6})?")
_SEPARATORS = re.compile(r"[\s()（）]")


def _valid(number: str) -> bool:
    return bool(_MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number))


def normalize_phone(text: str) -> str:
    """Spaces, brackets and hyphens removed; an extension (-801, 转801) kept after a hyphen."""
    compact = _SEPARATORS.sub("", text or "")
    main, _, extension = compact.partition("转")
    parts = main.split("-")
    whole = "".join(parts)
    if extension:
        return f"{whole}-{extension}"
    # "0635-8123456-801": the last group is an extension when the rest is a full number.
    if len(parts) >= 3 and not _valid(whole) and _valid("".join(parts[:-1]) + "-" + parts[-1]):
        return "".join(parts[:-1]) + "-" + parts[-1]
    return whole


def phone_problem(text: str) -> str | None:
    """A Chinese message when the text is not a mobile or landline number, else None."""
    if not text:
        return None
    if _valid(normalize_phone(text)):
        return None
    return f"电话“{text[:30]}”格式不正确：应为 11 位手机号或带区号的固话（如 0635-8123456）"
