"""The outbound channels. Each is a small class whose send(delivery) returns an Outcome;
adding a channel (or a robot flavour) is adding a class and registering it.

In-app notices are not here: they are written in the notice's own transaction by the app that
raises it (notifications.reminders.notify), so a failing channel can never lose one.
"""

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import quote_plus

from django.conf import settings
from django.core.mail import send_mail

from . import egress
from .models import SmsGateway, UnitChannel
from .notices import EMAIL, ROBOT, SMS
from .secrets import SecretUnreadable


@dataclass(frozen=True)
class Outcome:
    ok: bool
    reply: str = ""
    error: str = ""
    retry: bool = False  # worth another attempt (timeouts, 5xx, a gateway error code)
    secrets: tuple[str, ...] = ()  # values to scrub from reply and error before storing them


CHANNELS: dict[str, type["Channel"]] = {}
ROBOTS: dict[str, type["Robot"]] = {}


def register(registry):
    def add(cls):
        registry[cls.name] = cls
        return cls

    return add


class Channel:
    name = ""
    label = ""

    def send(self, delivery) -> Outcome:
        raise NotImplementedError


def _reply_code(text: str):
    """The error code of a JSON reply (errcode / code), or the string 'unreadable'."""
    try:
        data = json.loads(text)
    except ValueError:
        return "unreadable"
    if not isinstance(data, dict):
        return "unreadable"
    for name in ("errcode", "code", "Code"):
        if name in data:
            return data[name]
    return "unreadable"


def _post(url: str, payload: dict, *, ok_codes, secrets=(), headers=None) -> Outcome:
    try:
        status, text = egress.post_json(url, payload, headers)
    except egress.Refused as error:
        return Outcome(False, error=f"拒绝发送：{error}", secrets=secrets)
    except egress.TransportError as error:
        return Outcome(False, error=str(error), retry=True, secrets=secrets)
    if status != 200:
        return Outcome(False, reply=text, error=f"HTTP {status}", secrets=secrets)
    code = _reply_code(text)
    if code in ok_codes:
        return Outcome(True, reply=text, secrets=secrets)
    return Outcome(False, reply=text, error=f"网关返回错误码 {code}", retry=True, secrets=secrets)


# --- group robots --------------------------------------------------------------------------


class Robot:
    name = ""
    label = ""

    def target(self, url: str, secret: str) -> str:
        return url

    def payload(self, parts: dict, fmt: str) -> dict:
        raise NotImplementedError


@register(ROBOTS)
class WeComRobot(Robot):
    """企业微信 群机器人: POST {"msgtype": "text", "text": {"content": …}} or markdown."""

    name, label = "wecom", "企业微信群机器人"

    def payload(self, parts, fmt):
        if fmt == "markdown":
            return {"msgtype": "markdown", "markdown": {"content": parts["markdown"]}}
        return {"msgtype": "text", "text": {"content": parts["text"]}}


@register(ROBOTS)
class DingTalkRobot(Robot):
    """钉钉 自定义机器人; with a secret (加签) the URL carries timestamp (ms) and sign =
    urlencode(base64(HmacSHA256(key=secret, msg=f"{timestamp}\\n{secret}")))."""

    name, label = "dingtalk", "钉钉自定义机器人"

    @staticmethod
    def sign(secret: str, timestamp_ms: int) -> str:
        digest = hmac.new(
            secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
        ).digest()
        return quote_plus(base64.b64encode(digest).decode())

    def target(self, url, secret):
        if not secret:
            return url
        timestamp = int(time.time() * 1000)
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}timestamp={timestamp}&sign={self.sign(secret, timestamp)}"

    def payload(self, parts, fmt):
        if fmt == "markdown":
            return {
                "msgtype": "markdown",
                "markdown": {"title": parts["title"], "text": parts["markdown"]},
            }
        return {"msgtype": "text", "text": {"content": parts["text"]}}


@register(CHANNELS)
class RobotChannel(Channel):
    """The unit's group robot, read (and decrypted) at send time."""

    name, label = ROBOT, "群机器人"

    def send(self, delivery):
        unit = UnitChannel.objects.filter(department_id=delivery.department_id).first()
        if unit is None or not unit.has_robot or unit.robot_kind not in ROBOTS:
            return Outcome(False, error="该单位已不再使用群机器人")
        try:
            url, secret = unit.robot_url(), unit.robot_secret()
        except SecretUnreadable as error:
            return Outcome(False, error=str(error))
        robot = ROBOTS[unit.robot_kind]()
        return _post(
            robot.target(url, secret),
            robot.payload(delivery.payload, unit.robot_format),
            ok_codes=(0,),
            secrets=(url, secret),
        )


# --- SMS -------------------------------------------------------------------------------


@register(CHANNELS)
class SmsChannel(Channel):
    """An HTTP SMS gateway: POST JSON {account, password, sign_name, template_id, mobile,
    params: {headline, unit, numbers, period, deadline, content}}; success is HTTP 200 with
    code/errcode 0 (or "OK"). A provider with its own protocol is one more class."""

    name, label = SMS, "短信"

    def send(self, delivery):
        gateway = SmsGateway.current()
        if not gateway.ready:
            return Outcome(False, error="短信网关未启用")
        try:
            password = gateway.password()
        except SecretUnreadable as error:
            return Outcome(False, error=str(error))
        payload = {
            "account": gateway.account,
            "password": password,
            "sign_name": gateway.sign_name,
            "template_id": gateway.template_id,
            "mobile": delivery.address,
            "params": delivery.payload.get("params", {}),
        }
        return _post(gateway.url, payload, ok_codes=(0, "0", "OK"), secrets=(password,))


# --- e-mail ------------------------------------------------------------------------------


@register(CHANNELS)
class EmailChannel(Channel):
    name, label = EMAIL, "邮件"

    def send(self, delivery):
        try:
            sent = send_mail(
                delivery.subject,
                delivery.text,
                settings.DEFAULT_FROM_EMAIL,
                [delivery.address],
                fail_silently=False,
            )
        except Exception as error:  # SMTP, connection, a broken backend setting
            return Outcome(False, error=f"{type(error).__name__}: {error}", retry=True)
        return Outcome(bool(sent), error="" if sent else "邮件服务器未接收", retry=not sent)
