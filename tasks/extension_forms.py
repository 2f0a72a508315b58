"""The form a lead unit applies for a deadline extension with (task page and its own page).

Every field is optional here: the rules (tasks.deadlines.refusal) give the Chinese reason of
a refusal, field by field; a forged node id reads as "not this task's".
"""

from django import forms


class ApplyForm(forms.Form):
    node = forms.CharField(label="延期事项", required=False, widget=forms.Select)
    requested_date = forms.DateField(
        label="申请延期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="延期理由", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    year_note = forms.CharField(
        label="跨年度说明（延期至下一年度时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "任务完成时限")]
        choices += [(str(n.pk), f"节点：{n.description}（{n.due:%Y-%m-%d}）") for n in nodes]
        self.fields["node"].widget.choices = choices

    def clean_node(self):
        value = self.cleaned_data["node"].strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 12:
            raise forms.ValidationError("所选节点不属于本任务。")
        return int(value)
