"""Importing a plan from the browser: the preview, the office's choices, and applying them.

The flow (tasks.import_views, tasks.jobs): upload → ``preview`` (parse and a dry-run load, the
same as ``import_plan --dry-run``) → the office maps or creates every unknown unit name and
chooses lead units where the document left it open (``read_choices``) → a Celery job runs
``apply_import``: aliases for the mapped names, then the loader, in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from departments.models import Department, DepartmentAlias
from departments.naming import normalize_name
from departments.resolver import UnitResolver

from ..indicators import extract_indicators
from ..models import PlanImport
from .deadlines import parse_deadline
from .documents import read_document
from .loader import ImportResult, load_plan
from .nodes import parse_nodes
from .parser import ParsedPlan
from .responsibility import choose_leads

logger = logging.getLogger(__name__)
NEW = "new"


@dataclass
class Preview:
    parsed: ParsedPlan
    result: ImportResult  # what a load would do (dry run), before the office's choices
    unresolved: list[str]  # unknown names, in document order
    open_leads: list  # tasks whose 责任单位 have no lead rule
    rows: list[dict] = field(default_factory=list)  # one per task, for the table


def preview(upload: PlanImport) -> Preview:
    """Parse the stored file and dry-run the load. Raises PlanParseError / ImportRefused."""
    parsed, text = read_document(upload.filename, bytes(upload.data))
    result = load_plan(
        choose_leads(parsed, {}),
        source_text=text,
        year=upload.year,
        slug=upload.plan_slug or None,
        dry_run=True,
    )
    # load_plan has refused (ImportRefused) a file that drops tasks with reports or instructions.
    year = upload.year or parsed.year
    doubts_by_task: dict[str, list] = {}
    for doubt in parsed.doubts:
        doubts_by_task.setdefault(doubt.task_number, []).append(doubt)
    sections = {s.number: s.title for s in parsed.sections}
    rows = [
        {
            "task": task,
            "section": sections.get(task.section_number, ""),
            "deadline": parse_deadline(task.deadline, year),
            "nodes": (nodes := parse_nodes(task.deadline, year)),
            "nodes_spread": any(not n.percent_given for n in nodes),
            "indicators": extract_indicators(task.text),
            "doubts": doubts_by_task.get(task.number, []),
            "unknown": [
                n
                for n in (*task.lead_units, *task.cooperating_units, *task.responsible_units)
                if n in result.unresolved
            ],
        }
        for task in parsed.tasks
    ]
    return Preview(
        parsed=parsed,
        result=result,
        unresolved=list(result.unresolved),
        open_leads=[task for task in parsed.tasks if task.responsible_units],
        rows=rows,
    )


def read_choices(post, view: Preview) -> tuple[dict, list[str]]:
    """The office's answers from the confirm form, checked against the preview; (choices,
    errors in Chinese). Field names are positions, never names typed by the client."""
    errors: list[str] = []
    units: dict[str, str | int] = {}
    departments = set(Department.objects.values_list("pk", flat=True))
    create_rest = post.get("create_rest") == "1"
    for index, name in enumerate(view.unresolved):
        value = (post.get(f"unit-{index}") or "").strip()
        if not value and create_rest:
            value = NEW
        if value == NEW:
            units[name] = NEW
        elif value.isascii() and value.isdigit() and len(value) < 10 and int(value) in departments:
            units[name] = int(value)
        elif not value:
            errors.append(f"请为“{name}”选择：对应已有单位，或新建单位")
        else:
            errors.append(f"“{name}”的选择无效，请重新选择")
    leads: dict[str, list[str]] = {}
    for task in view.open_leads:
        picked = post.getlist(f"lead-{task.number}") if hasattr(post, "getlist") else []
        names = []
        for value in picked:
            if value.isascii() and value.isdigit() and int(value) < len(task.responsible_units):
                names.append(task.responsible_units[int(value)])
            else:
                errors.append(f"任务 {task.number} 的牵头单位选择无效")
        if not names:
            errors.append(f"请为任务 {task.number} 选择至少一个牵头单位")
        leads[task.number] = names
    return {"units": units, "leads": leads}, errors


def apply_import(upload: PlanImport, on_progress=lambda percent: None) -> ImportResult:
    """Aliases for the mapped names, then the load, in one transaction."""
    parsed, text = read_document(upload.filename, bytes(upload.data))
    on_progress(30)
    parsed = choose_leads(parsed, upload.choices.get("leads", {}))
    with transaction.atomic():
        aliases = _register_aliases(upload.choices.get("units", {}))
        on_progress(50)
        # load_plan refuses (ImportRefused, in Chinese) a file that drops tasks with reports.
        result = load_plan(
            parsed, source_text=text, year=upload.year, slug=upload.plan_slug or None
        )
    result.aliases_added = aliases
    return result


def _register_aliases(units: dict) -> list[str]:
    """Each name mapped to an existing unit becomes that unit's alias (unless it resolves)."""
    resolver = UnitResolver.load()
    added = []
    for name, target in units.items():
        if target == NEW or resolver.resolve(name) is not None:
            continue
        department = Department.objects.filter(pk=target).first()
        if department is None:
            continue  # deleted meanwhile: the loader creates the unit instead
        DepartmentAlias.objects.create(department=department, name=normalize_name(name)[:100])
        added.append(f"{name} → {department.name}")
    return added


def result_summary(result: ImportResult) -> dict:
    return {
        "plan_slug": result.plan_slug,
        "plan_created": result.plan_created,
        "plan_updated": result.plan_updated,
        "tasks_created": result.tasks_created,
        "tasks_updated": result.tasks_updated,
        "tasks_unchanged": result.tasks_unchanged,
        "tasks_deleted": result.tasks_deleted,
        "leaders_created": result.leaders_created,
        "units_created": result.units_created,
        "aliases_added": getattr(result, "aliases_added", []),
    }
