"""Writes a parsed plan into the database: resolve names, then create or update in place.

The whole load runs in one transaction. A dry run executes exactly the same code and rolls
the transaction back, so what it reports is what a real import would do.
"""

import logging

from django.db import transaction

from departments.models import Department, UnitGroup
from departments.resolver import UnitResolver
from leaders.models import Leader

from .. import revision
from ..models import Plan, PlanSource, Section, Task, TaskLeader, TaskUnit
from .checks import ImportRefused, check_lengths, check_year, number_order
from .parser import ParsedPlan, ParsedTask
from .results import ImportResult
from .syncing import link_parents, sync_deadlines, sync_indicators, sync_nodes

logger = logging.getLogger(__name__)


class _DryRunRollback(Exception):
    pass


def load_plan(
    parsed: ParsedPlan,
    *,
    source_text: str,
    year: int | None = None,
    slug: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    change_year: bool = False,
) -> ImportResult:
    """Create or update the plan described by `parsed`; returns what was (or would be) done.

    A `year` that contradicts the document's own year, or the year of the plan being updated,
    is refused unless `change_year` says so explicitly (and never for a plan with reports).
    """
    check_year(parsed, year, slug, change_year)
    year = year or parsed.year
    if not year:
        raise ImportRefused(
            "无法从文件中识别年度，请用 --year 指定。",
            "The document names no year; pass --year.",
        )
    check_lengths(parsed)
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _load(parsed, source_text, year, slug, strict, result)
            revision.bump()  # bulk_create sends no signals
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    logger.info(
        "plan %s imported (dry_run=%s): %d tasks created, %d updated, %d deleted",
        result.plan_slug,
        dry_run,
        len(result.tasks_created),
        len(result.tasks_updated),
        len(result.tasks_deleted),
    )
    return result


def _load(parsed, source_text, year, slug, strict, result):
    resolver = UnitResolver.load()
    _collect_unresolved(parsed, resolver, result)
    if strict and result.unresolved:
        names = "、".join(result.unresolved)
        raise ImportRefused(
            f"以下单位名称无法识别，未导入任何内容：{names}。请先在单位别名中登记。",
            f"Unresolved unit names (strict mode): {', '.join(result.unresolved)}",
        )
    plan = _upsert_plan(parsed, source_text, year, slug, result)
    sections, stale_sections = _upsert_sections(plan, parsed, result)
    leaders = _leaders_by_name(parsed, result)
    _upsert_tasks(plan, parsed, sections, leaders, resolver, result)
    # Sections that left the document go once their tasks have gone.
    for section in stale_sections:
        section.delete()


def _collect_unresolved(parsed: ParsedPlan, resolver: UnitResolver, result: ImportResult):
    for task in parsed.tasks:
        for written in (*task.lead_units, *task.cooperating_units):
            if resolver.resolve(written) is None:
                result.unresolved.setdefault(written, []).append(task.number)


def _free_slug(year: int) -> str:
    candidate, n = str(year), 1
    while Plan.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{year}-{n}"
    return candidate


def _upsert_plan(parsed, source_text, year, slug, result) -> Plan:
    # The same document is recognised by its slug when given, else by year and title.
    if slug:
        plan = Plan.objects.filter(slug=slug).first()
    else:
        plan = Plan.objects.filter(year=year, title=parsed.title).first()
    wanted = {
        "year": year,
        "title": parsed.title,
        "doc_number": parsed.doc_number,
        "issued_on": parsed.issued_on,
    }
    if plan is None:
        plan = Plan.objects.create(slug=slug or _free_slug(year), **wanted)
        result.plan_created = True
    else:
        changed = [name for name, value in wanted.items() if getattr(plan, name) != value]
        if changed:
            for name in changed:
                setattr(plan, name, wanted[name])
            plan.save()
            result.plan_updated = True
    source, created = PlanSource.objects.get_or_create(plan=plan, defaults={"text": source_text})
    if not created and source.text != source_text:
        source.text = source_text
        source.save()
        result.plan_updated = True
    result.plan_slug = plan.slug
    return plan


def _upsert_sections(
    plan: Plan, parsed: ParsedPlan, result: ImportResult
) -> tuple[dict[str, Section], list[Section]]:
    existing = {s.number: s for s in plan.sections.all()}
    sections = {}
    for order, parsed_section in enumerate(parsed.sections, start=1):
        section = existing.pop(parsed_section.number, None)
        if section is None:
            section = Section.objects.create(
                plan=plan, number=parsed_section.number, title=parsed_section.title, order=order
            )
            result.sections_created += 1
        elif (section.title, section.order) != (parsed_section.title, order):
            section.title, section.order = parsed_section.title, order
            section.save()
            result.sections_updated += 1
        sections[parsed_section.number] = section
    if not parsed.sections:
        # A plan without headings still needs one section to hang its tasks on.
        section, created = Section.objects.get_or_create(
            plan=plan, number="一", defaults={"title": "重点工作任务", "order": 1}
        )
        result.sections_created += int(created)
        sections[""] = section
        existing.pop("一", None)
    return sections, list(existing.values())


