"""Leaders' instructions (批示): drafts, publishing, acknowledgement (已阅) by the units concerned.

Task 19 of 2022: lead leader 张娅; lead units 区发展和改革局, 区工业和信息化局; cooperating
units 区行政审批服务局, 区自然资源和规划分局 (named directly) and two groups (堂邑镇 is in
各相关镇政府（街道办事处）: it reads the task but is not asked to acknowledge).
Task 44: lead leaders 梅永杰, 刘兆华, 张娅; lead units include 区发展和改革局.
"""

from unittest import mock

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import person_of
from departments.models import Department
from leaders.instructions import (
    InstructionError,
    _units_by_task,
    acknowledge,
    acknowledgement_status,
    awaiting_acknowledgement,
    can_acknowledge,
    can_write_instruction,
    instructions_visible_to,
    pending_for_unit,
    published_recipients,
    save_instruction,
    task_instruction_context,
    units_to_acknowledge,
)
from leaders.models import Acknowledgement, Instruction
from leaders.signals import instruction_published
from leaders.unit_panels import unit_pending_context
from tasks.duties import expected_reporters
from tasks.models import Plan, Task

from .base import BaseTestCase, make_user


class InstructionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.task19 = Task.objects.select_related("plan").get(plan=cls.plan, number="19")
        cls.task44 = Task.objects.select_related("plan").get(plan=cls.plan, number="44")
        cls.miit = Department.objects.get(name="区工业和信息化局")
        cls.approval = Department.objects.get(name="区行政审批服务局")
        cls.land = Department.objects.get(name="区自然资源和规划分局")
        cls.mei = make_user("mei", leader=cls.meiyongjie)
        cls.approval_staff = make_user("approval", unit=cls.approval, reporter=True)

    # --- helpers --------------------------------------------------------------------------

    def fresh(self, user):
        """A user object as a new request sees it (no cached person)."""
        return type(user).objects.get(pk=user.pk)

    def publish(self, text="请抓紧推进，按期完成。", task=None, user=None):
        return save_instruction(
            self.fresh(user or self.leader), task or self.task19, text, publish=True
        )

    def write_url(self, task=None, **params):
        task = task or self.task19
        url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
        if params:
            url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return url

    def detail_url(self, instruction):
        return reverse("leaders:instruction_detail", args=[instruction.pk])

    def ack_url(self, instruction):
        return reverse("leaders:instruction_acknowledge", args=[instruction.pk])

    def as_user(self, user):
        self.client.force_login(user)
        return self.client

    # --- who must acknowledge -------------------------------------------------------------

    def test_units_to_acknowledge_are_the_expected_reporters_of_every_task(self):
        tasks = Task.objects.filter(plan=self.plan)
        expected = expected_reporters(tasks)
        found = _units_by_task(tasks.values_list("pk", flat=True))
        for task_id, units in found.items():
            self.assertEqual(
                [d.pk for d in units], [d for d, _ in expected.get(task_id, [])], task_id
            )

    def test_task_19_asks_its_lead_units_and_directly_named_cooperating_units(self):
        instruction = self.publish()
        self.assertEqual(
            units_to_acknowledge(instruction), [self.drc, self.miit, self.approval, self.land]
        )

    # --- writing --------------------------------------------------------------------------

    def test_a_lead_leader_writes_a_draft_and_publishes_it(self):
        client = self.as_user(self.leader)
        self.assertEqual(client.get(self.write_url()).status_code, 200)
        response = client.post(self.write_url(), {"text": "  请加快进度。 ", "action": "draft"})
        draft = Instruction.objects.get()
        self.assertRedirects(response, self.write_url(id=draft.pk), fetch_redirect_response=False)
        self.assertEqual(
            (draft.state, draft.text, draft.leader), ("draft", "请加快进度。", self.zhangya)
        )
        self.assertIsNone(draft.published_at)
        self.assertEqual(client.get(self.write_url(id=draft.pk)).status_code, 200)
        # Units do not see a draft, and are not asked to acknowledge it.
        self.assertEqual(self.as_user(self.staff).get(self.detail_url(draft)).status_code, 404)
        self.assertFalse(pending_for_unit(self.drc).exists())

        client = self.as_user(self.leader)
        response = client.post(
            self.write_url(),
            {
                "id": draft.pk,
                "text": "请加快进度，月底前完成。",
                "action": "publish",
                "confirm": "1",
            },
        )
        self.assertRedirects(response, self.detail_url(draft), fetch_redirect_response=False)
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.text), ("published", "请加快进度，月底前完成。"))
        self.assertIsNotNone(draft.published_at)
        self.assertEqual(Instruction.objects.count(), 1)
        self.assertEqual(self.as_user(self.staff).get(self.detail_url(draft)).status_code, 200)

    def test_a_leader_cannot_write_on_a_task_he_does_not_lead(self):
        self.assertFalse(can_write_instruction(self.fresh(self.mei), self.task19))
        client = self.as_user(self.mei)
        self.assertEqual(client.get(self.write_url()).status_code, 403)
        response = client.post(self.write_url(), {"text": "批示", "action": "publish"})
        self.assertEqual(response.status_code, 403)
        with self.assertRaises(PermissionDenied):
            save_instruction(self.fresh(self.mei), self.task19, "批示", publish=True)
        self.assertFalse(Instruction.objects.exists())
        for user in (self.staff, self.head, self.office, self.admin):
            self.assertEqual(self.as_user(user).get(self.write_url()).status_code, 403)
        self.assertEqual(self.as_user(self.nobody).get(self.write_url()).status_code, 404)

    def test_a_leader_does_not_see_another_leaders_draft(self):
        draft = save_instruction(self.fresh(self.mei), self.task44, "梅的草稿", publish=False)
        self.assertTrue(can_write_instruction(self.fresh(self.leader), self.task44))  # co-lead
        self.assertFalse(instructions_visible_to(self.fresh(self.leader)).exists())
        self.assertFalse(instructions_visible_to(self.fresh(self.office)).exists())
        self.assertEqual(list(instructions_visible_to(self.fresh(self.mei))), [draft])
        context = task_instruction_context(self.fresh(self.leader), self.task44)
        self.assertEqual(context["task_instructions"], [])
        client = self.as_user(self.leader)
        self.assertEqual(client.get(self.detail_url(draft)).status_code, 404)
        self.assertEqual(client.get(self.write_url(self.task44, id=draft.pk)).status_code, 404)
        response = client.post(
            self.write_url(self.task44), {"id": draft.pk, "text": "改", "action": "publish"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(client.post(self.ack_url(draft)).status_code, 404)
        for user in (self.office, self.admin, self.staff, self.head):
            self.assertEqual(self.as_user(user).get(self.detail_url(draft)).status_code, 404)
        self.assertEqual(self.as_user(self.mei).get(self.detail_url(draft)).status_code, 200)
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.text), ("draft", "梅的草稿"))

    def test_empty_text_is_refused(self):
        with self.assertRaisesMessage(InstructionError, "批示内容不能为空"):
            save_instruction(self.fresh(self.leader), self.task19, " \r\n ", publish=True)
        response = self.as_user(self.leader).post(
            self.write_url(), {"text": "   ", "action": "publish"}
        )
        self.assertContains(response, "批示内容不能为空", status_code=400)
        self.assertFalse(Instruction.objects.exists())

    def test_a_published_instruction_is_not_edited(self):
        instruction = self.publish("原文")
        with self.assertRaisesMessage(InstructionError, "不能再修改"):
            save_instruction(
                self.fresh(self.leader), self.task19, "改写", publish=False, instruction=instruction
            )
        client = self.as_user(self.leader)
        self.assertEqual(client.get(self.write_url(id=instruction.pk)).status_code, 403)
        response = client.post(
            self.write_url(), {"id": instruction.pk, "text": "改写", "action": "draft"}
        )
        self.assertEqual(response.status_code, 403)
        instruction.refresh_from_db()
        self.assertEqual((instruction.state, instruction.text), ("published", "原文"))

    def test_publishing_sends_the_signal_once_with_the_instruction(self):
        receiver = mock.Mock()
        instruction_published.connect(receiver)
        self.addCleanup(instruction_published.disconnect, receiver)
        client = self.as_user(self.leader)
        with self.captureOnCommitCallbacks(execute=True):
            client.post(self.write_url(), {"text": "草稿", "action": "draft"})
        receiver.assert_not_called()
        draft = Instruction.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            client.post(
                self.write_url(),
                {"id": draft.pk, "text": "发布", "action": "publish", "confirm": "1"},
            )
        receiver.assert_called_once()
        self.assertEqual(receiver.call_args.kwargs["instruction"], draft)
        self.assertEqual(receiver.call_args.kwargs["sender"], Instruction)
        self.assertEqual(published_recipients(draft), [self.staff, self.head, self.approval_staff])

    # --- acknowledging --------------------------------------------------------------------

    def test_lead_and_cooperating_units_see_it_pending_and_acknowledge(self):
        instruction = self.publish()
        self.assertEqual(list(pending_for_unit(self.drc)), [instruction])
        self.assertEqual(list(pending_for_unit(self.approval)), [instruction])
        self.assertFalse(pending_for_unit(self.town).exists())
        context = unit_pending_context(self.fresh(self.staff))
        self.assertEqual([i.pk for i in context["pending_instructions"]], [instruction.pk])
        self.assertEqual(context["pending_instructions"][0].url, instruction.get_absolute_url())
        self.assertEqual(
            unit_pending_context(self.fresh(self.town_staff))["pending_instructions"], []
        )

        response = self.as_user(self.staff).post(
            self.ack_url(instruction), {"next": "/tasks/mine/"}
        )
        self.assertRedirects(response, "/tasks/mine/", fetch_redirect_response=False)
        response = self.as_user(self.approval_staff).post(self.ack_url(instruction))
        self.assertRedirects(response, self.detail_url(instruction), fetch_redirect_response=False)

        self.assertFalse(pending_for_unit(self.drc).exists())
        self.assertFalse(pending_for_unit(self.approval).exists())
        self.assertEqual(list(pending_for_unit(self.miit)), [instruction])
        status = {s.department: s for s in acknowledgement_status(instruction)}
        self.assertEqual(status[self.drc].acknowledged_by, self.staff)
        self.assertEqual(status[self.approval].acknowledged_by, self.approval_staff)
        self.assertFalse(status[self.miit].acknowledged)
        self.assertFalse(status[self.land].acknowledged)
        response = self.as_user(self.office).get(self.detail_url(instruction))
        self.assertContains(response, "已阅 2/4")

    def test_a_unit_acknowledges_only_for_itself(self):
        instruction = self.publish()
        staff = self.fresh(self.staff)
        self.assertTrue(can_acknowledge(staff, instruction, self.drc))
        self.assertFalse(can_acknowledge(staff, instruction, self.approval))
        # A unit named in the form is ignored: the view acknowledges for the person's own unit.
        self.as_user(self.staff).post(self.ack_url(instruction), {"department": self.approval.pk})
        self.assertEqual(
            list(Acknowledgement.objects.values_list("department", flat=True)), [self.drc.pk]
        )
        self.assertIn(instruction, pending_for_unit(self.approval))
        # 堂邑镇 reads task 19 through a cooperating group, but is not asked to acknowledge.
        self.assertEqual(
            self.as_user(self.town_staff).post(self.ack_url(instruction)).status_code, 403
        )
        self.assertEqual(
            self.as_user(self.town_staff).get(self.detail_url(instruction)).status_code, 403
        )
        self.assertEqual(self.as_user(self.nobody).post(self.ack_url(instruction)).status_code, 404)
        for user in (self.leader, self.mei, self.office, self.admin):
            self.assertEqual(self.as_user(user).post(self.ack_url(instruction)).status_code, 403)
        with self.assertRaises(PermissionDenied):
            acknowledge(self.fresh(self.town_staff), instruction)
        self.assertEqual(Acknowledgement.objects.count(), 1)

    def test_acknowledging_twice_changes_nothing(self):
        instruction = self.publish()
        first = acknowledge(self.fresh(self.staff), instruction)
        again = acknowledge(self.fresh(self.staff), instruction)
        by_head = acknowledge(self.fresh(self.head), instruction)  # same unit: already read
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(first.pk, by_head.pk)
        response = self.as_user(self.staff).post(self.ack_url(instruction))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Acknowledgement.objects.count(), 1)
        stored = Acknowledgement.objects.get()
        self.assertEqual(
            (stored.acknowledged_by, stored.acknowledged_at), (self.staff, first.acknowledged_at)
        )

    def test_a_draft_cannot_be_acknowledged(self):
        draft = save_instruction(self.fresh(self.leader), self.task19, "草稿", publish=False)
        self.assertFalse(can_acknowledge(self.fresh(self.staff), draft, self.drc))
        self.assertEqual(self.as_user(self.staff).post(self.ack_url(draft)).status_code, 404)
        self.assertEqual(self.as_user(self.leader).post(self.ack_url(draft)).status_code, 403)

    # --- reading --------------------------------------------------------------------------

    def test_the_detail_is_for_the_author_the_office_and_the_units_concerned(self):
        instruction = self.publish()
        url = self.detail_url(instruction)
        expected = {
            self.leader: 200,
            self.office: 200,
            self.admin: 200,
            self.staff: 200,
            self.head: 200,
            self.approval_staff: 200,
            self.mei: 403,  # reads the task, is not the author
            self.town_staff: 403,  # reads the task through a group, is not concerned
            self.nobody: 404,
        }
        for user, status in expected.items():
            self.assertEqual(self.as_user(user).get(url).status_code, status, user)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_the_office_overview_lists_exactly_the_units_that_have_not_acknowledged(self):
        instruction = self.publish()
        done = self.publish("已全部签阅", task=Task.objects.get(plan=self.plan, number="1"))
        save_instruction(self.fresh(self.leader), self.task19, "草稿", publish=False)
        acknowledge(self.fresh(self.staff), instruction)
        acknowledge(self.fresh(self.approval_staff), instruction)
        acknowledge(self.fresh(self.staff), done)  # task 1: 区发展和改革局 alone
        self.assertEqual(list(awaiting_acknowledgement()), [instruction])

        url = reverse("leaders:instructions_pending")
        response = self.as_user(self.office).get(url)
        self.assertEqual(response.status_code, 200)
        table = response.context["table"]
        rows = list(table.page.object_list)
        self.assertEqual([row.record for row in rows], [instruction])
        self.assertEqual(
            table.value_pending_units(instruction), "区工业和信息化局、区自然资源和规划分局"
        )
        self.assertContains(response, "2/4")
        export = self.as_user(self.admin).get(url, {"_export": "xlsx"})
        self.assertEqual(export.status_code, 200)
        for user in (self.staff, self.head, self.town_staff, self.leader, self.nobody):
            self.assertEqual(self.as_user(user).get(url).status_code, 403)

    def test_the_includes_show_instructions_and_buttons(self):
        instruction = self.publish("请牵头单位本周内报送方案。")
        save_instruction(self.fresh(self.leader), self.task19, "我的草稿", publish=False)
        factory = RequestFactory()

        def render(template, user, context):
            request = factory.get("/tasks/2022/19/")
            request.user = user
            return render_to_string(template, context, request=request)

        staff = self.fresh(self.staff)
        html = render(
            "leaders/_task_instructions.html", staff, task_instruction_context(staff, self.task19)
        )
        self.assertIn("请牵头单位本周内报送方案。", html)
        self.assertIn(self.ack_url(instruction), html)
        self.assertNotIn("我的草稿", html)
        self.assertNotIn("写批示", html)
        self.assertIn("已阅 0/4", html)

        leader = self.fresh(self.leader)
        html = render(
            "leaders/_task_instructions.html", leader, task_instruction_context(leader, self.task19)
        )
        self.assertIn("写批示", html)
        self.assertIn("我的草稿", html)
        self.assertNotIn(self.ack_url(instruction), html)

        html = render("leaders/_pending_instructions.html", staff, unit_pending_context(staff))
        self.assertIn("待阅批示（1）", html)
        self.assertIn(self.ack_url(instruction), html)
        acknowledge(staff, instruction)
        self.assertEqual(
            render(
                "leaders/_pending_instructions.html", staff, unit_pending_context(staff)
            ).strip(),
            "",
        )

    def test_the_context_helpers_run_a_fixed_number_of_queries(self):
        first = self.publish("一")
        second = self.publish("二")
        acknowledge(self.fresh(self.staff), first)
        acknowledge(self.fresh(self.approval_staff), second)
        save_instruction(self.fresh(self.leader), self.task19, "草稿", publish=False)
        for user, count in ((self.staff, 4), (self.town_staff, 4), (self.office, 4)):
            user = self.fresh(user)
            person_of(user)
            with self.assertNumQueries(count):
                task_instruction_context(user, self.task19)
        leader = self.fresh(self.leader)
        person_of(leader)
        with self.assertNumQueries(5):  # + is 张娅 a lead leader of the task
            context = task_instruction_context(leader, self.task19)
        self.assertEqual(len(context["task_instructions"]), 3)
        # Kept (leaders.unit_panels): the revision; the first time, the list and the unit's
        # 需协调事项 (kept together).
        for user, count in ((self.staff, 3), (self.staff, 1), (self.office, 0), (self.leader, 0)):
            user = self.fresh(user)
            person_of(user)
            with self.assertNumQueries(count):
                unit_pending_context(user)
        quiet = self.task19.plan.tasks.exclude(instructions__isnull=False).first()
        staff = self.fresh(self.staff)
        person_of(staff)
        with self.assertNumQueries(1):  # instructions (acknowledgements, who must read: no need)
            context = task_instruction_context(staff, quiet)
        self.assertEqual(context["task_instructions"], [])
