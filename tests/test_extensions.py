"""Deadline extensions (延期申请): applying, each step and refusal, what is refused, and the
rule that a task is judged on its original deadline until an extension is approved."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from common.once import DUPLICATE_MESSAGE, FIELD, new_token
from notifications.models import Notification
from tasks import extensions
from tasks.models import ExtensionApplication, ProgressReport, Task, TaskEvent, TaskNode
from tasks.progress import task_states
from tasks.status import Status

from .base import BaseTestCase, make_user

D = datetime.date
State = ExtensionApplication.State


def counted_report(case, task, percent, key="2022-W20", start="2022-05-16", end="2022-05-22"):
    return ProgressReport.objects.create(
        task=task,
        department=case.drc,
        role="lead",
        period_key=key,
        period_start=start,
        period_end=end,
        state="approved",
        percent=percent,
        progress="进展",
        created_by=case.staff,
        updated_by=case.staff,
    )


class ExtensionCase(BaseTestCase):
    """Task 1: 区发展和改革局 leads it, the towns cooperate (through a group), 张娅 leads it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.task1 = cls.task["1"]
        cls.task1.deadline = D(2022, 3, 31)
        cls.task1.save()
        cls.town_head = make_user("townhead", unit=cls.town, head=True)

    def apply(self, user=None, **kwargs):
        values = {"requested_date": D(2022, 9, 30), "reason": "资金未到位"}
        values.update(kwargs)
        return extensions.apply(task=self.task1, user=user or self.staff, **values)

    def decide(self, application, user, approve=True, note=""):
        application.refresh_from_db()
        return extensions.decide(
            application, user, approve=approve, note=note, shown_state=application.state
        )

    def approve_all(self, application):
        for user in (self.head, self.office, self.leader):
            application = self.decide(application, user)
        return application


