"""The node plan form (时间节点): one row per node, checked as a whole (tasks.node_plans)."""

import datetime
from decimal import Decimal

from django import forms

# A node plan is quarterly or monthly: 24 rows cover twice-monthly nodes over a year. The cap
# also bounds the work a forged TOTAL_FORMS can ask for (Django's own cap is 1,000 forms).
MAX_NODES = 24


class NodeForm(forms.Form):
    due = forms.DateField(
        label="节点时间",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写有效的日期（如 2022-06-30）。"},
    )
    description = forms.CharField(label="节点目标", max_length=200)
    expected_percent = forms.DecimalField(
        label="预期进度（%）",
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100"}),
        error_messages={
            "invalid": "预期进度必须是数字。",
            "max_value": "预期进度不能超过 100%%。",
            "min_value": "预期进度不能小于 0。",
            "max_digits": "预期进度最多 100%%，保留一位小数。",
            "max_decimal_places": "预期进度最多保留一位小数。",
            "max_whole_digits": "预期进度不能超过 100%%。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False
        row = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        for field in self.fields.values():
            number = f"第{int(row) + 1}行" if row.isdigit() else ""
            field.widget.attrs.setdefault("aria-label", f"{number}{field.label}")
            field.error_messages.setdefault("required", f"请填写{field.label}。")
            field.error_messages["required"] = f"请填写{field.label}。"


class BaseNodeFormSet(forms.BaseFormSet):
    """Rows in date order, no date twice, all inside the plan year, percents not decreasing."""

    default_error_messages = {
        "missing_management_form": "表单数据不完整，请刷新页面后重新填写。",
        "too_many_forms": f"一个任务最多 {MAX_NODES} 个时间节点。",
        "too_few_forms": "请至少填写一个时间节点。",
    }

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        rows = self.nodes()
        problems = []
        first, last = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        for index, node in enumerate(rows, 1):
            if not first <= node["due"] <= last:
                problems.append(
                    f"第{index}个节点的时间 {node['due']:%Y-%m-%d} 不在计划年度 {self.year} 年内。"
                )
        for index, (before, after) in enumerate(zip(rows, rows[1:], strict=False), 2):
            if after["due"] == before["due"]:
                problems.append(
                    f"第{index}个节点与上一个节点的时间相同（{after['due']:%Y-%m-%d}）："
                    "同一天只能有一个节点。"
                )
            elif after["due"] < before["due"]:
                problems.append(
                    f"节点须按时间先后填写：第{index}个节点（{after['due']:%Y-%m-%d}）"
                    f"早于上一个节点（{before['due']:%Y-%m-%d}）。"
                )
            if after["expected_percent"] < before["expected_percent"]:
                problems.append(
                    f"预期进度不能倒退：第{index}个节点 {after['expected_percent']}% "
                    f"低于上一个节点的 {before['expected_percent']}%。"
                )
        if problems:
            raise forms.ValidationError(problems)

    def nodes(self) -> list[dict]:
        """The filled-in rows, in the order entered (blank rows are skipped)."""
        return [
            {
                "due": form.cleaned_data["due"],
                "description": form.cleaned_data["description"].strip(),
                "expected_percent": form.cleaned_data["expected_percent"],
            }
            for form in self.forms
            if form.cleaned_data and form.has_changed()
        ]


NodeFormSet = forms.formset_factory(
    NodeForm,
    formset=BaseNodeFormSet,
    extra=2,
    max_num=MAX_NODES,
    absolute_max=MAX_NODES,
    validate_max=True,
)


def node_formset(data=None, *, year: int, nodes=()) -> BaseNodeFormSet:
    """The form, filled with ``nodes`` (dicts like NodeFormSet.nodes() returns) when unbound."""
    initial = [
        {
            "due": n["due"],
            "description": n["description"],
            "expected_percent": n["expected_percent"],
        }
        for n in nodes
    ]
    # Bound, the rows are read as typed: a row emptied is a node removed, not a row "changed".
    return NodeFormSet(
        data, initial=None if data is not None else initial, prefix="nodes", year=year
    )
