"""Checks for evidence files (佐证材料): allowed type, size, and content matching the extension.

A pure module: callers pass the name, the size and the first bytes of the file.
"""

from pathlib import PurePosixPath

# extension -> (content type, acceptable leading bytes)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls container
_ZIP = b"PK\x03\x04"  # .docx / .xlsx are zip packages
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", (_OLE,)),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
ALLOWED_TEXT = "pdf、doc、docx、xls、xlsx、jpg、png"


def extension_of(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")


def content_type_for(name: str) -> str:
    return ALLOWED.get(extension_of(name), ("application/octet-stream", ()))[0]


def upload_problem(name: str, size: int, head: bytes, *, max_bytes: int) -> str | None:
    """A Chinese message saying what is wrong with the file, or None when it may be kept."""
    extension = extension_of(name)
    if extension not in ALLOWED:
        return f"“{name}”的类型不允许：只能上传 {ALLOWED_TEXT} 文件。"
    if size > max_bytes:
        return f"“{name}”过大（{size / 1048576:.1f} MB）：每个文件最大 {max_bytes // 1048576} MB。"
    if size == 0:
        return f"“{name}”是空文件。"
    if not any(head.startswith(magic) for magic in ALLOWED[extension][1]):
        return f"“{name}”的内容与扩展名 .{extension} 不符，请上传原始文件。"
    return None