def _leaders_by_name(parsed: ParsedPlan, result: ImportResult) -> dict[str, Leader]:
    names = list(dict.fromkeys(name for t in parsed.tasks for name in t.lead_leaders))
    leaders = {leader.name: leader for leader in Leader.objects.filter(name__in=names)}
    next_order = (
        Leader.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    )
    for name in names:
        if name not in leaders:
            next_order += 1
            leaders[name] = Leader.objects.create(name=name, sort_order=next_order)
            result.leaders_created.append(name)
    return leaders


def _wanted_units(task: ParsedTask, resolver: UnitResolver, result: ImportResult) -> list[tuple]:
    rows = []
    for role, names in (
        (TaskUnit.Role.LEAD, task.lead_units),
        (TaskUnit.Role.COOPERATING, task.cooperating_units),
    ):
        seen = set()
        position = 0
        for written in names:
            target = resolver.resolve(written)
            if target is None:
                target = resolver.create(written)
                result.units_created.append(target.name)
            key = (type(target).__name__, target.pk)
            if key in seen:
                # Two spellings of one unit in the same list: keep the first mention.
                continue
            seen.add(key)
            position += 1
            rows.append(
                (
                    role.value,
                    position,
                    target.pk if isinstance(target, Department) else None,
                    target.pk if isinstance(target, UnitGroup) else None,
                    written,
                )
            )
    return rows


def _upsert_tasks(plan, parsed, sections, leaders, resolver, result):
    existing = {
        t.number: t
        for t in plan.tasks.prefetch_related("leader_links", "unit_links").select_related("parent")
    }
    by_number: dict[str, Task] = {}
    for order, parsed_task in enumerate(parsed.tasks, start=1):
        section = sections[parsed_task.section_number or ""]
        wanted_leaders = [leaders[name].pk for name in parsed_task.lead_leaders]
        wanted_units = _wanted_units(parsed_task, resolver, result)
        task = existing.pop(parsed_task.number, None)
        if task is None:
            task = Task.objects.create(
                plan=plan,
                section=section,
                number=parsed_task.number,
                title=parsed_task.title[:200],
                text=parsed_task.text,
                sort_order=order,
            )
            result.tasks_created.append(task.number)
            _replace_responsibilities(task, wanted_leaders, wanted_units)
        else:
            changed = _update_fields(task, section, parsed_task, order)
            have_leaders = [link.leader_id for link in task.leader_links.all()]
            have_units = [
                (u.role, u.position, u.department_id, u.group_id, u.written_name)
                for u in sorted(task.unit_links.all(), key=lambda u: (u.role != "lead", u.position))
            ]
            if have_leaders != wanted_leaders or have_units != wanted_units:
                _replace_responsibilities(task, wanted_leaders, wanted_units)
                changed = True
            if changed:
                result.tasks_updated.append(task.number)
            else:
                result.tasks_unchanged += 1
        by_number[task.number] = task
    link_parents(parsed, by_number, result)
    sync_deadlines(plan, parsed, by_number, result)
    sync_nodes(plan, parsed, by_number, result)
    for task in by_number.values():
        if sync_indicators(task):
            result.mark_updated(task.number)
    reported = sorted(
        {t.number for t in existing.values() if t.reports.exists() or t.instructions.exists()},
        key=number_order,
    )
    if reported:
        names = "、".join(reported)
        raise ImportRefused(
            f"新文件中没有任务 {names}，但这些任务已有单位填报的进展或领导批示，不能删除；未写入任何内容。"
            "请核对文件是否完整，或先由督查室处理这些任务的报告和批示。",
            f"The document drops tasks that have reports: {', '.join(reported)}",
        )
    for stale in existing.values():
        result.tasks_deleted.append(stale.number)
        stale.delete()


def _update_fields(task: Task, section: Section, parsed_task: ParsedTask, order: int) -> bool:
    wanted = {
        "section_id": section.pk,
        "title": parsed_task.title[:200],
        "text": parsed_task.text,
        "sort_order": order,
    }
    changed = [name for name, value in wanted.items() if getattr(task, name) != value]
    for name in changed:
        setattr(task, name, wanted[name])
    if changed:
        task.save(update_fields=changed)
    return bool(changed)


def _replace_responsibilities(task: Task, leader_ids: list[int], unit_rows: list[tuple]):
    task.leader_links.all().delete()
    task.unit_links.all().delete()
    TaskLeader.objects.bulk_create(
        TaskLeader(task=task, leader_id=leader_id, position=i)
        for i, leader_id in enumerate(leader_ids, start=1)
    )
    TaskUnit.objects.bulk_create(
        TaskUnit(
            task=task,
            role=role,
            position=position,
            department_id=department_id,
            group_id=group_id,
            written_name=written,
        )
        for role, position, department_id, group_id, written in unit_rows
    )