class WorkflowTests(ExtensionCase):
    def test_an_application_by_staff_waits_for_the_unit_head_and_records_the_date_in_force(self):
        application = self.apply()
        self.assertEqual(application.state, State.PENDING_UNIT)
        self.assertEqual(application.original_date, D(2022, 3, 31))
        self.assertEqual(application.unit, self.drc)
        event = TaskEvent.objects.get(kind="extension.applied", object_id=application.pk)
        self.assertEqual(event.actor, self.staff)
        self.assertEqual(event.reason, "资金未到位")

    def test_head_office_and_leader_approve_in_turn_and_only_then_the_deadline_moves(self):
        application = self.apply()
        application = self.decide(application, self.head)
        self.assertEqual(application.state, State.PENDING_OFFICE)
        application = self.decide(application, self.office, note="同意")
        self.assertEqual(application.state, State.PENDING_LEADER)
        self.task1.refresh_from_db()
        self.assertIsNone(self.task1.extended_deadline)
        application = self.decide(application, self.leader)
        self.assertEqual(application.state, State.APPROVED)
        self.task1.refresh_from_db()
        self.assertEqual(self.task1.extended_deadline, D(2022, 9, 30))
        self.assertEqual(self.task1.deadline, D(2022, 3, 31))  # the original is kept for good
        approved = TaskEvent.objects.filter(kind="extension.approved", object_id=application.pk)
        self.assertEqual(approved.count(), 3)
        self.assertEqual(approved.last().changes, {"完成时限": ["2022-03-31", "2022-09-30"]})
        self.assertEqual(
            [application.unit_by, application.office_by, application.leader_by],
            [self.head, self.office, self.leader],
        )

    @override_settings(EXTENSION_LEADER_APPROVAL=False)
    def test_without_the_leader_step_the_office_approval_puts_the_new_date_in_force(self):
        application = self.decide(self.decide(self.apply(), self.head), self.office)
        self.assertEqual(application.state, State.APPROVED)
        self.task1.refresh_from_db()
        self.assertEqual(self.task1.extended_deadline, D(2022, 9, 30))

    def test_the_heads_own_application_goes_straight_to_the_office(self):
        application = self.apply(user=self.head)
        self.assertEqual(application.state, State.PENDING_OFFICE)
        self.assertEqual(application.unit_by, self.head)

    def test_each_step_can_refuse_with_a_reason_and_the_deadline_stays(self):
        for refuser in (self.head, self.office, self.leader):
            application = self.apply()
            for user in (self.head, self.office, self.leader):
                if user == refuser:
                    break
                application = self.decide(application, user)
            application = self.decide(application, refuser, approve=False, note="理由不充分")
            self.assertEqual(application.state, State.REFUSED)
            event = TaskEvent.objects.get(kind="extension.refused", object_id=application.pk)
            self.assertEqual(event.reason, "理由不充分")
        self.task1.refresh_from_db()
        self.assertIsNone(self.task1.extended_deadline)

    def test_a_refusal_without_a_reason_is_refused_and_changes_nothing(self):
        application = self.apply()
        with self.assertRaisesMessage(extensions.ExtensionError, "驳回时请写明理由"):
            self.decide(application, self.head, approve=False, note="  ")
        application.refresh_from_db()
        self.assertEqual(application.state, State.PENDING_UNIT)

    def test_a_second_extension_starts_from_the_approved_date(self):
        self.approve_all(self.apply())
        second = self.apply(requested_date=D(2022, 11, 30))
        self.assertEqual(second.original_date, D(2022, 9, 30))

    def test_a_node_extension_moves_only_that_nodes_date(self):
        node = TaskNode.objects.create(
            task=self.task1, due=D(2022, 3, 31), description="完成立项", expected_percent=30
        )
        application = self.approve_all(self.apply(node_id=node.pk, requested_date=D(2022, 4, 30)))
        node.refresh_from_db()
        self.task1.refresh_from_db()
        self.assertEqual(node.extended_due, D(2022, 4, 30))
        self.assertIsNone(self.task1.extended_deadline)
        self.assertEqual(application.subject, "节点“完成立项”")

    def test_each_step_tells_whoever_must_act_next(self):
        with self.captureOnCommitCallbacks(execute=True):
            application = self.apply()
        self.assertTrue(
            Notification.objects.filter(user=self.head, url__contains="extensions").exists()
        )
        with self.captureOnCommitCallbacks(execute=True):
            application = self.decide(application, self.head)
        self.assertTrue(
            Notification.objects.filter(user=self.office, title__contains="待督查室审核").exists()
        )
        with self.captureOnCommitCallbacks(execute=True):
            application = self.decide(application, self.office)
        self.assertTrue(
            Notification.objects.filter(user=self.leader, title__contains="待领导审批").exists()
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.decide(application, self.leader)
        self.assertTrue(
            Notification.objects.filter(user=self.staff, title__contains="已批准").exists()
        )


class RefusedInputTests(ExtensionCase):
    def assertRefused(self, message, field=None, **kwargs):
        with self.assertRaisesMessage(extensions.ExtensionError, message) as caught:
            self.apply(**kwargs)
        if field:
            self.assertEqual(caught.exception.field, field)
        self.assertFalse(ExtensionApplication.objects.exists())
        self.assertFalse(TaskEvent.objects.filter(kind__startswith="extension").exists())

    def test_a_new_date_not_after_the_current_one_is_refused(self):
        self.assertRefused(
            "须晚于现行时限 2022-03-31", "requested_date", requested_date=D(2022, 3, 31)
        )
        self.assertRefused("须晚于现行时限", "requested_date", requested_date=D(2022, 1, 5))

    def test_a_missing_date_or_reason_is_refused(self):
        self.assertRefused("请填写申请延期至的日期", "requested_date", requested_date=None)
        self.assertRefused("请填写延期理由", "reason", reason="   ")

    def test_a_date_beyond_the_plan_year_needs_a_cross_year_note(self):
        self.assertRefused("请填写跨年度说明", "year_note", requested_date=D(2023, 3, 31))
        application = self.apply(requested_date=D(2023, 3, 31), year_note="跨年项目")
        self.assertEqual(application.year_note, "跨年项目")

    def test_a_second_pending_application_is_refused_with_the_first_ones_state(self):
        self.apply()
        with self.assertRaisesMessage(
            extensions.ExtensionError, "已有一份延期申请正在审批中（待单位审核"
        ):
            self.apply(requested_date=D(2022, 10, 31))
        self.assertEqual(ExtensionApplication.objects.count(), 1)

    def test_the_database_itself_refuses_a_second_pending_application(self):
        first = self.apply()
        with self.assertRaises(IntegrityError), transaction.atomic():
            ExtensionApplication.objects.create(
                task=self.task1,
                unit=self.drc,
                applicant=self.staff,
                applied_at=first.applied_at,
                reason="x",
                original_date=D(2022, 3, 31),
                requested_date=D(2022, 5, 1),
                state=State.PENDING_OFFICE,
            )

    def test_a_closed_task_takes_no_application(self):
        Task.objects.filter(pk=self.task1.pk).update(closed_on=D(2022, 5, 1))
        self.assertRefused("已于 2022-05-01 办结")

    def test_a_node_of_another_task_is_refused(self):
        other = TaskNode.objects.create(
            task=self.task["15"], due=D(2022, 6, 30), description="开工", expected_percent=30
        )
        self.assertRefused("所选节点不属于本任务", "node", node_id=other.pk)

    def test_a_cooperating_unit_or_the_office_cannot_apply(self):
        for user in (self.town_staff, self.office, self.leader):
            with self.assertRaises(PermissionDenied):
                self.apply(user=user)
        self.assertFalse(ExtensionApplication.objects.exists())

    def test_deciding_an_application_not_at_your_step_is_refused(self):
        application = self.apply()
        for user in (self.office, self.leader, self.staff, self.town_head):
            with self.assertRaises(PermissionDenied):
                self.decide(application, user)
        application.refresh_from_db()
        self.assertEqual(application.state, State.PENDING_UNIT)

    def test_a_form_of_a_step_already_decided_is_not_applied_again(self):
        application = self.apply()
        self.decide(application, self.head)
        with self.assertRaisesMessage(
            extensions.ExtensionError, "该申请已处理（现为待督查室审核）"
        ):
            extensions.decide(
                application, self.office, approve=True, note="", shown_state=State.PENDING_UNIT
            )


@override_settings(AS_OF_DATE="2022-05-18")
class JudgedOnTheOriginalDateTests(ExtensionCase):
    """A 50 % report in week 20 (as of 18 May); the original deadline was 31 March."""

    def status(self):
        return task_states(self.task1.plan, D(2022, 5, 18), Task.objects.filter(pk=self.task1.pk))[
            self.task1.pk
        ]

    def setUp(self):
        counted_report(self, self.task1, 50)

    def test_past_its_original_deadline_an_unfinished_task_is_red(self):
        self.assertEqual(self.status().status, Status.SERIOUSLY_BEHIND)

    def test_a_pending_extension_changes_nothing_the_task_stays_red(self):
        application = self.apply(requested_date=D(2022, 12, 31))
        self.decide(self.decide(application, self.head), self.office)  # waits for the leader
        state = self.status()
        self.assertEqual(state.status, Status.SERIOUSLY_BEHIND)
        self.assertEqual(state.expected, 100.0)

    def test_once_approved_the_task_is_judged_on_the_new_date(self):
        self.approve_all(self.apply(requested_date=D(2022, 12, 31)))
        state = self.status()
        self.assertEqual(state.status, Status.ON_SCHEDULE)
        self.assertEqual(state.expected, 37.8)  # 138 of 365 days

    def test_a_refused_extension_leaves_the_task_red(self):
        application = self.decide(self.apply(requested_date=D(2022, 12, 31)), self.head)
        self.decide(application, self.office, approve=False, note="不符合延期条件")
        self.assertEqual(self.status().status, Status.SERIOUSLY_BEHIND)


@override_settings(AS_OF_DATE="2022-05-18")
class PageTests(ExtensionCase):
    def test_the_unit_applies_on_the_task_page_and_the_head_approves_there(self):
        self.client.force_login(self.staff)
        page = self.client.get(self.task1.get_absolute_url())
        self.assertContains(page, "提交延期申请")
        self.assertContains(page, "2022-03-31")
        url = reverse("tasks:extension_apply", args=["2022", "1"])
        response = self.client.post(url, {"requested_date": "2022-09-30", "reason": "资金未到位"})
        self.assertRedirects(response, self.task1.get_absolute_url() + "#extension")
        application = ExtensionApplication.objects.get()
        self.client.force_login(self.head)
        page = self.client.get(self.task1.get_absolute_url())
        self.assertContains(page, "同意延期")
        decide = reverse("tasks:extension_decide", args=[application.pk, "approve"])
        response = self.client.post(decide, {"step": "pending_unit"})
        self.assertRedirects(response, reverse("tasks:extension", args=[application.pk]))
        application.refresh_from_db()
        self.assertEqual(application.state, State.PENDING_OFFICE)

    def test_bad_input_is_a_400_with_the_reason_in_chinese_and_nothing_written(self):
        self.client.force_login(self.staff)
        url = reverse("tasks:extension_apply", args=["2022", "1"])
        cases = [
            ({"requested_date": "2022-03-01", "reason": "x"}, "须晚于现行时限"),
            ({"requested_date": "2022-09-30", "reason": ""}, "请填写延期理由"),
            ({"requested_date": "2023-09-30", "reason": "x"}, "请填写跨年度说明"),
            (
                {"requested_date": "2022-09-30", "reason": "x", "node": "99999"},
                "所选节点不属于本任务",
            ),
            (
                {"requested_date": "2022-09-30", "reason": "x", "node": "abc"},
                "所选节点不属于本任务",
            ),
            ({"requested_date": "not a date", "reason": "x"}, "日期"),
        ]
        for data, message in cases:
            response = self.client.post(url, data)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(ExtensionApplication.objects.exists())

    def test_a_refusal_without_a_reason_on_the_page_is_a_400(self):
        application = self.apply()
        self.client.force_login(self.head)
        decide = reverse("tasks:extension_decide", args=[application.pk, "refuse"])
        response = self.client.post(decide, {"step": "pending_unit", "note": ""})
        self.assertContains(response, "驳回时请写明理由", status_code=400)

    def test_the_office_list_shows_pending_first_with_counts_per_task_and_unit(self):
        self.approve_all(self.apply())
        self.apply(requested_date=D(2022, 11, 30))
        self.client.force_login(self.office)
        page = self.client.get(reverse("tasks:extensions"))
        body = page.content.decode()
        self.assertLess(body.index("待单位审核"), body.index("已批准</span>"))
        self.assertEqual([row["approved"] for row in page.context["per_unit"]], [1])
        self.assertEqual(page.context["table"].per_task, {self.task1.pk: 1})
        found = self.client.get(reverse("tasks:extensions"), {"q": "资金", "state": "approved"})
        self.assertEqual(found.context["table"].paginator.count, 1)


@override_settings(AS_OF_DATE="2022-05-18")
class ShownEverywhereTests(ExtensionCase):
    def setUp(self):
        Task.objects.filter(pk=self.task1.pk).update(extended_deadline=D(2022, 9, 30))

    def test_the_task_list_shows_the_original_and_the_approved_deadline(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("tasks:list"), {"q": "地区生产总值"})
        self.assertContains(page, "完成时限")
        self.assertContains(page, "2022-03-31</span><br>")
        self.assertContains(page, "延期至 2022-09-30")
        exported = self.client.get(reverse("tasks:list"), {"q": "地区生产总值", "_export": "xlsx"})
        self.assertEqual(exported.status_code, 200)

    def test_the_portfolio_and_the_task_page_show_both_dates(self):
        self.client.force_login(self.leader)
        page = self.client.get(reverse("leaders:portfolio", args=[self.zhangya.pk]))
        self.assertContains(page, "延期至 2022-09-30")
        page = self.client.get(self.task1.get_absolute_url())
        self.assertContains(page, "<dt>完成时限</dt><dd>2022-03-31</dd>", html=False)
        self.assertContains(page, "<strong>2022-09-30</strong>")


@override_settings(AS_OF_DATE="2022-05-18")
class DoubleClickTests(ExtensionCase):
    def test_a_double_click_on_apply_files_one_application(self):
        self.client.force_login(self.staff)
        url = reverse("tasks:extension_apply", args=["2022", "1"])
        data = {"requested_date": "2022-09-30", "reason": "资金未到位", FIELD: new_token()}
        first, second = self.client.post(url, data), self.client.post(url, data)
        self.assertEqual((first.status_code, second.status_code), (302, 302))
        self.assertEqual(ExtensionApplication.objects.count(), 1)
        self.assertEqual(TaskEvent.objects.filter(kind="extension.applied").count(), 1)
        # The same form sent again without its token: refused as a second pending one.
        data.pop(FIELD)
        self.assertContains(self.client.post(url, data), "正在审批中", status_code=400)

    def test_a_double_click_on_approve_moves_the_application_one_step(self):
        application = self.apply()
        self.client.force_login(self.head)
        url = reverse("tasks:extension_decide", args=[application.pk, "approve"])
        data = {"step": "pending_unit", FIELD: new_token()}
        self.client.post(url, data)
        second = self.client.post(url, data, follow=True)
        self.assertContains(second, DUPLICATE_MESSAGE)
        application.refresh_from_db()
        self.assertEqual(application.state, State.PENDING_OFFICE)
        self.assertEqual(TaskEvent.objects.filter(kind="extension.approved").count(), 1)
