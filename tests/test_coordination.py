"""需协调事项: opened from a report's 存在问题 on submission (never on a draft), answered with a
批示 or a unit's reply, closed with a note, reopened; bad input and double clicks."""

import datetime

from django.test import override_settings
from django.urls import reverse

from leaders.models import CoordinationItem, Instruction
from notifications.models import Notification
from tasks import audit, coordination_figures
from tasks.models import ProgressReport, TaskEvent

from .base import BaseTestCase
from .coordination_objects import Kind, State, item

ON_TIME = override_settings(AS_OF_DATE="2022-05-18")


@ON_TIME
class OpeningFromAReportTests(BaseTestCase):
    def url(self, number="15"):
        return reverse("tasks:report", args=["2022", number]) + "?period=2022-W20"

    def post(self, action="submit", version=0, **fields):
        data = {
            "progress": "完成项目前期手续。",
            "problems": "项目用地指标不足，需区领导协调自然资源部门。",
            "next_steps": "继续推进。",
            "percent": "40",
            "version": version,
            "action": action,
            **fields,
        }
        return self.client.post(self.url(), data)

    def report(self):
        return ProgressReport.objects.get(task=self.task["15"], department=self.drc)

    def test_a_draft_keeps_the_ask_and_the_submission_opens_the_item_with_the_lead_leaders(self):
        self.client.force_login(self.staff)
        self.post(action="save", coordination_kind="leader")
        report = self.report()
        self.assertEqual(report.coordination_ask, {"kind": "leader", "units": []})
        self.assertFalse(CoordinationItem.objects.exists())  # not on a draft
        response = self.client.get(self.url())
        self.assertContains(response, 'value="leader" id="id_coordination_kind_1" checked')
        self.post(version=report.version, coordination_kind="leader")
        opened = CoordinationItem.objects.get()
        self.assertEqual(opened.state, State.OPEN)
        self.assertEqual(opened.report, self.report())
        self.assertEqual(opened.text, "项目用地指标不足，需区领导协调自然资源部门。")
        leads = set(self.task["15"].leader_links.values_list("leader_id", flat=True))
        self.assertEqual(set(opened.leaders.values_list("pk", flat=True)), leads)
        # 10 working days after Wednesday 18 May 2022: Wednesday 1 June.
        self.assertEqual(opened.due, datetime.date(2022, 6, 1))
        self.assertEqual([e.kind for e in audit.trail_of(opened)], ["coordination.opened"])

    def test_a_department_ask_names_units_and_a_forged_unit_id_is_refused_with_nothing_written(
        self,
    ):
        self.client.force_login(self.staff)
        response = self.post(coordination_kind="department", coordination_units=["999999"])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ProgressReport.objects.exists())
        response = self.post(coordination_kind="department")
        self.assertContains(response, "请选择需要协调的单位", status_code=400)
        response = self.post(coordination_kind="bogus")
        self.assertEqual(response.status_code, 400)
        units = [str(self.drc.pk), str(self.town.pk)]  # its own unit is left out
        self.post(coordination_kind="department", coordination_units=units)
        opened = CoordinationItem.objects.get()
        self.assertEqual(list(opened.units.all()), [self.town])
        self.assertFalse(opened.leaders.exists())

    def test_an_ask_without_a_problem_written_is_refused(self):
        self.client.force_login(self.staff)
        response = self.post(coordination_kind="leader", problems="  ")
        self.assertContains(response, "需要协调时请在", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())

    def test_a_report_returned_and_submitted_again_updates_its_item_instead_of_adding_one(self):
        self.client.force_login(self.staff)
        self.post(coordination_kind="leader")
        report = self.report()
        report.state, report.version = "returned", report.version + 1
        report.save()
        self.post(version=report.version, coordination_kind="leader", problems="资金缺口两千万。")
        opened = CoordinationItem.objects.get()
        self.assertEqual(opened.text, "资金缺口两千万。")
        kinds = [e.kind for e in audit.trail_of(opened)]
        self.assertEqual(kinds, ["coordination.opened", "coordination.updated"])

    def test_the_leader_who_must_act_is_told(self):
        self.client.force_login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            self.post(coordination_kind="leader")
        self.assertTrue(
            Notification.objects.filter(user=self.leader, title__contains="需领导协调").exists()
        )


