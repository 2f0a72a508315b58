"""The words of outbound messages: short, customary, and safe whatever the input (no Django).

【东昌府区督查室】催办：区发展和改革局，2022年第20周尚有 3 项任务未报送进展（任务编号：1、15、44），
报送截止 5月20日 17:00。详情：https://…

Every value that may come from a person (unit names, instruction text, reasons) is cleaned of
control characters, length-limited, and for markdown neutralised (markdown characters become
their full-width forms); JSON is always built with json.dumps, so nothing can break a payload.
"""

import re
import unicodedata
from dataclasses import dataclass, field

ROBOT_MAX = 600  # characters: 1,800 bytes of UTF-8 at most; 企业微信 takes 2,048 bytes of text
SMS_PARAM_MAX = 20  # a template variable (the common services cap them at 20..35)
SMS_CONTENT_MAX = 60
_MARKDOWN = str.maketrans(
    {
        "*": "＊",
        "_": "＿",
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "#": "＃",
        "<": "＜",
        ">": "＞",
        "`": "｀",
        "~": "～",
        "|": "｜",
        "\\": "＼",
    }
)
_SMS_UNSAFE = str.maketrans({c: "" for c in "【】[]{}$<>#\\"})


@dataclass(frozen=True)
class Message:
    """One notice, in parts: the channels assemble their own text from them."""

    headline: str  # 催办 / 批示 / 退回 ...
    unit: str = ""
    body: str = ""  # the sentence of the in-app notice
    numbers: tuple[str, ...] = field(default_factory=tuple)
    period: str = ""
    deadline: str = ""
    path: str = ""  # a path inside the site


def clean(text: str, limit: int, *, newlines: bool = False) -> str:
    """Printable text of at most `limit` characters (an ellipsis marks a cut)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    out = []
    for char in text:
        if char in "\r\n\t":
            out.append("\n" if newlines and char == "\n" else " ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(char)
    text = re.sub(r"[ \u3000]{2,}", " ", "".join(out)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(path: str, site_url: str) -> str:
    return f"{site_url.rstrip('/')}{path}" if site_url and path.startswith("/") else ""


def robot_text(message: Message, *, sender: str, site_url: str) -> str:
    head = f"【{clean(sender, 30)}】{clean(message.headline, 30)}"
    unit = f"：{clean(message.unit, 60)}，" if message.unit else "："
    text = head + unit + clean(message.body, ROBOT_MAX, newlines=True)
    url = link(message.path, site_url)
    tail = f"\n详情：{url}" if url else ""
    return clean(text, ROBOT_MAX - len(tail), newlines=True) + tail


def robot_markdown(message: Message, *, sender: str, site_url: str) -> str:
    def md(text, limit):
        return clean(text, limit, newlines=True).translate(_MARKDOWN)

    lines = [f"**【{md(sender, 30)}】{md(message.headline, 30)}**"]
    if message.unit:
        lines.append(f"> {md(message.unit, 60)}")
    lines.append(md(message.body, ROBOT_MAX - 150).replace("\n", "\n> "))
    url = link(message.path, site_url)
    if url and not any(c in url for c in "()[] \n"):
        lines.append(f"[查看详情]({url})")
    return "\n\n".join(lines)


def sms_params(message: Message) -> dict[str, str]:
    """The template variables; each short and free of template/sign characters."""

    def safe(text, limit):
        return clean(text, limit).translate(_SMS_UNSAFE)

    numbers = "、".join(message.numbers[:5]) + ("等" if len(message.numbers) > 5 else "")
    return {
        "headline": safe(message.headline, SMS_PARAM_MAX),
        "unit": safe(message.unit, SMS_PARAM_MAX),
        "numbers": safe(numbers, SMS_PARAM_MAX),
        "period": safe(message.period, SMS_PARAM_MAX),
        "deadline": safe(message.deadline, SMS_PARAM_MAX),
        "content": safe(message.body, SMS_CONTENT_MAX),
    }


def sms_text(message: Message, *, sender: str) -> str:
    """What the person reads (the office's preview; the gateway fills its own template)."""
    p = sms_params(message)
    parts = [f"【{clean(sender, 30)}】{p['headline']}"]
    if p["unit"]:
        parts.append(f"：{p['unit']}")
    if p["numbers"]:
        parts.append(f"，任务{p['numbers']}")
    if p["period"]:
        parts.append(f"，{p['period']}")
    if p["deadline"]:
        parts.append(f"，截止{p['deadline']}")
    elif p["content"]:
        parts.append(f"，{p['content']}")
    return "".join(parts) + "。请登录督查台账处理。"
