"""Create the load accounts in the scratch database and write what the load needs as JSON.

Run by benchmarks/load.py (never against a real database):
    python -m benchmarks.load.make_accounts OUT.json PASSWORD

- 70 unit accounts (填报员), each in its own department among those with tasks (departments that
  lead tasks first), with up to 6 of the unit's tasks to browse and one task to report on
  (a task the unit leads; a task it cooperates on where it leads none);
- 12 leader sessions: 11 accounts linked to the 11 leaders of the 2022 plan (taking the link
  over from the demo account); Leader.user is one-to-one, so the 12th session is a second login
  of the busiest leader's account (its own session);
- 3 office accounts (督查室).
All share one password, hashed once (PBKDF2 at production strength: hashing 85 times would
take half a minute).
"""

import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from accounts.models import Profile  # noqa: E402
from departments.models import Department  # noqa: E402
from leaders.models import Leader  # noqa: E402
from tasks.access import involving_unit, unit_role_in  # noqa: E402
from tasks.models import Plan, Task, TaskUnit  # noqa: E402

UNITS = 70
LEADERS = 12
OFFICE = 3
BROWSE_TASKS = 6


def task_path(task: Task, suffix: str = "") -> str:
    return f"/tasks/{quote(task.plan.slug)}/{quote(task.number, safe='')}/{suffix}"


UNSET_PASSWORD = None  # create(UNSET_PASSWORD): accounts that cannot log in until one is set
DATABASE_PREFIXES = ("dudu_bench_", "dudu_province_bench")


@transaction.atomic
def create(password: str | None, plan_key: str = "2022") -> dict:
    """The accounts of one plan's users (benchmarks/province.py: one county's plan)."""
    rng = random.Random(2022)
    User = get_user_model()
    hashed = make_password(password)
    plan = Plan.objects.by_key(plan_key)
    tasks = Task.objects.filter(plan=plan).select_related("plan")

    # Departments with tasks: those leading most tasks directly first, then the rest by name.
    lead_counts = dict(
        TaskUnit.objects.filter(task__plan=plan, role=TaskUnit.Role.LEAD, department__isnull=False)
        .values("department")
        .annotate(n=Count("task", distinct=True))
        .values_list("department", "n")
    )
    candidates = []
    # The plan's own units: named in it directly or through one of its groups (in a province
    # database, the other counties' thousands of units are not asked).
    links = TaskUnit.objects.filter(task__plan=plan)
    own = Department.objects.filter(
        Q(pk__in=links.values("department")) | Q(groups__in=links.values("group"))
    ).distinct()
    for department in own.filter(is_active=True).order_by("sort_order", "pk"):
        visible = list(involving_unit(tasks, department).order_by("sort_order"))
        if visible:
            candidates.append((-lead_counts.get(department.pk, 0), department, visible))
    candidates.sort(key=lambda c: c[0])
    if len(candidates) < UNITS:
        raise SystemExit(f"only {len(candidates)} departments have tasks; {UNITS} needed")

    units, reported = [], {}
    for i, (_, department, visible) in enumerate(candidates[:UNITS], start=1):
        user = User.objects.create(
            username=f"load-unit-{i:02d}", first_name=f"压测填报员{i:02d}", password=hashed
        )
        Profile(
            user=user, department=department, is_reporter=True, must_change_password=False
        ).save()
        lead = [t for t in visible if unit_role_in(t, department) == TaskUnit.Role.LEAD]
        pool = lead or visible
        # Spread the reported tasks: the least chosen of the unit's candidates.
        report_task = min(pool, key=lambda t: (reported.get(t.pk, 0), t.sort_order))
        reported[report_task.pk] = reported.get(report_task.pk, 0) + 1
        browse = rng.sample(visible, min(BROWSE_TASKS, len(visible)))
        units.append(
            {
                "username": user.username,
                "department": department.name,
                "tasks_visible": len(visible),
                "leads_report_task": bool(lead),
                "task_paths": [task_path(t) for t in browse],
                "report_path": task_path(report_task, "report/"),
            }
        )

    leaders = list(
        Leader.objects.annotate(n=Count("task_links", filter=Q(task_links__task__plan=plan)))
        .filter(n__gt=0)
        .order_by("-n", "sort_order", "pk")
    )
    leader_sessions = []
    for i, leader in enumerate(leaders, start=1):
        user = User.objects.create(
            username=f"load-leader-{i:02d}", first_name=leader.name, password=hashed
        )
        Profile(user=user, must_change_password=False).save()
        leader.user = user  # takes the link over from a demo account, in this scratch database
        leader.save()
        leader_sessions.append(
            {"username": user.username, "portfolio_path": f"/leaders/{leader.pk}/"}
        )
    # Leader.user is one-to-one: sessions beyond the number of leaders are further logins of
    # the accounts of the busiest leaders (each login is its own session).
    for i in range(LEADERS - len(leader_sessions)):
        leader_sessions.append(dict(leader_sessions[i % len(leaders)]))

    office = []
    for i in range(1, OFFICE + 1):
        user = User.objects.create(
            username=f"load-office-{i}", first_name=f"压测督查室{i}", password=hashed
        )
        Profile(user=user, is_office=True, must_change_password=False).save()
        office.append({"username": user.username})

    return {
        "plan": plan.slug,
        "units": units,
        "leaders": leader_sessions,
        "office": office,
        "leader_records": len(leaders),
    }


def set_password(password: str) -> int:
    """Give every load account (made earlier, e.g. by benchmarks/province.py) this password."""
    User = get_user_model()
    return User.objects.filter(username__startswith="load-").update(
        password=make_password(password)
    )


def main():
    out, password = sys.argv[1], sys.argv[2]
    plan_key = sys.argv[3] if len(sys.argv) > 3 else "2022"
    name = connection.settings_dict["NAME"]
    if not str(name).startswith(DATABASE_PREFIXES):
        raise SystemExit(f"refusing to add load accounts to {name!r}: not a scratch database")
    User = get_user_model()
    if User.objects.filter(username__startswith="load-").exists():
        # Already made (a province database): take them over with a fresh password.
        User.objects.filter(username__startswith="load-").delete()
    data = create(password, plan_key)
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    lead = sum(1 for u in data["units"] if u["leads_report_task"])
    print(
        f"load accounts: {len(data['units'])} unit ({lead} report on a task they lead), "
        f"{len(data['leaders'])} leader sessions over {data['leader_records']} leaders, "
        f"{len(data['office'])} office"
    )


if __name__ == "__main__":
    main()
