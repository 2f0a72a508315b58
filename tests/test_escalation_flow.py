"""三色督办单: proposed by the weekly roll-up, confirmed and numbered by the office, answered by
the lead unit, resolved; every step in the audit trail, the people who must act told, the
document one page, bad input refused."""

import datetime
import io

import docx
from django.test import override_settings
from django.urls import reverse

from notifications.models import Notification
from reports import escalation_flow as flow
from reports import rollup
from reports.escalation_doc import notice_document
from reports.models import EscalationNotice
from tasks import audit
from tasks.models import Plan, TaskNode
from tasks.periods import parse_period_key

from .base import BaseTestCase, make_user
from .test_weekly_report import add_report

W20 = parse_period_key("2022-W20")


def lagging_weeks(case, task, weeks=("2022-W18", "2022-W19", "2022-W20"), percent=10):
    for key in weeks:
        add_report(task, case.drc, case.staff, period=key, percent=percent)


@override_settings(AS_OF_DATE="2022-05-20", ESCALATION_YELLOW_PERIODS=3)
class EscalationFlowTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        lagging_weeks(cls, cls.task["1"])  # 区发展和改革局 leads task 1, 张娅 in charge

    def proposed(self):
        return flow.propose(self.plan, W20)

    def test_three_lagging_weeks_make_the_roll_up_propose_a_yellow_notice_unsent(self):
        rollup.produce(self.plan, W20)
        notice = EscalationNotice.objects.get(task=self.task["1"])
        self.assertEqual((notice.color, notice.state, notice.number), ("yellow", "proposed", None))
        self.assertEqual(notice.facts, "连续3期滞后（第18周、第19周、第20周）")
        self.assertFalse(Notification.objects.filter(url__contains="/escalations/").exists())
        self.assertEqual(audit.trail_of(notice)[0].kind, "escalation.proposed")

    def test_two_lagging_weeks_propose_nothing(self):
        EscalationNotice.objects.all().delete()
        self.task["1"].reports.filter(period_key="2022-W18").delete()
        self.assertEqual([n.task_id for n in self.proposed() if n.task_id == self.task["1"].pk], [])

    def test_running_the_roll_up_twice_proposes_once(self):
        self.proposed()
        self.proposed()
        self.assertEqual(EscalationNotice.objects.filter(task=self.task["1"]).count(), 1)

    def test_an_overdue_node_makes_it_red_beside_the_open_yellow_one(self):
        self.proposed()
        TaskNode.objects.create(task=self.task["1"], due=datetime.date(2022, 4, 30),
                                description="完成选址", expected_percent=30)  # fmt: skip
        self.proposed()
        colors = set(
            EscalationNotice.objects.filter(task=self.task["1"]).values_list("color", flat=True)
        )
        self.assertEqual(colors, {"yellow", "red"})

    def test_confirming_numbers_dates_and_tells_the_lead_unit_and_the_leader(self):
        notice = next(n for n in self.proposed() if n.task_id == self.task["1"].pk)
        with self.captureOnCommitCallbacks(execute=True):
            notice = flow.confirm(notice, self.office)
        self.assertEqual(notice.number_text, "督办〔2022〕1号")
        self.assertEqual(notice.issued_on, datetime.date(2022, 5, 20))
        self.assertEqual(notice.reply_due, datetime.date(2022, 5, 25))
        self.assertEqual(notice.copy_to, "张娅")
        told = set(Notification.objects.filter(url=reverse("reports:escalation", args=[notice.pk]))
                   .values_list("user__username", flat=True))  # fmt: skip
        self.assertEqual(told, {"staff", "head", "leader"})
        self.assertEqual([e.kind for e in audit.trail_of(notice)],
                         ["escalation.proposed", "escalation.issued"])  # fmt: skip

    def test_numbers_run_per_plan(self):
        lagging_weeks(self, self.task["15"])
        notices = self.proposed()
        self.assertEqual(len(notices), 2)
        numbers = [flow.confirm(n, self.office).number for n in notices]
        self.assertEqual(numbers, [1, 2])

    @override_settings(ESCALATION_OFFICE_LEADER="梅永杰")
    def test_a_red_notice_is_copied_to_the_offices_own_leader_too(self):
        other = make_user("mei", leader=self.meiyongjie)
        TaskNode.objects.create(task=self.task["1"], due=datetime.date(2022, 4, 30),
                                description="完成选址", expected_percent=30)  # fmt: skip
        notice = next(n for n in self.proposed() if n.task_id == self.task["1"].pk)
        self.assertEqual(notice.color, "red")
        with self.captureOnCommitCallbacks(execute=True):
            notice = flow.confirm(notice, self.office)
        self.assertEqual(notice.copy_to, "张娅、梅永杰")
        self.assertTrue(Notification.objects.filter(user=other).exists())

    def test_confirming_twice_is_refused_and_keeps_the_number(self):
        notice = next(n for n in self.proposed() if n.task_id == self.task["1"].pk)
        flow.confirm(notice, self.office)
        with self.assertRaisesMessage(flow.Refused, "不能再次确认"):
            flow.confirm(notice, self.office)
        notice.refresh_from_db()
        self.assertEqual(notice.number, 1)

    def test_the_lead_unit_replies_with_measures_and_the_office_resolves(self):
        notice = flow.confirm(next(n for n in self.proposed() if n.task_id == self.task["1"].pk),
                              self.office)  # fmt: skip
        with self.assertRaisesMessage(flow.Refused, "请填写整改措施"):
            flow.reply(notice, self.staff, "  ")
        with self.assertRaisesMessage(flow.Refused, "尚未回复"):
            flow.resolve(notice, self.office)
        with self.assertRaisesMessage(flow.Refused, "牵头单位"):
            flow.reply(notice, self.town_staff, "已整改")
        with self.captureOnCommitCallbacks(execute=True):
            notice = flow.reply(notice, self.staff, "倒排工期，6月底前完成")
        self.assertTrue(
            Notification.objects.filter(user=self.office, title__contains="已回复").exists()
        )
        notice = flow.resolve(notice, self.office, "整改到位")
        self.assertEqual(notice.state, "resolved")
        self.assertEqual([e.kind for e in audit.trail_of(notice)][-2:],
                         ["escalation.replied", "escalation.resolved"])  # fmt: skip

    def test_the_notice_prints_as_a_word_document_with_task_facts_and_deadline(self):
        notice = flow.confirm(next(n for n in self.proposed() if n.task_id == self.task["1"].pk),
                              self.office)  # fmt: skip
        document = docx.Document(io.BytesIO(notice_document(notice)))
        self.assertEqual(document.paragraphs[0].text, "黄色督办单")
        self.assertEqual(document.paragraphs[1].text, "督办〔2022〕1号")
        form = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows[1:]}
        self.assertTrue(form["督办任务"].startswith("1. "))
        self.assertEqual(form["督办事由"], "连续3期滞后（第18周、第19周、第20周）")
        self.assertEqual(form["回复期限"], "2022年5月25日")

    def test_an_old_week_rebuilt_proposes_nothing(self):
        self.assertEqual(flow.propose_after_rollup(self.plan, parse_period_key("2022-W10")), [])


