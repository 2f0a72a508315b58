from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings

from departments.models import Department
from leaders.models import CoordinationItem

from .coordination import CoordinationError, clean_ask
from .evidence import ALLOWED, ALLOWED_TEXT, upload_problem
from .models import Attachment, Indicator, IndicatorValue, Task
from .reporting import ReportData


def _fit_column(number: Decimal, column) -> Decimal | None:
    """The number rounded as the DecimalField column stores it, or None if it does not fit.

    Rounding first: 999999999999.99999 passes a "below 10^12" test but rounds to 10^12, which
    overflows max_digits=16, decimal_places=4.
    """
    limit = Decimal(10) ** (column.max_digits - column.decimal_places)
    if abs(number) >= limit:
        return None
    rounded = number.quantize(Decimal(1).scaleb(-column.decimal_places))
    return rounded if abs(rounded) < limit else None


ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    progress = forms.CharField(
        label="工作进展", required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    problems = forms.CharField(
        label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    next_steps = forms.CharField(
        label="下步打算", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    coordination_kind = forms.ChoiceField(
        label="需要协调",
        required=False,
        choices=[("", "不需要"), *CoordinationItem.Kind.choices],
        widget=forms.RadioSelect,
        help_text="勾选后，报告提交时生成一条需协调事项，由牵头领导或所选单位协调。",
    )
    coordination_units = forms.ModelMultipleChoiceField(
        label="需协调的单位",
        required=False,
        queryset=Department.objects.order_by("sort_order", "name"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="需部门协调时选择（可多选，按住 Ctrl 键）。",
    )
    percent = forms.CharField(
        label="完成进度（%）",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    attachments = MultipleFileField(
        label="佐证材料",
        required=False,
        help_text=(
            f"可多选；只能上传 {ALLOWED_TEXT} 文件，每个文件最大 "
            f"{settings.ATTACHMENT_MAX_BYTES // 1048576} MB（一次上传合计也不超过这个大小）"
        ),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The ask belongs to 存在问题: shown right below it.
    field_order = ["progress", "problems", "coordination_kind", "coordination_units", "next_steps"]

    def __init__(self, *args, indicators: list[Indicator] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name}（目标 {indicator.get_comparator_display()} "
                f"{indicator.target_display}{indicator.unit}）",
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )

    def indicator_fields(self):
        return [self[f"indicator_{i.pk}"] for i in self.indicators]

    @staticmethod
    def _number(value: str, label: str) -> Decimal | None:
        value = (value or "").strip().replace("，", ".").replace("％", "").replace("%", "")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(f"{label}必须是数字。") from None
        if not number.is_finite():
            raise forms.ValidationError(f"{label}必须是数字。")
        return number

    def clean_percent(self):
        number = self._number(self.cleaned_data.get("percent"), "完成进度")
        if number is not None and not (0 <= number <= 100):
            raise forms.ValidationError("完成进度必须在 0 到 100 之间。")
        return None if number is None else number.quantize(Decimal("0.1"))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        problems = []
        longest = Attachment._meta.get_field("original_name").max_length
        for upload in files:
            if len(upload.name) > longest:
                problems.append(
                    f"文件名“{upload.name[:30]}…”过长（{len(upload.name)} 个字符，"
                    f"最多 {longest} 个）：请改短文件名后再上传。"
                )
                continue
            head = upload.read(16)
            upload.seek(0)
            problem = upload_problem(
                upload.name, upload.size, head, max_bytes=settings.ATTACHMENT_MAX_BYTES
            )
            if problem:
                problems.append(problem)
        total = sum(upload.size for upload in files)
        if total > settings.ATTACHMENT_MAX_BYTES:
            problems.append(
                f"一次上传的文件合计 {total / 1048576:.1f} MB，超过 "
                f"{settings.ATTACHMENT_MAX_BYTES // 1048576} MB：请分几次保存上传。"
            )
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean(self):
        cleaned = super().clean()
        values = {}
        for indicator in self.indicators:
            name = f"indicator_{indicator.pk}"
            try:
                number = self._number(self.data.get(self.add_prefix(name), ""), indicator.name)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if number is not None:
                number = _fit_column(number, IndicatorValue._meta.get_field("actual"))
                if number is None:
                    self.add_error(name, f"{indicator.name}的数值过大。")
                    continue
                values[indicator.pk] = number
        cleaned["values"] = values
        self._clean_ask(cleaned)
        return cleaned

    def _clean_ask(self, cleaned):
        kind = cleaned.get("coordination_kind") or ""
        units = cleaned.get("coordination_units") or []
        if kind and not (cleaned.get("problems") or "").strip():
            self.add_error("problems", "需要协调时请在“存在问题”中写明需协调的问题。")
        try:
            cleaned["ask"] = clean_ask(kind, [u.pk for u in units], None)
        except CoordinationError as error:
            self.add_error("coordination_units", str(error))

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            progress=data.get("progress", ""),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
            percent=data.get("percent"),
            values=data.get("values", {}),
            coordination=data.get("ask", {}),
        )


def ask_initial(ask: dict | None) -> dict:
    """The form's initial coordination fields from a report's ask (none: nothing asked)."""
    ask = ask or {}
    return {"coordination_kind": ask.get("kind", ""), "coordination_units": ask.get("units", [])}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "comparator", "target", "unit", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A browser always submits the selects' first options; with these as initial values an
        # untouched blank row counts as unchanged instead of demanding a name and target.
        self.fields["comparator"].initial = Indicator.Comparator.AT_LEAST
        self.fields["kind"].initial = Indicator.Kind.ABSOLUTE
        # Drawn as a table row under column headings: each input names its column (and row).
        row = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        for field in self.fields.values():
            number = f"第{int(row) + 1}行" if row.isdigit() else ""
            field.widget.attrs.setdefault("aria-label", f"{number}{field.label}")


# A task has a handful of indicators. The cap bounds the work a forged TOTAL_FORMS can ask
# for (without it Django builds up to 2,000 forms per request, about 0.5 s here); more than
# MAX_INDICATORS is refused with Django's message.
MAX_INDICATORS = 50

IndicatorFormSet = forms.inlineformset_factory(
    Task,
    Indicator,
    form=IndicatorForm,
    extra=1,
    can_delete=True,
    max_num=MAX_INDICATORS,
    absolute_max=MAX_INDICATORS,
    validate_max=True,
)


class ClosureForm(forms.Form):
    """办结申请: a summary and evidence files (checked as a report's, tasks.evidence)."""

    summary = forms.CharField(
        label="办结情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "请填写办结情况说明。"},
    )
    attachments = MultipleFileField(
        label="佐证材料",
        required=False,
        help_text=ReportForm.base_fields["attachments"].help_text,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )

    clean_attachments = ReportForm.clean_attachments

    def clean_summary(self):
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise forms.ValidationError("请填写办结情况说明。")
        return summary


class ReasonForm(forms.Form):
    """退回重办 / 重新打开: the reason is required."""

    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写理由。"},
    )
