"""Correct the role stored on existing reports: a unit that leads is lead, however it is named.

Reports were stored as cooperating when the unit was named directly as cooperating and also
led through a unit group; progress reads lead reports only, so such reports never moved the
task's light. The role is now decided by tasks.unit_role alone (lead wins); this applies it to
the reports written before.
"""

import secrets
from collections import defaultdict

from django.db import migrations

from tasks.unit_role import unit_role


def correct_roles(apps, schema_editor):
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    TaskUnit = apps.get_model("tasks", "TaskUnit")
    DataRevision = apps.get_model("tasks", "DataRevision")
    Membership = apps.get_model("departments", "UnitGroup").members.through
    links = defaultdict(list)
    for link in TaskUnit.objects.values_list(
        "task_id", "role", "department_id", "group_id", named=True
    ).iterator():
        links[link.task_id].append(link)
    groups_of = defaultdict(set)
    for group_id, department_id in Membership.objects.values_list(
        "unitgroup_id", "department_id"
    ).iterator():
        groups_of[department_id].add(group_id)
    corrected = defaultdict(list)
    for pk, task_id, department_id, stored in ProgressReport.objects.values_list(
        "pk", "task_id", "department_id", "role"
    ).iterator():
        role = unit_role(links[task_id], department_id, groups_of[department_id])
        # None: the unit no longer has a part in the task; its report keeps the role it had.
        if role is not None and role != stored:
            corrected[role].append(pk)
    for role, ids in corrected.items():
        ProgressReport.objects.filter(pk__in=ids).update(role=role)
    if corrected:
        # Figures remembered by running processes (tasks.revision) must be computed afresh.
        DataRevision.objects.filter(pk=1).update(value=secrets.randbits(62))


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0002_district"),
        ("tasks", "0004_plan_import"),
    ]

    operations = [
        migrations.RunPython(correct_roles, migrations.RunPython.noop),
    ]