@override_settings(AS_OF_DATE="2022-05-20")
class EscalationPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        lagging_weeks(cls, cls.task["1"])
        cls.notice = next(n for n in flow.propose(cls.plan, W20) if n.task_id == cls.task["1"].pk)

    def post(self, user, name, **data):
        self.client.force_login(user)
        return self.client.post(reverse(f"reports:{name}", args=[self.notice.pk]), data)

    def test_the_office_confirms_and_a_double_click_does_not_number_twice(self):
        first = self.post(self.office, "escalation_confirm")
        self.assertEqual(first.status_code, 302)
        second = self.post(self.office, "escalation_confirm")
        self.assertContains(second, "不能再次确认", status_code=400)
        self.notice.refresh_from_db()
        self.assertEqual((self.notice.state, self.notice.number), ("issued", 1))

    def test_a_reply_without_measures_is_refused_with_a_message(self):
        self.post(self.office, "escalation_confirm")
        response = self.post(self.staff, "escalation_reply", measures="")
        self.assertContains(response, "请填写整改措施", status_code=400)
        response = self.post(self.staff, "escalation_reply", measures="倒排工期")
        self.assertEqual(response.status_code, 302)
        self.notice.refresh_from_db()
        self.assertEqual((self.notice.state, self.notice.measures), ("replied", "倒排工期"))

    def test_another_unit_cannot_see_or_reply_to_the_notice(self):
        self.post(self.office, "escalation_confirm")
        self.assertEqual(
            self.post(self.town_staff, "escalation_reply", measures="x").status_code, 404
        )
        self.client.force_login(self.town_staff)
        self.assertEqual(
            self.client.get(reverse("reports:escalation", args=[self.notice.pk])).status_code, 404
        )

    def test_a_proposal_is_the_offices_alone_until_confirmed(self):
        self.client.force_login(self.staff)
        url = reverse("reports:escalation", args=[self.notice.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.post(self.office, "escalation_confirm")
        self.client.force_login(self.staff)
        self.assertContains(self.client.get(url), "回复整改措施")

    def test_a_forged_id_is_not_found(self):
        self.client.force_login(self.office)
        for name in ("escalation", "escalation_document"):
            self.assertEqual(
                self.client.get(reverse(f"reports:{name}", args=[999999])).status_code, 404
            )
        response = self.client.post(reverse("reports:escalation_confirm", args=[999999]))
        self.assertEqual(response.status_code, 404)

    def test_not_issuing_needs_a_reason(self):
        response = self.post(self.office, "escalation_dismiss", note="")
        self.assertContains(response, "请填写不予督办的理由", status_code=400)
        self.assertEqual(
            self.post(self.office, "escalation_dismiss", note="已约谈").status_code, 302
        )
        self.notice.refresh_from_db()
        self.assertEqual(self.notice.state, "dismissed")

    def test_the_document_downloads_as_docx(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("reports:escalation_document", args=[self.notice.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("wordprocessingml", response["Content-Type"])
        self.assertTrue(b"".join(response.streaming_content).startswith(b"PK"))
