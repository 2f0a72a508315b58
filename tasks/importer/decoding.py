"""Decoding an uploaded plan document's bytes to text (pure Python, no Django)."""

from __future__ import annotations

import codecs

from .parsed import PlanParseError

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
