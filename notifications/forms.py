"""The office's forms for channels. Secrets are never shown again: blank keeps what is stored."""

from django import forms

from . import egress
from .dispatch import MOBILE
from .models import UnitChannel
from .notices import NOTICE_TYPES, OUTBOUND

SECRET_MAX = 200
ROBOT_CHOICES = [("none", "不使用")] + [c for c in UnitChannel.Kind.choices if c[0]]


def _secret(value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > SECRET_MAX:
        raise forms.ValidationError(f"{label}过长（最多 {SECRET_MAX} 个字符）。")
    if any(ord(c) < 33 or ord(c) > 126 for c in value):
        raise forms.ValidationError(f"{label}只能包含英文字母、数字和符号，不能有空格。")
    return value


def _outbound_url(value: str) -> str:
    """An address the server may post to (egress's allow-list), or a Chinese form error."""
    value = value.strip()
    if not value:
        return value
    try:
        return egress.check_url(value)
    except egress.Refused as error:
        raise forms.ValidationError(str(error)) from None


class RulesForm(forms.Form):
    """One checkbox per notice type × outbound channel (in-app is always on)."""

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = []
        for notice_type, label in NOTICE_TYPES:
            cells = []
            for channel, channel_label in OUTBOUND:
                name = f"{notice_type}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=f"{label}·{channel_label}",
                    required=False,
                    initial=channel in rules[notice_type],
                )
                cells.append(name)
            self.grid.append((label, [self[n] for n in cells]))

    def chosen(self) -> dict[str, dict[str, bool]]:
        return {
            notice_type: {c: self.cleaned_data[f"{notice_type}__{c}"] for c, _ in OUTBOUND}
            for notice_type, _ in NOTICE_TYPES
        }


class UnitRobotForm(forms.Form):
    robot_kind = forms.ChoiceField(label="群机器人", choices=ROBOT_CHOICES)
    robot_format = forms.ChoiceField(
        label="消息格式", choices=UnitChannel.Format.choices, initial="text"
    )
    robot_url = forms.CharField(
        label="Webhook 地址",
        required=False,
        max_length=egress.MAX_URL,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    robot_secret = forms.CharField(
        label="加签密钥（钉钉，选填）",
        required=False,
        max_length=SECRET_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label="清除已保存的加签密钥", required=False)

    def __init__(self, *args, current: UnitChannel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if current is not None and current.has_robot:
            self.fields["robot_kind"].initial = current.robot_kind
            self.fields["robot_format"].initial = current.robot_format
            self.fields["robot_url"].help_text = f"已设置：{current.robot_hint}；留空保持不变。"
            if current.robot_secret_sealed:
                self.fields["robot_secret"].help_text = "已设置；留空保持不变。"
        else:
            self.fields["robot_kind"].initial = "none"

    def clean_robot_url(self):
        return _outbound_url(self.cleaned_data["robot_url"])

    def clean_robot_secret(self):
        return _secret(self.cleaned_data["robot_secret"], "加签密钥")

    def clean(self):
        data = super().clean()
        kind = data.get("robot_kind")
        if kind and kind != "none":
            stored = self.current is not None and self.current.has_robot
            if not data.get("robot_url") and not stored and "robot_url" not in self.errors:
                self.add_error("robot_url", "请填写群机器人的 Webhook 地址。")
            if kind != UnitChannel.Kind.DINGTALK and data.get("robot_secret"):
                self.add_error("robot_secret", "只有钉钉机器人使用加签密钥。")
        return data


class PeopleForm(forms.Form):
    """手机 and the SMS opt-in of each person of the unit."""

    def __init__(self, *args, people, sms_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = []
        for user in people:
            phone = f"phone_{user.pk}"
            sms = f"sms_{user.pk}"
            name = user.get_full_name() or user.username
            self.fields[phone] = forms.CharField(
                label="手机",
                required=False,
                max_length=20,
                initial=user.profile.phone,
                # A table cell has no label of its own: the name says whose number it is.
                widget=forms.TextInput(attrs={"aria-label": f"{name}的手机"}),
            )
            self.fields[sms] = forms.BooleanField(
                label="接收短信", required=False, initial=user.pk in sms_ids
            )
            self.people.append((user, self[phone], self[sms]))

    def clean(self):
        data = super().clean()
        for _user, phone_field, sms_field in self.people:
            phone = "".join((data.get(phone_field.name) or "").split()).replace("-", "")
            if phone and not MOBILE.match(phone):
                self.add_error(phone_field.name, "请填写 11 位手机号码。")
            elif data.get(sms_field.name) and not phone:
                self.add_error(phone_field.name, "接收短信需要填写手机号码。")
            data[phone_field.name] = phone
        return data


class SmsGatewayForm(forms.Form):
    enabled = forms.BooleanField(label="启用短信", required=False)
    url = forms.CharField(label="网关地址", required=False, max_length=egress.MAX_URL)
    account = forms.CharField(label="账号（AppKey）", required=False, max_length=100)
    password = forms.CharField(
        label="密码（AppSecret）",
        required=False,
        max_length=SECRET_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    template_id = forms.CharField(label="模板编号", required=False, max_length=60)
    sign_name = forms.CharField(label="短信签名", required=False, max_length=30)

    def clean_url(self):
        return _outbound_url(self.cleaned_data["url"])

    def clean_account(self):
        return _secret(self.cleaned_data["account"], "账号")

    def clean_password(self):
        return _secret(self.cleaned_data["password"], "密码")

    def clean_template_id(self):
        return _secret(self.cleaned_data["template_id"], "模板编号")

    def clean_sign_name(self):
        value = self.cleaned_data["sign_name"].strip()
        if any(c in value for c in "【】[]{}$<>\r\n"):
            raise forms.ValidationError("短信签名不能包含【】等符号。")
        return value

    def clean(self):
        data = super().clean()
        if data.get("enabled"):
            for name in ("url", "template_id"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "启用短信需要填写此项。")
        return data
