"""Where the server may post: the one gate every outbound HTTP request of a channel passes.

- https only; plain http only with NOTIFY_TEST_LOOPBACK (a test switch refused when DEBUG=0);
- the host must be in NOTIFY_ALLOWED_HOSTS (default: the public 企业微信 and 钉钉 API hosts;
  a 政务外网 deployment adds its own), no user:password@, no fragment;
- the host's addresses are checked before the request: loopback, link-local, multicast,
  unspecified and reserved addresses are refused (loopback only allowed with the test switch),
  private ranges only with NOTIFY_ALLOW_PRIVATE_NETWORK (政务外网 hosts resolve to them);
- redirects are not followed; timeouts are short; the reply is read up to 16 KB.
"""

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

MAX_URL = 1000
MAX_REPLY = 16 * 1024


class Refused(ValueError):
    """A target the server must not post to (the message is for the office, in Chinese)."""


class TransportError(Exception):
    """The request did not get a usable answer (timeout, refused, 5xx): worth a retry."""


def allowed_hosts() -> set[str]:
    return {h.strip().lower().rstrip(".") for h in settings.NOTIFY_ALLOWED_HOSTS if h.strip()}


def check_url(url: str) -> str:
    """The URL, stripped, if the server may post to it; Refused with the reason otherwise."""
    url = (url or "").strip()
    if not url:
        raise Refused("请填写地址。")
    if len(url) > MAX_URL:
        raise Refused(f"地址过长（最多 {MAX_URL} 个字符）。")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise Refused("地址中不能有空格或控制字符。")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise Refused("地址格式不正确。") from None
    test_loopback = settings.NOTIFY_TEST_LOOPBACK
    if parts.scheme != "https" and not (test_loopback and parts.scheme == "http"):
        raise Refused("地址必须以 https:// 开头。")
    if not host:
        raise Refused("地址中没有主机名。")
    if parts.username is not None or parts.password is not None:
        raise Refused("地址中不能包含用户名或密码。")
    if parts.fragment:
        raise Refused("地址中不能有 # 片段。")
    if host not in allowed_hosts():
        raise Refused(
            f"不允许向 {host[:60]} 发送：只能使用系统管理员允许的地址"
            f"（{'、'.join(sorted(allowed_hosts())) or '无'}）。"
        )
    return url


def check_addresses(host: str, port: int) -> None:
    """Refuse a host that resolves to an address the server must not reach."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TransportError(f"无法解析主机名：{error}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if address.is_loopback:
            if not settings.NOTIFY_TEST_LOOPBACK:
                raise Refused("该地址指向本机，不允许发送。")
            continue
        if address.is_link_local or address.is_multicast or address.is_unspecified:
            raise Refused("该地址指向保留网段，不允许发送。")
        if address.is_private and not settings.NOTIFY_ALLOW_PRIVATE_NETWORK:
            raise Refused(
                "该地址指向内网，不允许发送（政务外网部署请设置 NOTIFY_ALLOW_PRIVATE_NETWORK）。"
            )
        if address.is_reserved:
            raise Refused("该地址指向保留网段，不允许发送。")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is answered as an error, never followed


_opener = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, payload: dict, headers: dict | None = None) -> tuple[int, str]:
    """POST payload as JSON; (status, reply text). Refused or TransportError when it cannot."""
    url = check_url(url)
    parts = urlsplit(url)
    check_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with _opener.open(request, timeout=settings.NOTIFY_HTTP_TIMEOUT) as response:
            return response.status, response.read(MAX_REPLY).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        text = error.read(MAX_REPLY).decode("utf-8", "replace") if error.fp else ""
        if error.code >= 500 or error.code == 429:
            raise TransportError(f"HTTP {error.code} {text[:200]}") from None
        return error.code, text
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise TransportError(f"{type(reason).__name__}: {reason}") from None
