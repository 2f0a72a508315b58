"""A unit's week: the 待办 block, the report form (完成进度, files, conflicts) and 审核 by heads."""

import datetime
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from notifications.models import Notification
from tasks import todo
from tasks.attachments import AttachmentError, remove_attachment
from tasks.models import Attachment, ProgressReport, Task
from tasks.periods import parse_period_key

from .base import BaseTestCase, make_user

PDF = b"%PDF-1.4\n%%EOF\n"
W19, W20 = "2022-W19", "2022-W20"


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "private" / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file())


def make_report(case, number="15", period_key=W20, state="draft", unit=None, **fields):
    period = parse_period_key(period_key)
    return ProgressReport.objects.create(
        task=case.task.get(number) or Task.objects.get(plan__year=2022, number=number),
        department=unit or case.drc,
        role="lead",
        period_key=period_key,
        period_start=period.start,
        period_end=period.end,
        state=state,
        progress=fields.pop("progress", "进展"),
        percent=fields.pop("percent", 30),
        created_by=case.staff,
        updated_by=case.staff,
        submitted_at="2022-05-17T10:00:00+08:00" if state != "draft" else None,
        **fields,
    )


def attach(report, name="证明.pdf") -> Attachment:
    attachment = Attachment(
        report=report,
        original_name=name,
        size=len(PDF),
        content_type="application/pdf",
        uploaded_by=report.created_by,
    )
    attachment.file.save(name, ContentFile(PDF), save=True)
    return attachment


class OwnMedia:
    def setUp(self):
        media = tempfile.TemporaryDirectory(prefix="dudu-media-")
        self.addCleanup(media.cleanup)
        override = override_settings(MEDIA_ROOT=media.name)
        override.enable()
        self.addCleanup(override.disable)


class Item:
    def __init__(self, state):
        self.state = state


class TodoOrderTests(BaseTestCase):
    def test_returned_reports_come_first_then_drafts_then_overdue_then_not_started(self):
        w19, w20 = parse_period_key(W19), parse_period_key(W20)
        due = {
            W19: datetime.datetime(2022, 5, 12, 17, tzinfo=datetime.UTC),
            W20: datetime.datetime(2022, 5, 19, 17, tzinfo=datetime.UTC),
        }
        reports = {
            (W20, 1): Item("draft"),
            (W19, 2): Item("returned"),
            (W19, 1): Item("accepted"),
            (W20, 9): Item("returned"),  # an optional task (not owed) returned: listed too
        }
        items = todo.todo_items(
            periods=[w20, w19],
            due=due,
            owed={1, 2},
            reports=reports,
            now=datetime.datetime(2022, 5, 18, 9, tzinfo=datetime.UTC),
        )
        self.assertEqual(
            [(i.kind, i.period.key, i.task_id) for i in items],
            [
                ("returned", W19, 2),
                ("returned", W20, 9),
                ("draft", W20, 1),
                ("not_started", W20, 2),
            ],
        )
        self.assertEqual(todo.counts(items)["overdue"], 0)

    def test_an_owed_report_missing_after_its_deadline_is_overdue(self):
        w19 = parse_period_key(W19)
        items = todo.todo_items(
            periods=[w19],
            due={W19: datetime.datetime(2022, 5, 12, 17, tzinfo=datetime.UTC)},
            owed={5},
            reports={},
            now=datetime.datetime(2022, 5, 18, tzinfo=datetime.UTC),
        )
        self.assertEqual([(i.kind, i.task_id) for i in items], [("overdue", 5)])


@override_settings(AS_OF_DATE="2022-05-18")
class MyTasksTodoTests(BaseTestCase):
    def test_a_returned_report_of_last_week_leads_the_todo_on_this_weeks_page(self):
        make_report(self, "15", W19, "returned", return_reason="请补充投资数据")
        make_report(self, "1", W20, "draft")
        self.client.force_login(self.staff)
        page = self.client.get(reverse("tasks:mine"), {"period": W20}).content.decode()
        todo_block = page[page.index('class="card todo"') :]
        returned = todo_block.index("已退回")
        draft = todo_block.index("草稿未提交")
        self.assertLess(returned, draft)
        self.assertIn("第19周（5月9日—5月15日）", todo_block[returned:draft])
        self.assertIn("请补充投资数据", todo_block[returned:draft])
        self.assertIn("/tasks/2022/15/report/?period=2022-W19", todo_block[returned:draft])
        self.assertIn("另有 1 份其他期次的报告被退回", page)

    def test_the_list_sorts_by_what_needs_action(self):
        make_report(self, "15", W20, "submitted")
        make_report(self, "1", W20, "returned", return_reason="补充")
        self.client.force_login(self.staff)
        response = self.client.get(reverse("tasks:mine"), {"period": W20})
        rows = list(response.context["table"].paginated_rows)
        numbers = [row.record["number"] for row in rows]  # plain rows (tasks.unit_figures)
        self.assertEqual(numbers[0], "1")  # returned first
        self.assertEqual(numbers[-1], "15")  # handed in last
        self.assertContains(response, 'data-label="本期填报"')
        self.assertContains(response, 'class="table cards"')