@ON_TIME
class LifecycleTests(BaseTestCase):
    def setUp(self):
        self.item = item(self, self.task["15"], self.drc, leaders=[self.zhangya])

    def act(self, user, action, **data):
        self.client.force_login(user)
        url = reverse("leaders:coordination_action", args=[self.item.pk, action])
        return self.client.post(url, data)

    def test_the_leader_answers_with_a_linked_instruction_and_the_unit_resolves_it(self):
        self.client.force_login(self.leader)
        write = reverse("leaders:instruction_write", args=["2022", "15"])
        page = self.client.get(write + f"?item={self.item.pk}")
        self.assertContains(page, f'name="item" value="{self.item.pk}"')
        self.client.post(
            write, {"text": "请自然资源局配合解决。", "action": "publish", "item": self.item.pk}
        )
        draft = Instruction.objects.get()
        self.assertEqual(draft.coordination_item, self.item)
        self.client.post(
            write,
            {"text": "请自然资源局配合解决。", "action": "publish", "confirm": "1", "id": draft.pk},
        )
        self.item.refresh_from_db()
        self.assertEqual(self.item.state, State.IN_PROGRESS)
        detail = self.client.get(self.item.get_absolute_url())
        self.assertContains(detail, "请自然资源局配合解决。")
        response = self.act(self.staff, "close", state="resolved", note="已落实用地指标。")
        self.assertRedirects(response, self.item.get_absolute_url(), fetch_redirect_response=False)
        self.item.refresh_from_db()
        self.assertEqual((self.item.state, self.item.note), (State.RESOLVED, "已落实用地指标。"))
        self.assertEqual(
            [e.kind for e in audit.trail_of(self.item)],
            ["coordination.answered", "coordination.closed"],
        )

    def test_closing_needs_a_note_and_a_known_outcome(self):
        response = self.act(self.staff, "close", state="resolved", note="  ")
        self.assertContains(response, "请填写办结说明", status_code=400)
        response = self.act(self.staff, "close", state="open", note="x")
        self.assertContains(response, "请选择", status_code=400)
        response = self.act(self.staff, "close", state="unresolvable", note="")
        self.assertContains(response, "请填写无法解决的原因", status_code=400)
        self.item.refresh_from_db()
        self.assertEqual(self.item.state, State.OPEN)
        self.assertFalse(TaskEvent.objects.exists())

    def test_a_double_click_closes_once_and_reopening_is_recorded_with_its_reason(self):
        self.act(self.staff, "close", state="resolved", note="已解决。")
        self.act(self.staff, "close", state="resolved", note="已解决。")
        self.assertEqual(len(audit.trail_of(self.item)), 1)
        response = self.act(self.staff, "reopen", note="")
        self.assertEqual(response.status_code, 400)
        self.act(self.office, "reopen", note="指标仍未下达。")
        self.act(self.office, "reopen", note="指标仍未下达。")
        self.item.refresh_from_db()
        self.assertEqual((self.item.state, self.item.reopened), (State.IN_PROGRESS, 1))
        self.assertIsNone(self.item.closed_at)
        reopened = audit.trail_of(self.item)[-1]
        self.assertEqual(
            (reopened.kind, reopened.reason), ("coordination.reopened", "指标仍未下达。")
        )
        self.assertEqual(len(audit.trail_of(self.item)), 2)

    def test_a_leader_may_not_link_an_instruction_to_an_item_he_need_not_act_on(self):
        other = item(self, self.task["15"], self.drc, leaders=[self.meiyongjie])
        self.client.force_login(self.leader)
        write = reverse("leaders:instruction_write", args=["2022", "15"])
        for forged in (other.pk, 999999, "abc"):
            response = self.client.post(write, {"text": "批示", "action": "draft", "item": forged})
            self.assertEqual(response.status_code, 400, forged)
        self.assertFalse(Instruction.objects.exists())

    def test_a_named_unit_replies_and_the_raising_unit_is_told(self):
        asked = item(self, self.task["15"], self.drc, kind=Kind.DEPARTMENT, units=[self.town])
        self.client.force_login(self.town_staff)
        url = reverse("leaders:coordination_action", args=[asked.pk, "reply"])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"note": "我镇已安排专人对接。"})
        asked.refresh_from_db()
        self.assertEqual(asked.state, State.IN_PROGRESS)
        self.assertTrue(Notification.objects.filter(user=self.staff).exists())
        response = self.client.post(url, {"note": "x" * 2001})
        self.assertEqual(response.status_code, 400)

    def test_overdue_items_count_against_the_named_units_that_did_not_act_in_time(self):
        plan = self.task["15"].plan
        late = item(self, self.task["15"], self.drc, kind=Kind.DEPARTMENT, units=[self.town])
        late.due = datetime.date(2022, 5, 10)
        late.save()
        in_time = item(self, self.task["15"], self.drc, kind=Kind.DEPARTMENT, units=[self.drc])
        in_time.due = datetime.date(2022, 5, 10)
        in_time.state, in_time.closed_at = State.RESOLVED, late.created_at.replace(day=9, month=5)
        in_time.save()
        found = coordination_figures.overdue_items_by_unit(
            plan, datetime.date(2022, 5, 1), datetime.date(2022, 5, 31)
        )
        self.assertEqual(found, {self.town.pk: 1})
