"""A unit's part in a task, 牵头 (lead) or 配合 (cooperating): the one rule, in plain Python.

A task names its responsible units as links: each link has a role and names one department or
one unit group (各镇政府（街道办事处） …). A unit's role in the task is

- lead, when any link makes it lead: named directly as lead unit, or a member of a group named
  as lead unit, whatever else names it (lead wins);
- cooperating, when links name it, directly or through a group, but none as lead;
- none, when no link names it.

Every place that needs the role asks `unit_role` (tasks.access for a task's page and the report
form, tasks.reporting for the role stored on a report, tasks.duties for who owes what, the
unit's task table, and the data migration that corrected the stored roles). No Django here:
the caller passes the links it has already read.
"""

from collections.abc import Collection, Iterable
from typing import Protocol

LEAD = "lead"
COOPERATING = "cooperating"


class Link(Protocol):
    """What the rule reads of a link (a TaskUnit row has these attributes)."""

    role: str
    department_id: int | None
    group_id: int | None


def unit_role(links: Iterable[Link], unit_id: int, group_ids: Collection[int]) -> str | None:
    """LEAD, COOPERATING or None for the unit `unit_id` among one task's `links`.

    `group_ids` are the unit groups the unit belongs to (at least those among the links).
    """
    roles = {
        link.role
        for link in links
        if (link.department_id is not None and link.department_id == unit_id)
        or (link.group_id is not None and link.group_id in group_ids)
    }
    if LEAD in roles:
        return LEAD
    if COOPERATING in roles:
        return COOPERATING
    return None
