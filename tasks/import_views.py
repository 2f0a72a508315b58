"""导入方案 in the browser: upload → preview with doubts → choices → Celery job → result.

Thin views over tasks.importer.browser; who may import is tasks.access.can_import_plans.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from departments.models import Department

from . import jobs
from .access import can_import_plans
from .importer.browser import preview, read_choices
from .importer.documents import EXTENSIONS, MAX_BYTES
from .importer.loader import ImportRefused
from .importer.parser import PlanParseError
from .models import Plan, PlanImport


class PlanUploadForm(forms.Form):
    file = forms.FileField(label="方案文件", help_text="支持 .docx、.xlsx、.txt，最大 10 MB")
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="文件中无法识别时填写",
    )
    plan = forms.ChoiceField(label="更新已有方案", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = Plan.objects.order_by("-year", "slug").values_list("slug", "year", "title")
        self.fields["plan"].choices = [("", "（按年度和标题自动识别）")] + [
            (slug, f"{year} · {title}") for slug, year, title in plans
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(EXTENSIONS) or len(name) > 200 or "\x00" in name:
            raise forms.ValidationError("只支持 .docx、.xlsx 和 .txt 文件")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"文件过大，上限 {MAX_BYTES // 1024 // 1024} MB")
        if upload.size == 0:
            raise forms.ValidationError("文件内容为空")
        return upload


_MAX_ID = 2**31 - 1  # beyond a database integer: nothing to find


def _guard(request):
    if not can_import_plans(request.user):
        raise PermissionDenied("仅督查室可以导入方案")


def _record_or_404(import_id: int, queryset=None):
    if import_id > _MAX_ID:
        raise Http404("未找到该导入记录")
    return get_object_or_404(queryset if queryset is not None else PlanImport, pk=import_id)


@login_required
def upload(request):
    _guard(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            data = file.read()
            record = PlanImport(
                filename=file.name,
                data=data,
                size=len(data),
                year=form.cleaned_data["year"],
                plan_slug=form.cleaned_data["plan"] or "",
                uploaded_by=request.user,
            )
            try:
                preview(record)  # refuse what cannot be read before storing anything
            except (PlanParseError, ImportRefused) as error:
                form.add_error("file", str(error))
            else:
                record.save()
                return redirect("tasks:import_preview", import_id=record.pk)
        status = 400
    recent = PlanImport.objects.defer("data").select_related("uploaded_by", "plan")[:10]
    return render(
        request, "tasks/import_upload.html", {"form": form, "recent": recent}, status=status
    )


@login_required
def preview_page(request, import_id: int):
    _guard(request)
    record = _record_or_404(import_id)
    if record.state != PlanImport.State.UPLOADED:
        return redirect("tasks:import_status", import_id=record.pk)
    try:
        view = preview(record)
    except (PlanParseError, ImportRefused) as error:
        return render(request, "tasks/import_status.html", {"record": record, "error": str(error)})
    errors, posted = [], {}
    if request.method == "POST":
        choices, errors = read_choices(request.POST, view)
        if not errors:
            with transaction.atomic():
                locked = PlanImport.objects.select_for_update().get(pk=record.pk)
                if locked.state == PlanImport.State.UPLOADED:  # a double click queues once
                    locked.choices = choices
                    locked.state = PlanImport.State.QUEUED
                    locked.progress = 0
                    locked.save(update_fields=["choices", "state", "progress"])
                    jobs.request_import(locked)
            return redirect("tasks:import_status", import_id=record.pk)
        posted = request.POST
    context = {
        "record": record,
        "view": view,
        "errors": errors,
        "posted": posted,
        "departments": Department.objects.order_by("sort_order", "pk").values_list("pk", "name"),
        "unknown": [
            (index, name, posted.get(f"unit-{index}", "") if posted else "")
            for index, name in enumerate(view.unresolved)
        ],
        "leads": [
            (
                task,
                list(enumerate(task.responsible_units)),
                posted.getlist(f"lead-{task.number}") if posted else ["0"],
            )
            for task in view.open_leads
        ],
    }
    return render(request, "tasks/import_preview.html", context, status=400 if errors else 200)


@login_required
def status_page(request, import_id: int):
    _guard(request)
    record = _record_or_404(import_id, PlanImport.objects.defer("data").select_related("plan"))
    if request.GET.get("format") == "json" or request.headers.get("Accept", "").startswith(
        "application/json"
    ):
        return JsonResponse(
            {
                "state": record.state,
                "state_label": record.get_state_display(),
                "progress": record.progress,
                "error": record.last_error,
                "done": record.state in (PlanImport.State.DONE, PlanImport.State.FAILED),
                "url": reverse("tasks:import_status", args=[record.pk]),
            }
        )
    return render(request, "tasks/import_status.html", {"record": record})