@override_settings(AS_OF_DATE="2022-05-18")
class ReportFormTests(OwnMedia, BaseTestCase):
    def url(self, number="15", period=W20):
        return reverse("tasks:report", args=["2022", number]) + f"?period={period}"

    def post(self, number="15", **data):
        data.setdefault("version", 0)
        data.setdefault("progress", "进展")
        return self.client.post(self.url(number), data)

    def test_submitting_without_a_percent_is_refused_and_a_draft_may_leave_it_empty(self):
        self.client.force_login(self.staff)
        refused = self.post(action="submit", percent="")
        self.assertContains(refused, "提交前请填写“完成进度”", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())
        self.assertEqual(self.post(action="save", percent="").status_code, 302)
        self.assertIsNone(ProgressReport.objects.get().percent)

    def test_the_form_says_the_completion_rule_last_period_and_the_pace(self):
        make_report(self, "15", W19, "accepted", percent="35.5")
        self.client.force_login(self.staff)
        page = self.client.get(self.url()).content.decode()
        self.assertIn("牵头单位填写的数值就是任务的完成进度", page)
        self.assertIn("上期 第19周（5月9日—5月15日）：<strong>35.5%</strong>", page)
        self.assertIn("序时进度：<strong>", page)
        self.assertIn("每个文件最大 20 MB", page)

    def test_a_cooperating_unit_is_told_its_percent_is_its_own_part(self):
        self.client.force_login(self.town_staff)
        self.assertContains(self.client.get(self.url("1")), "本单位承担部分的完成百分比")

    def test_the_lead_unit_sees_the_cooperating_units_reports_beside_its_form(self):
        make_report(self, "1", W20, "submitted", unit=self.town, progress="堂邑镇完成摸排")
        self.client.force_login(self.staff)
        response = self.client.get(self.url("1"))
        self.assertContains(response, "配合单位本期报告")
        self.assertContains(response, "堂邑镇完成摸排")

    def test_a_file_of_the_own_draft_is_removed_and_deleted_from_storage(self):
        report = make_report(self, "15", W20, "draft")
        keep, drop = attach(report, "保留.pdf"), attach(report, "删除.pdf")
        self.client.force_login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(
                action=f"remove:{drop.pk}", progress="正在输入的内容", version=report.version
            )
        self.assertContains(response, "已删除附件“删除.pdf”")
        self.assertContains(response, "正在输入的内容")  # what was typed is shown again
        self.assertEqual(list(report.attachments.values_list("pk", flat=True)), [keep.pk])
        self.assertEqual([p.name for p in stored_files()], [Path(keep.file.name).name])
        report.refresh_from_db()
        self.assertEqual(report.progress, "进展")  # removing a file saves nothing else

    def test_files_of_another_report_or_another_units_are_not_removed_through_this_form(self):
        other_week = make_report(self, "15", W19, "draft")
        theirs = make_report(self, "1", W20, "draft", unit=self.town)
        own_file, their_file = attach(other_week), attach(theirs)
        make_report(self, "15", W20, "draft")
        self.client.force_login(self.staff)
        for attachment in (own_file, their_file):
            with self.subTest(attachment.report.department.name):
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.post(action=f"remove:{attachment.pk}")
                self.assertContains(response, "未找到该附件", status_code=400)
                self.assertTrue(Attachment.objects.filter(pk=attachment.pk).exists())
        self.assertEqual(len(stored_files()), 2)

    def test_a_file_of_a_handed_in_report_is_refused_by_the_rule_itself(self):
        report = make_report(self, "15", W19, "submitted")
        attachment = attach(report)
        with self.assertRaisesMessage(AttachmentError, "附件不能再删除"):
            remove_attachment(
                user=self.staff,
                unit=self.drc,
                report_id=report.pk,
                attachment_id=attachment.pk,
                open_period_keys={W19, W20},
            )
        with self.assertRaisesMessage(AttachmentError, "已关闭"):
            remove_attachment(
                user=self.staff,
                unit=self.drc,
                report_id=report.pk,
                attachment_id=attachment.pk,
                open_period_keys={W20},
            )
        self.assertTrue(Attachment.objects.filter(pk=attachment.pk).exists())
        self.assertEqual(len(stored_files()), 1)

    def test_a_file_of_a_submitted_report_of_an_open_week_is_not_removed(self):
        report = make_report(self, "15", W19, "submitted")
        attachment = attach(report)
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("tasks:report", args=["2022", "15"]) + f"?period={W19}",
            {"action": f"remove:{attachment.pk}", "progress": "x", "version": report.version},
        )
        # The form of a handed-in report is not editable: nothing is removed.
        self.assertLess(response.status_code, 500)
        self.assertTrue(Attachment.objects.filter(pk=attachment.pk).exists())

    def test_a_conflict_shows_the_saved_version_and_saving_again_writes_over_it(self):
        report = make_report(self, "15", W20, "draft", progress="同事保存的内容")
        stale = report.version - 1
        self.client.force_login(self.staff)
        upload = SimpleUploadedFile("我的附件.pdf", PDF, content_type="application/pdf")
        conflict = self.client.post(
            self.url(),
            {"action": "save", "progress": "我的内容", "version": stale, "attachments": upload},
        )
        self.assertEqual(conflict.status_code, 409)
        page = conflict.content.decode()
        self.assertIn("他人已保存的版本", page)
        self.assertIn("同事保存的内容", page)
        self.assertIn("我的内容", page)
        self.assertIn(f'name="version" value="{report.version}"', page)
        self.assertEqual(
            list(report.attachments.values_list("original_name", flat=True)), ["我的附件.pdf"]
        )
        again = self.post(action="save", progress="我的内容", version=report.version)
        self.assertEqual(again.status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.progress, "我的内容")


