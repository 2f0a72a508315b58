"""A synthetic plan N times the size of the 2022 one, for query-count and load checks."""

import datetime

from departments.models import Department, UnitGroup
from leaders.models import Leader
from tasks.models import Plan, ProgressReport, Section, Task, TaskLeader, TaskUnit
from tasks.periods import parse_period_key


def build_plan(
    *,
    slug: str,
    year: int,
    tasks: int,
    sections: int = 8,
    reports_for=None,
    period_key: str | None = None,
    author=None,
) -> Plan:
    """A plan shaped like the real one: every task has a leader, a lead unit and a group.

    Lead units rotate over all departments; 张娅 leads every third task; 区发展和改革局 leads
    every fourth. With `reports_for` (a department) and `period_key`, that department reports
    on every task it leads, so pages have reports to show at any size.
    """
    plan = Plan.objects.create(slug=slug, year=year, title=f"{year}年合成方案（{tasks} 项）")
    section_rows = Section.objects.bulk_create(
        Section(plan=plan, number=str(i + 1), title=f"第{i + 1}部分", order=i + 1)
        for i in range(sections)
    )
    task_rows = Task.objects.bulk_create(
        Task(
            plan=plan,
            section=section_rows[i * sections // tasks],
            number=str(i + 1),
            text=f"合成任务 {i + 1}：推进重点工作，新增企业 {i % 20 + 1} 家。",
            sort_order=i + 1,
        )
        for i in range(tasks)
    )
    departments = list(Department.objects.filter(kind__in=["bureau", "centre"]).order_by("pk"))
    leaders = list(Leader.objects.order_by("pk"))
    zhangya = Leader.objects.get(name="张娅")
    drc = Department.objects.get(name="区发展和改革局")
    towns = UnitGroup.objects.get(name="各镇政府（街道办事处）")
    leader_links, unit_links = [], []
    for i, task in enumerate(task_rows):
        leader = zhangya if i % 3 == 0 else leaders[i % len(leaders)]
        leader_links.append(TaskLeader(task=task, leader=leader, position=1))
        lead = drc if i % 4 == 0 else departments[i % len(departments)]
        unit_links.append(
            TaskUnit(task=task, role="lead", position=1, department=lead, written_name=lead.name)
        )
        unit_links.append(
            TaskUnit(
                task=task, role="cooperating", position=1, group=towns, written_name=towns.name
            )
        )
    TaskLeader.objects.bulk_create(leader_links)
    TaskUnit.objects.bulk_create(unit_links)
    if reports_for is not None and period_key:
        period = parse_period_key(period_key)
        led = Task.objects.filter(
            plan=plan, unit_links__department=reports_for, unit_links__role="lead"
        )
        ProgressReport.objects.bulk_create(
            lead_report(
                task,
                reports_for,
                period.key,
                author,
                progress="合成进展",
                percent=30,
                submitted_at=datetime.datetime.combine(
                    period.start, datetime.time(9), tzinfo=datetime.UTC
                ),
            )
            for task in led
        )
    return plan


def real_and_big(unit: Department, author) -> tuple[Plan, Plan]:
    """The two sizes the query-count tests compare (tests/test_query_counts*.py): the shipped
    2022 plan (146 tasks), given the kind of W20 reports by `unit` that the synthetic plan
    has, and made inactive; and a synthetic plan of 1,460 tasks of the same shape, active in
    the same year. bulk_create sends no signals: the data revision is moved by hand."""
    from tasks import revision

    real = Plan.objects.get(year=2022)
    period_key = "2022-W20"
    ProgressReport.objects.bulk_create(
        lead_report(t, unit, period_key, author, percent=30)
        for t in Task.objects.filter(
            plan=real, unit_links__department=unit, unit_links__role="lead"
        )
    )
    revision.bump()
    real.is_active = False  # the synthetic plan is the active one in its own year
    real.save()
    big = build_plan(
        slug="big", year=2022, tasks=1460, reports_for=unit, period_key=period_key, author=author
    )
    revision.bump()
    return real, big


def lead_report(task, unit, period_key: str, author, *, state="submitted", **fields):
    """A lead unit's report of one period (not saved): 进展 written, `fields` on top."""
    period = parse_period_key(period_key)
    return ProgressReport(
        task=task,
        department=unit,
        role="lead",
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        state=state,
        progress=fields.pop("progress", "进展"),
        created_by=author,
        updated_by=author,
        **fields,
    )
