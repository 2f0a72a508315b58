"""批示: the confirm step before 发布, and the units' 落实情况 that the leader reads.

Task 19 of 2022: lead leader 张娅; lead unit 区发展和改革局 (self.staff's unit) among others;
堂邑镇 (self.town_staff) reaches it only through a cooperating group: it reads, is not asked.
"""

import datetime

from django.test import override_settings
from django.urls import reverse

from leaders.instructions import save_instruction
from leaders.models import Acknowledgement, Instruction, InstructionResponse
from leaders.responses import MAX_RESPONSE_LENGTH, new_responses_for, write_response
from tasks.models import Task

from .base import BaseTestCase


@override_settings(AS_OF_DATE="2022-05-18")
class ConfirmBeforePublishingTests(BaseTestCase):
    def setUp(self):
        self.task19 = Task.objects.select_related("plan").get(plan__year=2022, number="19")
        self.url = reverse("leaders:instruction_write", args=["2022", "19"])
        self.client.force_login(self.leader)

    def test_publish_first_shows_the_text_and_the_units_and_publishes_nothing(self):
        response = self.client.post(self.url, {"text": "请月底前完成。", "action": "publish"})
        draft = Instruction.objects.get()
        self.assertEqual(draft.state, "draft")
        self.assertRedirects(response, f"{self.url}?id={draft.pk}&confirm=1")
        page = self.client.get(f"{self.url}?id={draft.pk}&confirm=1")
        self.assertContains(page, "确认发布批示")
        self.assertContains(page, "请月底前完成。")
        self.assertContains(page, "区发展和改革局")
        self.assertContains(page, "发布后<strong>不能再修改</strong>", html=False)
        self.assertContains(page, 'name="confirm" value="1"')
        self.assertContains(page, "返回修改")

    def test_confirming_publishes_it(self):
        self.client.post(self.url, {"text": "请月底前完成。", "action": "publish"})
        draft = Instruction.objects.get()
        response = self.client.post(
            self.url,
            {"id": draft.pk, "text": "请月底前完成。", "action": "publish", "confirm": "1"},
        )
        self.assertRedirects(response, draft.get_absolute_url(), fetch_redirect_response=False)
        draft.refresh_from_db()
        self.assertEqual(draft.state, "published")
        # The confirm page of a published instruction shows the instruction instead.
        again = self.client.get(f"{self.url}?id={draft.pk}&confirm=1")
        self.assertRedirects(again, draft.get_absolute_url(), fetch_redirect_response=False)

    def test_going_back_keeps_the_draft_to_edit(self):
        self.client.post(self.url, {"text": "初稿", "action": "publish"})
        draft = Instruction.objects.get()
        form = self.client.get(f"{self.url}?id={draft.pk}")
        self.assertContains(form, "修改批示草稿")
        self.assertContains(form, "初稿")

    def test_an_empty_text_is_refused_before_the_confirm_step(self):
        response = self.client.post(self.url, {"text": " ", "action": "publish"})
        self.assertContains(response, "批示内容不能为空", status_code=400)
        self.assertFalse(Instruction.objects.exists())


