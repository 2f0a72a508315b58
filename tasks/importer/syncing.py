"""After a plan's tasks are written: parents, deadlines and extracted indicators brought in line.

Part of the loader (``tasks.importer.loader``), run inside its transaction.
"""

from ..indicators import extract_indicators
from ..models import Indicator, Plan, Task
from .deadlines import parse_deadline
from .nodes import parse_nodes
from .parser import ParsedPlan
from .results import ImportResult


def sync_indicators(task: Task) -> bool:
    """Bring the task's extracted indicators in line with its text; True if anything changed.

    Updated in place, matched by name and unit: deleting and recreating would cascade to the
    actual values units reported. Indicators the office edited, or that carry reported values,
    are never removed; a task whose indicators the office edited is left alone entirely.
    """
    existing = list(task.indicators.all())
    if any(i.edited_by_office for i in existing):
        return False
    wanted = extract_indicators(task.text)
    by_key = {(i.name, i.unit): i for i in existing}
    changed = False
    kept = set()
    for position, parsed in enumerate(wanted, start=1):
        fields = {
            "comparator": parsed.comparator,
            "target": parsed.target,
            "kind": parsed.kind,
            "phrase": parsed.phrase[:200],
            "position": position,
        }
        current = by_key.get((parsed.name[:100], parsed.unit[:20]))
        if current is None:
            current = Indicator.objects.create(
                task=task, name=parsed.name[:100], unit=parsed.unit[:20], **fields
            )
            changed = True
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.save()
            changed = True
        kept.add(current.pk)
    for stale in existing:
        if stale.pk not in kept and not stale.values.exists():
            stale.delete()
            changed = True
    return changed


def link_parents(parsed: ParsedPlan, by_number: dict[str, Task], result: ImportResult):
    for parsed_task in parsed.tasks:
        task = by_number[parsed_task.number]
        parent = by_number.get(parsed_task.parent_number) if parsed_task.parent_number else None
        parent_id = parent.pk if parent else None
        if task.parent_id != parent_id:
            task.parent_id = parent_id
            task.save(update_fields=["parent"])
            result.mark_updated(task.number)


def sync_deadlines(plan: Plan, parsed: ParsedPlan, by_number: dict[str, Task], result):
    """Each task's 完成时限 as a date (None: the plan's year end, or ongoing).

    A task whose document row states no 完成时限 keeps the deadline it has (set by hand)."""
    for parsed_task in parsed.tasks:
        task = by_number[parsed_task.number]
        if not parsed_task.deadline:
            continue
        wanted = parse_deadline(parsed_task.deadline, plan.year)
        if task.deadline != wanted:
            task.deadline = wanted
            task.save(update_fields=["deadline"])
            result.mark_updated(task.number)


def sync_nodes(plan: Plan, parsed: ParsedPlan, by_number: dict[str, Task], result):
    """Each task's node plan from its 时间节点 cell (tasks.importer.nodes), when it lists one.

    A cell that lists no node plan (one date, "全年") leaves the task's nodes alone (set on the
    task page); one that lists a different plan replaces them, recorded in the task's trail.
    """
    from .. import node_plans

    for parsed_task in parsed.tasks:
        nodes = parse_nodes(parsed_task.deadline, plan.year)
        if not nodes:
            continue
        task = by_number[parsed_task.number]
        wanted = [
            {"due": n.due, "description": n.description, "expected_percent": n.percent}
            for n in nodes
        ]
        if node_plans.save_plan(task, wanted, actor=None, reason="按方案文件导入", imported=True):
            result.mark_updated(task.number)