@override_settings(AS_OF_DATE="2022-05-18")
class HeadReviewTests(BaseTestCase):
    def test_the_head_approves_several_reports_in_one_post(self):
        first, second = (
            make_report(self, "15", W20, "submitted"),
            make_report(self, "1", W20, "submitted"),
        )
        self.client.force_login(self.head)
        response = self.client.post(
            reverse("tasks:review_approve"), {"report": [first.pk, second.pk]}, follow=True
        )
        self.assertContains(response, "已审核通过 2 份报告")
        states = set(ProgressReport.objects.values_list("state", flat=True))
        self.assertEqual(states, {"approved"})

    def test_a_double_click_on_batch_approve_approves_once_and_says_so(self):
        first, second = (
            make_report(self, "15", W20, "submitted"),
            make_report(self, "1", W20, "submitted"),
        )
        self.client.force_login(self.head)
        data = {"report": [first.pk, second.pk], "_once": "a" * 32}
        self.client.post(reverse("tasks:review_approve"), data)
        again = self.client.post(reverse("tasks:review_approve"), data, follow=True)
        self.assertContains(again, "该操作已提交过一次，未重复执行。")
        self.assertEqual(ProgressReport.objects.filter(state="approved").count(), 2)
        self.assertEqual(first.events.filter(action="approved").count(), 1)

    def test_one_refused_report_leaves_the_whole_batch_unapproved(self):
        submitted = make_report(self, "15", W20, "submitted")
        draft = make_report(self, "1", W20, "draft")
        theirs = make_report(self, "1", W20, "submitted", unit=self.town)
        self.client.force_login(self.head)
        for ids, message in (
            ([submitted.pk, draft.pk], "不能审核"),
            ([submitted.pk, theirs.pk], "本次未审核任何报告"),
        ):
            with self.subTest(ids=ids):
                response = self.client.post(
                    reverse("tasks:review_approve"), {"report": ids}, follow=True
                )
                self.assertContains(response, message)
                submitted.refresh_from_db()
                self.assertEqual(submitted.state, "submitted")

    def test_staff_and_the_office_may_not_batch_approve(self):
        report = make_report(self, "15", W20, "submitted")
        for user in (self.staff, self.office):
            self.client.force_login(user)
            response = self.client.post(reverse("tasks:review_approve"), {"report": [report.pk]})
            self.assertEqual(response.status_code, 403)
        report.refresh_from_db()
        self.assertEqual(report.state, "submitted")

    def test_the_menu_counts_the_heads_reports_waiting_for_review(self):
        make_report(self, "15", W20, "submitted")
        make_report(self, "1", W20, "submitted")
        make_report(self, "1", W19, "draft")
        self.client.force_login(self.head)
        self.assertContains(
            self.client.get(reverse("tasks:mine")),
            '待审核<span class="badge">2</span>',
            html=False,
        )
        self.client.force_login(self.staff)
        self.assertNotContains(self.client.get(reverse("tasks:mine")), "待审核<span")

    def test_the_head_is_notified_when_staff_submit(self):
        self.client.force_login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("tasks:report", args=["2022", "15"]) + f"?period={W20}",
                {"action": "submit", "progress": "进展", "percent": "40", "version": 0},
            )
        notice = Notification.objects.get(user=self.head)
        self.assertIn("待您审核", notice.title)
        self.assertIn("第20周", notice.title)
        self.assertFalse(Notification.objects.filter(user=self.staff).exists())

    def test_the_review_page_shows_the_task_the_pace_and_last_periods_report(self):
        make_report(self, "15", W19, "accepted", progress="上周的进展")
        report = make_report(self, "15", W20, "submitted", progress="本周的进展")
        self.client.force_login(self.head)
        response = self.client.get(report.get_absolute_url())
        self.assertContains(response, self.task["15"].text[:20])
        self.assertContains(response, "序时进度")
        self.assertContains(response, "上期报告")
        self.assertContains(response, "上周的进展")
        self.assertContains(response, "本周的进展")

    def test_a_second_head_of_another_unit_does_not_see_the_count(self):
        make_report(self, "15", W20, "submitted")
        other = make_user("townhead", unit=self.town, head=True)
        self.client.force_login(other)
        self.assertNotContains(self.client.get(reverse("tasks:mine")), "待审核<span")