@override_settings(AS_OF_DATE="2022-05-18")
class ResponseTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.task19 = Task.objects.select_related("plan").get(plan__year=2022, number="19")

    def setUp(self):
        leader = type(self.leader).objects.get(pk=self.leader.pk)
        self.instruction = save_instruction(leader, self.task19, "请月底前完成。", publish=True)
        self.respond = reverse("leaders:instruction_respond", args=[self.instruction.pk])
        self.detail = self.instruction.get_absolute_url()

    def test_a_unit_writes_its_response_which_also_counts_as_read(self):
        self.client.force_login(self.staff)
        page = self.client.get(self.detail)
        self.assertContains(page, "本单位落实情况")
        response = self.client.post(self.respond, {"text": "已召开专题会议。\r\n下周开工。"})
        self.assertRedirects(response, self.detail, fetch_redirect_response=False)
        entry = InstructionResponse.objects.get()
        self.assertEqual((entry.department, entry.text), (self.drc, "已召开专题会议。\n下周开工。"))
        self.assertTrue(
            Acknowledgement.objects.filter(instruction=self.instruction, department=self.drc)
        )
        # A second entry later is kept beside the first (history, nothing overwritten).
        self.client.post(self.respond, {"text": "已开工。"})
        self.assertEqual(
            list(self.instruction.responses.values_list("text", flat=True)),
            ["已开工。", "已召开专题会议。\n下周开工。"],
        )

    def test_the_leader_sees_new_responses_on_the_portfolio_and_the_instruction(self):
        write_response(self.staff, self.instruction, "已召开专题会议。")
        self.client.force_login(self.leader)
        portfolio = reverse("leaders:portfolio", args=[self.zhangya.pk])
        page = self.client.get(portfolio)
        self.assertContains(page, "有 1 条新的落实情况")
        self.assertContains(page, f"{self.detail}#responses")
        self.assertEqual([i.new_count for i in new_responses_for(self.zhangya)], [1])
        detail = self.client.get(self.detail)
        self.assertContains(detail, "已召开专题会议。")
        self.assertContains(detail, '<span class="badge new">新</span>', html=True)
        # Seen: no longer new, on either page.
        self.assertEqual(new_responses_for(self.zhangya), [])
        self.assertNotContains(self.client.get(portfolio), "新的落实情况")
        self.assertNotContains(self.client.get(self.detail), 'class="badge new"')
        # A later one is new again.
        later = InstructionResponse.objects.create(
            instruction=self.instruction,
            department=self.drc,
            text="已开工。",
            written_by=self.staff,
            written_at=Instruction.objects.get(pk=self.instruction.pk).responses_seen_at
            + datetime.timedelta(minutes=1),
        )
        self.assertEqual([i.new_count for i in new_responses_for(self.zhangya)], [1])
        self.assertContains(self.client.get(portfolio), "有 1 条新的落实情况")
        self.assertEqual(later.instruction_id, self.instruction.pk)

    def test_the_office_reads_responses_but_does_not_mark_them_seen(self):
        write_response(self.staff, self.instruction, "已召开专题会议。")
        self.client.force_login(self.office)
        self.assertContains(self.client.get(self.detail), "已召开专题会议。")
        self.assertEqual([i.new_count for i in new_responses_for(self.zhangya)], [1])

    def test_hostile_responses_get_a_clear_4xx(self):
        self.client.force_login(self.staff)
        for text, message in (
            ("   ", "落实情况不能为空"),
            ("长" * (MAX_RESPONSE_LENGTH + 1), f"不能超过 {MAX_RESPONSE_LENGTH} 字"),
        ):
            response = self.client.post(self.respond, {"text": text})
            self.assertContains(response, message, status_code=400)
        self.assertFalse(InstructionResponse.objects.exists())
        self.assertEqual(self.client.get(self.respond).status_code, 405)
        missing = reverse("leaders:instruction_respond", args=[999999])
        self.assertEqual(self.client.post(missing, {"text": "x"}).status_code, 404)

    def test_only_units_concerned_respond(self):
        # 堂邑镇 reads task 19 through a cooperating group but is not asked: refused too.
        for user in (self.leader, self.office, self.town_staff):
            self.client.force_login(user)
            response = self.client.post(self.respond, {"text": "代报"})
            self.assertContains(response, "本单位无需落实该批示", status_code=403)
        self.assertFalse(InstructionResponse.objects.exists())

    def test_a_draft_takes_no_responses(self):
        leader = type(self.leader).objects.get(pk=self.leader.pk)
        draft = save_instruction(leader, self.task19, "草稿", publish=False)
        self.client.force_login(self.staff)
        url = reverse("leaders:instruction_respond", args=[draft.pk])
        self.assertEqual(self.client.post(url, {"text": "x"}).status_code, 404)
