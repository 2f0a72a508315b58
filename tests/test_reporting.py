"""Weekly reporting: the flow, nothing lost, concurrent edits, bad input, closed periods."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tasks.models import Attachment, ProgressReport, Task
from tasks.progress import task_states
from tasks.status import Status

from .base import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# Wednesday of 2022-W20: W20 (due Thu 5月19日 17:00) and W19 are open.
ON_TIME = override_settings(AS_OF_DATE="2022-05-18")


@ON_TIME
class ReportingFlowTests(BaseTestCase):
    def report_url(self, number="1", period="2022-W20"):
        return reverse("tasks:report", args=["2022", number]) + f"?period={period}"

    def post(self, action="submit", number="1", period="2022-W20", version=0, **fields):
        data = {
            "progress": "完成地区生产总值季度分析。",
            "problems": "",
            "next_steps": "继续跟踪。",
            "percent": "40",
            "version": version,
            "action": action,
            **fields,
        }
        return self.client.post(self.report_url(number, period), data)

    def report(self, number="1", period="2022-W20"):
        return ProgressReport.objects.get(
            task__plan__year=2022, task__number=number, department=self.drc, period_key=period
        )

    def test_staff_save_a_draft_then_submit_on_time(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(self.report_url()).status_code, 200)
        self.post(action="save")
        report = self.report()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.events.exists())
        response = self.post(version=report.version)
        self.assertRedirects(response, reverse("tasks:mine"), fetch_redirect_response=False)
        report.refresh_from_db()
        self.assertEqual(report.state, "submitted")
        self.assertFalse(report.is_late)
        self.assertEqual(report.role, "lead")
        event = report.events.get()
        self.assertEqual(event.snapshot["progress"], "完成地区生产总值季度分析。")
        self.assertEqual(event.snapshot["percent"], "40.0")

    @override_settings(AS_OF_DATE="2022-05-20")
    def test_a_submission_after_the_due_time_is_marked_late(self):
        self.client.force_login(self.staff)
        self.post()
        self.assertTrue(self.report().is_late)

    def test_head_approves_office_accepts(self):
        self.client.force_login(self.staff)
        self.post()
        report = self.report()
        self.client.force_login(self.head)
        self.client.post(reverse("tasks:report_action", args=[report.pk, "approve"]))
        report.refresh_from_db()
        self.assertEqual(report.state, "approved")
        self.client.force_login(self.office)
        self.client.post(reverse("tasks:report_action", args=[report.pk, "accept"]))
        report.refresh_from_db()
        self.assertEqual(report.state, "accepted")
        self.assertEqual(
            list(report.events.values_list("action", flat=True)),
            ["submitted", "approved", "accepted"],
        )

    def test_staff_cannot_approve_their_own_submission(self):
        self.client.force_login(self.staff)
        self.post()
        report = self.report()
        self.client.post(reverse("tasks:report_action", args=[report.pk, "approve"]))
        self.assertEqual(self.client.get("/").status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.state, "submitted")

    def test_a_returned_report_is_resubmitted_and_both_versions_are_kept(self):
        self.client.force_login(self.staff)
        self.post(progress="第一版进展。")
        report = self.report()
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("tasks:report_action", args=[report.pk, "return"]), {"reason": "请补充数据"}
        )
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual((report.state, report.return_reason), ("returned", "请补充数据"))
        self.client.force_login(self.staff)
        self.assertContains(self.client.get(self.report_url()), "已被退回：请补充数据")
        self.post(progress="第二版进展，已补充数据。", version=report.version)
        report.refresh_from_db()
        self.assertEqual(report.state, "submitted")
        snapshots = [e.snapshot["progress"] for e in report.events.filter(action="submitted")]
        self.assertEqual(snapshots, ["第一版进展。", "第二版进展，已补充数据。"])
        history = self.client.get(reverse("tasks:report_history", args=[report.pk]))
        self.assertContains(history, "第一版进展。")
        self.assertContains(history, "第二版进展，已补充数据。")
        self.assertContains(history, "请补充数据")

    def test_a_return_needs_a_reason(self):
        self.client.force_login(self.staff)
        self.post()
        report = self.report()
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("tasks:report_action", args=[report.pk, "return"]),
            {"reason": " "},
            follow=True,
        )
        self.assertContains(response, "退回时请写明原因")
        report.refresh_from_db()
        self.assertEqual(report.state, "submitted")

    def test_a_submitted_report_cannot_be_edited(self):
        self.client.force_login(self.staff)
        self.post()
        version = self.report().version
        response = self.post(progress="偷偷改掉", version=version)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.report().progress, "完成地区生产总值季度分析。")

    def test_the_second_of_two_concurrent_saves_is_refused_and_its_text_kept(self):
        self.client.force_login(self.staff)
        self.post(action="save")
        opened_at = self.report().version
        # Colleague saves first, from the same version.
        self.client.force_login(self.head)
        self.post(action="save", progress="负责人先保存的内容。", version=opened_at)
        self.client.force_login(self.staff)
        response = self.post(action="save", progress="填报员后保存的内容。", version=opened_at)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "他人已修改并保存", status_code=409)
        self.assertContains(response, "填报员后保存的内容。", status_code=409)
        self.assertEqual(self.report().progress, "负责人先保存的内容。")

    def test_an_empty_progress_cannot_be_submitted(self):
        self.client.force_login(self.staff)
        response = self.post(progress="  ")
        self.assertContains(response, "提交前请填写“工作进展”", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())

    def test_a_percent_outside_0_100_or_not_a_number_is_refused(self):
        self.client.force_login(self.staff)
        for value, message in [
            ("120", "完成进度必须在 0 到 100 之间"),
            ("-1", "完成进度必须在 0 到 100 之间"),
            ("四十", "完成进度必须是数字"),
            ("NaN", "完成进度必须是数字"),
        ]:
            response = self.post(percent=value)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(ProgressReport.objects.exists())

    def test_copying_last_period_fills_the_form(self):
        self.client.force_login(self.staff)
        self.post(period="2022-W19", progress="上周的进展。")
        response = self.client.post(self.report_url(), {"action": "copy"})
        self.assertContains(response, "上周的进展。")
        self.assertFalse(ProgressReport.objects.filter(period_key="2022-W20").exists())

    def test_a_closed_period_refuses_reports(self):
        self.client.force_login(self.staff)
        response = self.post(period="2022-W10")
        self.assertContains(response, "已关闭", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())

    def test_cooperating_units_report_their_part_and_the_lead_sees_it(self):
        self.client.force_login(self.town_staff)
        self.post(progress="堂邑镇配合完成统计。")
        town_report = ProgressReport.objects.get(department=self.town)
        self.assertEqual(town_report.role, "cooperating")
        self.client.force_login(self.staff)
        self.assertContains(self.client.get(self.report_url()), "堂邑镇配合完成统计。")

    def test_the_light_is_recomputed_when_a_report_changes(self):
        task = Task.objects.get(plan__year=2022, number="1")
        plan = task.plan
        as_of = datetime.date(2022, 5, 18)
        before = task_states(plan, as_of, tasks=plan.tasks.filter(pk=task.pk))[task.pk]
        self.assertEqual(before.status, Status.NOT_REPORTED)
        self.client.force_login(self.staff)
        self.post(percent="40")
        after = task_states(plan, as_of, tasks=plan.tasks.filter(pk=task.pk))[task.pk]
        self.assertEqual(after.status, Status.ON_SCHEDULE)
        self.assertEqual(after.completion, 40.0)

    def test_my_tasks_lists_this_periods_todo_with_states(self):
        self.client.force_login(self.staff)
        self.post(action="save")
        response = self.client.get(reverse("tasks:mine"))
        self.assertContains(response, "2022年第20周（5月16日—5月22日）")
        self.assertContains(response, "草稿")
        self.assertContains(response, "未填")
        self.assertContains(response, "牵头")


@ON_TIME
class ReportScopeTests(BaseTestCase):
    def test_units_cannot_report_on_tasks_outside_their_scope(self):
        self.client.force_login(self.town_staff)  # task 15 does not involve towns
        url = reverse("tasks:report", args=["2022", "15"])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(url, {"progress": "x", "action": "submit"}).status_code, 404
        )
        self.client.force_login(self.leader)  # can read, cannot report
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertFalse(ProgressReport.objects.exists())


@ON_TIME
@override_settings(ATTACHMENT_MAX_BYTES=1024)
class EvidenceTests(BaseTestCase):
    def submit_with(self, upload, number="15"):
        self.client.force_login(self.staff)
        return self.client.post(
            reverse("tasks:report", args=["2022", number]) + "?period=2022-W20",
            {
                "progress": "进展。",
                "percent": "10",
                "version": 0,
                "action": "submit",
                "attachments": [upload],
            },
        )

    def test_a_good_pdf_is_kept_and_served_only_to_readers_of_the_task(self):
        self.submit_with(SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf"))
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.original_name, "佐证.pdf")
        url = reverse("tasks:attachment", args=[attachment.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.client.force_login(self.town_staff)  # task 15 is not the town's
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_disallowed_types_are_refused(self):
        response = self.submit_with(SimpleUploadedFile("run.exe", b"MZ" + b"\x00" * 20))
        self.assertContains(response, "类型不允许", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())

    def test_content_that_does_not_match_the_extension_is_refused(self):
        response = self.submit_with(SimpleUploadedFile("scan.pdf", PNG))
        self.assertContains(response, "内容与扩展名 .pdf 不符", status_code=400)
        self.assertFalse(Attachment.objects.exists())

    def test_a_file_too_large_is_refused(self):
        response = self.submit_with(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
        self.assertContains(response, "过大", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())


@override_settings(AS_OF_DATE="2026-11-22")
class PastPlanTests(BaseTestCase):
    def test_a_past_plan_is_read_as_of_a_chosen_week(self):
        self.client.force_login(self.office)
        response = self.client.get(
            reverse("tasks:detail", args=["2022", "7"]), {"period": "2022-W20"}
        )
        self.assertContains(response, "截至2022年第20周（5月16日—5月22日）")
        self.assertContains(response, "序时进度 38.9%")  # 142 of 365 days

    def test_a_bad_period_key_is_not_found(self):
        self.client.force_login(self.office)
        response = self.client.get(
            reverse("tasks:detail", args=["2022", "7"]), {"period": "2022-W99"}
        )
        self.assertEqual(response.status_code, 404)

    def test_a_period_at_the_edge_of_the_calendar_is_not_found(self):
        # 0001-W01 has no previous week and 9999-W52 ends in year 10000 (tasks.periods).
        self.client.force_login(self.office)
        for period in ("0001-W01", "9999-W52"):
            for url in (reverse("home"), reverse("tasks:detail", args=["2022", "7"])):
                with self.subTest(period=period, url=url):
                    response = self.client.get(url, {"period": period})
                    self.assertEqual(response.status_code, 404)
        self.client.force_login(self.staff)
        response = self.client.get(reverse("tasks:mine"), {"period": "0001-W01"})
        self.assertEqual(response.status_code, 404)


@ON_TIME
class ReturnNoticeTests(BaseTestCase):
    def test_a_return_notifies_the_units_staff_and_head_only(self):
        from notifications.models import Notification

        self.client.force_login(self.staff)
        self.client.post(
            reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20",
            {"progress": "进展", "percent": "10", "version": 0, "action": "submit"},
        )
        report = ProgressReport.objects.get()
        self.client.force_login(self.office)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("tasks:report_action", args=[report.pk, "return"]), {"reason": "数据有误"}
            )
        notified = set(
            Notification.objects.filter(kind="returned").values_list("user__username", flat=True)
        )
        self.assertEqual(notified, {"staff", "head"})
        self.assertIn("数据有误", Notification.objects.filter(kind="returned").first().body)


class IndicatorEditTests(BaseTestCase):
    def test_the_office_corrects_an_indicator_and_it_survives_a_reimport(self):
        from tasks.models import Indicator

        from .helpers import DOC_2022, run

        task = Task.objects.get(plan__year=2022, number="7")
        indicator = task.indicators.get(name="年度投资")
        self.client.force_login(self.office)
        url = reverse("tasks:indicators", args=["2022", "7"])
        page = self.client.get(url)
        formset = page.context["formset"]
        data = {
            "indicators-TOTAL_FORMS": str(len(formset.forms)),
            "indicators-INITIAL_FORMS": str(formset.initial_form_count()),
        }
        for i, form in enumerate(formset.forms):
            instance = form.instance
            if instance.pk:
                data.update(
                    {
                        f"indicators-{i}-id": instance.pk,
                        f"indicators-{i}-name": instance.name,
                        f"indicators-{i}-comparator": instance.comparator,
                        f"indicators-{i}-target": "200"
                        if instance.pk == indicator.pk
                        else instance.target,
                        f"indicators-{i}-unit": instance.unit,
                        f"indicators-{i}-kind": instance.kind,
                    }
                )
            else:  # the blank row, exactly as a browser submits it
                data.update(
                    {f"indicators-{i}-comparator": ">=", f"indicators-{i}-kind": "absolute"}
                )
        response = self.client.post(url, data)
        self.assertRedirects(response, task.get_absolute_url(), fetch_redirect_response=False)
        indicator.refresh_from_db()
        self.assertEqual((indicator.target, indicator.edited_by_office), (200, True))
        run("import_plan", str(DOC_2022))
        self.assertEqual(Indicator.objects.get(pk=indicator.pk).target, 200)

    def test_a_bad_target_is_refused(self):
        self.client.force_login(self.office)
        url = reverse("tasks:indicators", args=["2022", "10"])
        response = self.client.post(
            url,
            {
                "indicators-TOTAL_FORMS": "1",
                "indicators-INITIAL_FORMS": "0",
                "indicators-0-name": "新指标",
                "indicators-0-comparator": ">=",
                "indicators-0-target": "很多",
                "indicators-0-unit": "家",
                "indicators-0-kind": "absolute",
            },
        )
        self.assertEqual(response.status_code, 400)

    def test_a_forged_form_count_is_refused_without_building_thousands_of_forms(self):
        from tasks.forms import MAX_INDICATORS

        self.client.force_login(self.office)
        url = reverse("tasks:indicators", args=["2022", "10"])
        response = self.client.post(
            url, {"indicators-TOTAL_FORMS": "1000000", "indicators-INITIAL_FORMS": "0"}
        )
        self.assertEqual(response.status_code, 400)
        formset = response.context["formset"]
        self.assertEqual(len(formset.forms), MAX_INDICATORS)  # Django's default builds 2,000
        self.assertContains(response, f"{MAX_INDICATORS}", status_code=400)
        self.assertTrue(formset.non_form_errors())
