"""Demo deadline extensions (延期申请) on the 2022 plan: one approved, one refused.

Both are 区发展和改革局's, on tasks 张娅 leads, filed and decided in spring 2022 (so that the demo
read at AS_OF_DATE=2022-05-18 sees them as history), with reasons drawn from what the district's
year-end account (聊城日报 2022-12-27, shared seed 003) says of the two tasks:

- task 21 (光伏): the 国家能源集团 floating solar plant at 堂邑镇 (9.6亿元, 4475亩, 37万块组件),
  the largest one the group was building, was still under construction at the end of the year
  → an extension into 2023 is approved by the head, the office and 张娅;
- task 7 (项目建设): the 96 projects were all started or resumed and on pace → the office
  refuses the extension asked for.

Written directly (the workflow reads "now"; the demo needs its own dates), with the audit
records the workflow would have written. Run again, it changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from departments.models import Department

from .. import audit, revision
from ..models import ExtensionApplication, Plan, Task, TaskEvent

State = ExtensionApplication.State


def _at(day: str, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} {hour:02d}:30"))


def _event(task, kind, actor, at, summary, *, changes=None, reason="", obj=None):
    event = audit.record(
        task, kind, actor=actor, summary=summary, changes=changes, reason=reason, obj=obj
    )
    TaskEvent.objects.filter(pk=event.pk).update(at=at)


@transaction.atomic
def add_demo_extensions(plan: Plan | None = None) -> int:
    """Write the two demo applications; returns how many were written (0: already there or no
    demo accounts)."""
    plan = plan or Plan.objects.filter(year=2022).first()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["fgj", "fgj-head", "ducha", "zhangya"]
        )
    }
    unit = Department.objects.filter(name="区发展和改革局").first()
    if plan is None or unit is None or len(users) < 4:
        return 0
    tasks = {t.number: t for t in Task.objects.filter(plan=plan, number__in=["7", "21"])}
    if len(tasks) < 2 or ExtensionApplication.objects.filter(task__in=tasks.values()).exists():
        return 0
    staff, head, office, leader = (users[n] for n in ("fgj", "fgj-head", "ducha", "zhangya"))
    year_end = datetime.date(plan.year, 12, 31)

    solar = tasks["21"]
    approved = ExtensionApplication.objects.create(
        task=solar,
        unit=unit,
        applicant=staff,
        applied_at=_at("2022-04-25", 9),
        reason=(
            "国家能源集团聊城水上漂浮式光伏电站总投资9.6亿元，利用4475亩闲置水面，需安装37万块"
            "光伏组件，是集团在建最大的水上光伏项目，年内可完成锚固块安装，组件安装与并网发电"
            "需延续至下一年度。"
        ),
        year_note="项目为跨年度建设项目，申请延期至2023年6月底并网发电。",
        original_date=solar.deadline or year_end,
        requested_date=datetime.date(2023, 6, 30),
        state=State.APPROVED,
        unit_by=head,
        unit_at=_at("2022-04-26", 10),
        unit_note="情况属实，同意。",
        office_by=office,
        office_at=_at("2022-04-29", 15),
        office_note="经核实项目建设周期，同意延期，报牵头领导审批。",
        leader_by=leader,
        leader_at=_at("2022-05-06", 11),
        leader_note="同意。",
    )
    _event(
        solar,
        "extension.applied",
        staff,
        approved.applied_at,
        f"{unit.name}申请完成时限延期至 2023-06-30",
        changes={"完成时限（申请）": (approved.original_date, approved.requested_date)},
        reason=approved.reason + f"\n跨年度说明：{approved.year_note}",
        obj=approved,
    )
    _event(
        solar,
        "extension.approved",
        head,
        approved.unit_at,
        "单位审核同意完成时限延期，转待督查室审核",
        reason=approved.unit_note,
        obj=approved,
    )
    _event(
        solar,
        "extension.approved",
        office,
        approved.office_at,
        "督查室审核同意完成时限延期，转待领导审批",
        reason=approved.office_note,
        obj=approved,
    )
    _event(
        solar,
        "extension.approved",
        leader,
        approved.leader_at,
        "领导审批批准完成时限延期至 2023-06-30，延期生效",
        changes={"完成时限": (approved.original_date, approved.requested_date)},
        reason=approved.leader_note,
        obj=approved,
    )
    Task.objects.filter(pk=solar.pk).update(extended_deadline=approved.requested_date)

    projects = tasks["7"]
    refused = ExtensionApplication.objects.create(
        task=projects,
        unit=unit,
        applicant=staff,
        applied_at=_at("2022-05-06", 9),
        reason="受疫情影响，部分重点项目开工推迟，申请将完成时限延至2023年3月底。",
        year_note="部分项目建设跨年度。",
        original_date=projects.deadline or year_end,
        requested_date=datetime.date(2023, 3, 31),
        state=State.REFUSED,
        unit_by=head,
        unit_at=_at("2022-05-07", 10),
        office_by=office,
        office_at=_at("2022-05-12", 16),
        office_note=(
            "重点项目开工复工和投资进度总体正常，省、市级重点项目均已开工，不具备延期条件，"
            "请按原时限推进。"
        ),
    )
    _event(
        projects,
        "extension.applied",
        staff,
        refused.applied_at,
        f"{unit.name}申请完成时限延期至 2023-03-31",
        changes={"完成时限（申请）": (refused.original_date, refused.requested_date)},
        reason=refused.reason + f"\n跨年度说明：{refused.year_note}",
        obj=refused,
    )
    _event(
        projects,
        "extension.approved",
        head,
        refused.unit_at,
        "单位审核同意完成时限延期，转待督查室审核",
        obj=refused,
    )
    _event(
        projects,
        "extension.refused",
        office,
        refused.office_at,
        "督查室审核驳回完成时限延期申请",
        reason=refused.office_note,
        obj=refused,
    )
    revision.bump()  # update() sends no signal
    return 2
