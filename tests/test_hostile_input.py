"""Each kind of hostile input that used to give a 500: a 4xx in Chinese, and nothing written."""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import DataError
from django.test import TestCase, override_settings
from django.urls import reverse

from accounts import onboarding
from departments.models import Department
from leaders.models import Leader
from reports.models import ReportJob
from tasks import reporting
from tasks.models import Attachment, Plan, ProgressReport, Task
from tasks.periods import parse_period_key

from .base import PASSWORD, BaseTestCase
from .helpers import DOC_2022, REGISTRY, run
from .test_accounts import xlsx

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ON_TIME = override_settings(AS_OF_DATE="2022-05-18")


def stored_files() -> list[str]:
    """Every evidence file under MEDIA_ROOT (listed on disk, not from the database)."""
    root = Path(settings.MEDIA_ROOT) / "private" / "attachments"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


class OwnMediaRoot:
    def setUp(self):
        # A MEDIA_ROOT of this test's own: the listing shows only what this test wrote.
        media = tempfile.TemporaryDirectory(prefix="dudu-media-")
        self.addCleanup(media.cleanup)
        override = override_settings(MEDIA_ROOT=media.name)
        override.enable()
        self.addCleanup(override.disable)


class NulBytesTests(OwnMediaRoot, BaseTestCase):
    MESSAGE = "无效字符"

    def test_a_nul_byte_in_a_path_segment_is_a_400_in_chinese(self):
        self.client.force_login(self.staff)
        response = self.client.get("/tasks/2022/1%00/")
        self.assertContains(response, self.MESSAGE, status_code=400)

    def test_a_nul_byte_in_a_query_parameter_is_a_400(self):
        self.client.force_login(self.office)
        for query in ("q=a%00b", "plan=%00", "period=2022-W20%00", "a%00=1"):
            response = self.client.get(reverse("tasks:list") + "?" + query)
            self.assertContains(response, self.MESSAGE, status_code=400, msg_prefix=query)

    def test_undecodable_bytes_in_path_or_query_are_a_400(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get("/tasks/2022/%FF/"), self.MESSAGE, status_code=400)
        response = self.client.get(reverse("tasks:list") + "?q=%ED%A0%80")
        self.assertContains(response, self.MESSAGE, status_code=400)

    def test_a_nul_byte_in_the_login_form_is_refused_before_the_throttle_runs(self):
        for username in ("a\x00b", "\x00"):
            response = self.client.post(reverse("login"), {"username": username, "password": "x"})
            self.assertContains(response, self.MESSAGE, status_code=400)
        response = self.client.post(reverse("login"), {"username": "staff", "password": "a\x00"})
        self.assertContains(response, self.MESSAGE, status_code=400)
        self.assertFalse(AccessAttempt.objects.exists())  # the throttle never saw them
        # The same form without the NUL still logs in.
        response = self.client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def test_a_nul_byte_in_any_form_field_or_file_name_is_a_400_and_nothing_is_saved(self):
        self.client.force_login(self.staff)
        url = reverse("tasks:report", args=["2022", "15"]) + "?period=2022-W20"
        data = {"progress": "进展\x00", "version": 0, "action": "save"}
        self.assertContains(self.client.post(url, data), self.MESSAGE, status_code=400)
        upload = SimpleUploadedFile("a\x00.pdf", PDF, content_type="application/pdf")
        data = {"progress": "进展", "version": 0, "action": "save", "attachments": [upload]}
        response = self.client.post(url, data)
        self.assertIn(response.status_code, (200, 302, 400))  # the parser may strip the NUL
        self.assertFalse(any("\x00" in a.original_name for a in Attachment.objects.all()))
        self.assertEqual(len(stored_files()), Attachment.objects.count())

    def test_a_nul_byte_in_the_session_cookie_is_a_400(self):
        self.client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def"
        self.assertContains(self.client.get(reverse("tasks:list")), self.MESSAGE, status_code=400)


@override_settings(DEBUG=False)
class NonNumericIdTests(BaseTestCase):
    def test_generate_with_a_non_numeric_plan_is_a_404_and_no_job(self):
        self.client.force_login(self.office)
        for plan in ("abc", "1.5", "99999999999999999999", "", "-1"):
            response = self.client.post(
                reverse("reports:generate"), {"plan": plan, "period": "2022-W19"}
            )
            self.assertContains(response, "未找到", status_code=404, msg_prefix=plan)
        self.assertFalse(ReportJob.objects.exists())

    def test_generate_with_a_bad_period_says_so(self):
        self.client.force_login(self.office)
        plan = Plan.objects.get(year=2022)
        for period in ("x" * 500, "2022-W99", "abc"):
            response = self.client.post(
                reverse("reports:generate"), {"plan": plan.pk, "period": period}, follow=True
            )
            self.assertContains(response, "2022-W20")
        self.assertFalse(ReportJob.objects.exists())

    def test_an_id_beyond_the_integer_column_is_a_404(self):
        self.client.force_login(self.office)
        huge = "9" * 25
        for url in (
            f"/tasks/reports/{huge}/",
            f"/tasks/attachments/{huge}/",
            f"/leaders/{huge}/",
            f"/reports/jobs/{huge}/",
            f"/leaders/instructions/{huge}/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)


@ON_TIME
class IndicatorOverflowTests(BaseTestCase):
    def test_a_value_that_rounds_past_the_column_is_refused_in_chinese(self):
        task = Task.objects.filter(
            plan__year=2022,
            indicators__isnull=False,
            unit_links__department=self.drc,
            unit_links__role="lead",
        ).first()
        indicator = task.indicators.first()
        self.client.force_login(self.staff)
        url = reverse("tasks:report", args=["2022", task.number]) + "?period=2022-W20"
        for value in ("999999999999.99999", "-999999999999.99995", "1e12", "1e400"):
            response = self.client.post(
                url,
                {
                    "progress": "进展",
                    "version": 0,
                    "action": "submit",
                    f"indicator_{indicator.pk}": value,
                },
            )
            self.assertContains(response, "数值过大", status_code=400, msg_prefix=value)
        self.assertFalse(ProgressReport.objects.exists())
        # The largest value the column holds is kept as typed.
        response = self.client.post(
            url,
            {
                "progress": "进展",
                "version": 0,
                "action": "save",
                f"indicator_{indicator.pk}": "999999999999.9999",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(str(ProgressReport.objects.get().values.get().actual), "999999999999.9999")


@ON_TIME
class AttachmentNameTests(OwnMediaRoot, BaseTestCase):
    def post(self, *uploads, action="submit"):
        self.client.force_login(self.staff)
        return self.client.post(
            reverse("tasks:report", args=["2022", "15"]) + "?period=2022-W20",
            {
                "progress": "进展。",
                "percent": "30",
                "version": 0,
                "action": action,
                "attachments": list(uploads),
            },
        )

    def test_a_name_longer_than_the_file_system_allows_is_kept_and_served(self):
        name = "测" * 100 + ".pdf"  # 304 bytes in UTF-8: more than a file name may have on disk
        self.assertGreater(len(name.encode()), 255)
        first = SimpleUploadedFile("第一份.pdf", PDF, content_type="application/pdf")
        response = self.post(first, SimpleUploadedFile(name, PDF, content_type="application/pdf"))
        self.assertEqual(response.status_code, 302)
        names = sorted(Attachment.objects.values_list("original_name", flat=True))
        self.assertEqual(names, sorted(["第一份.pdf", name]))
        self.assertEqual(len(stored_files()), 2)
        attachment = Attachment.objects.get(original_name=name)
        download = self.client.get(reverse("tasks:attachment", args=[attachment.pk]))
        self.assertEqual(b"".join(download.streaming_content), PDF)
        self.assertIn("filename*=utf-8''", download["Content-Disposition"])

    def test_a_name_longer_than_the_column_is_refused_and_nothing_is_written(self):
        good = SimpleUploadedFile("第一份.pdf", PDF, content_type="application/pdf")
        long = SimpleUploadedFile("测" * 250 + ".pdf", PDF, content_type="application/pdf")
        response = self.post(good, long)
        self.assertContains(response, "文件名", status_code=400)
        self.assertContains(response, "过长", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())
        self.assertEqual(stored_files(), [])

    def test_a_submission_failing_after_its_first_files_were_written_leaves_no_files(self):
        good = SimpleUploadedFile("第一份.pdf", PDF, content_type="application/pdf")
        bad = SimpleUploadedFile("第二份.pdf", PDF, content_type="application/pdf")
        bad.size = 2**40  # overflows the size column: the database refuses the second row
        period = parse_period_key("2022-W20")
        data = reporting.ReportData("进展", "", "", Decimal("30"), {})
        with self.assertRaises(DataError):
            reporting.save_report(
                task=self.task["15"],
                unit=self.drc,
                period=period,
                user=self.staff,
                data=data,
                expected_version=0,
                submit=True,
                files=[good, bad],
            )
        self.assertFalse(ProgressReport.objects.exists())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(stored_files(), [])  # the first file was written, then removed


class AccountSheetTests(BaseTestCase):
    def validate(self, *rows):
        return onboarding.validate(onboarding.read_rows(xlsx(rows)))

    def test_cells_longer_than_the_columns_are_refused_at_the_check_step(self):
        validation = self.validate(
            ("区发展和改革局", "张" * 151, "zhang", "填报员", "13800000001"),
            ("区发展和改革局", "李四", "l" * 151, "填报员", "13800000002"),
            ("区发展和改革局", "王五", "wangwu", "填报员", "1" * 21),
            ("区" * 101, "赵六", "zhaoliu", "填报员", ""),
        )
        self.assertFalse(validation.ok)
        messages = dict(validation.errors)
        self.assertIn("姓名过长", messages[2])
        self.assertIn("用户名过长", messages[3])
        self.assertIn("手机过长", messages[4])
        self.assertIn("单位过长", messages[5])

    def test_phone_numbers_are_validated_and_normalised(self):
        validation = self.validate(
            ("区发展和改革局", "李四", "lisi", "填报员", "12345"),
            ("区发展和改革局", "王五", "wangwu", "填报员", "电话"),
        )
        self.assertEqual([row for row, _ in validation.errors], [2, 3])
        self.assertIn("格式不正确", validation.errors[0][1])
        validation = self.validate(
            ("区发展和改革局", "李四", "lisi", "填报员", "+86 138 0000 0001"),
            ("区发展和改革局", "王五", "wangwu", "填报员", "0635-8123456-801"),
        )
        self.assertTrue(validation.ok, validation.errors)
        onboarding.create_accounts(validation)
        phones = get_user_model().objects.filter(username__in=["lisi", "wangwu"])
        self.assertEqual(
            sorted(u.profile.phone for u in phones), ["+8613800000001", "06358123456-801"]
        )

    def test_the_upload_page_shows_the_errors_and_creates_nothing(self):
        self.client.force_login(self.office)
        before = get_user_model().objects.count()
        data = xlsx([("区发展和改革局", "张" * 200, "zhang", "填报员", "13800000001")])
        upload = SimpleUploadedFile("accounts.xlsx", data)
        response = self.client.post(reverse("accounts:import"), {"file": upload})
        self.assertContains(response, "姓名过长")
        response = self.client.post(reverse("accounts:import"), {"step": "create"})
        self.assertEqual(get_user_model().objects.count(), before)


def _counts():
    return (
        Plan.objects.count(),
        Task.objects.count(),
        Department.objects.count(),
        Leader.objects.count(),
    )


class PlanDocumentTests(TestCase):
    fixtures = [REGISTRY]
    GOOD = (
        "东昌府区2022年政府工作报告重点任务分工方案\n"
        "一、目标\n"
        "1.任务一。〔牵头领导：张娅；牵头单位：区财政局；配合单位：区统计局〕\n"
        "2.任务二。〔牵头领导：张娅；牵头单位：区财政局〕\n"
    )

    def path(self, text: str) -> str:
        fd, path = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode())
        self.addCleanup(os.unlink, path)
        return path

    def refused(self, text: str, *args) -> str:
        before = _counts()
        with self.assertRaises(CommandError) as caught:
            run("import_plan", self.path(text), *args)
        self.assertEqual(_counts(), before)
        return str(caught.exception)

    def test_a_unit_name_longer_than_the_column_is_refused_naming_the_task(self):
        message = self.refused(self.GOOD.replace("区统计局", "区" + "统" * 120 + "局"))
        self.assertIn("任务 1", message)
        self.assertIn("单位名称", message)
        self.assertIn("未写入任何内容", message)

    def test_a_leader_name_longer_than_the_column_is_refused_naming_the_task(self):
        message = self.refused(
            self.GOOD.replace("张娅；牵头单位：区财政局〕", "张" * 60 + "；牵头单位：区财政局〕")
        )
        self.assertIn("任务 2", message)
        self.assertIn("领导姓名", message)

    def test_a_reimport_that_drops_tasks_with_reports_is_refused_naming_them(self):
        run("import_plan", self.path(self.GOOD), "--slug", "mini")
        plan = Plan.objects.get(slug="mini")
        user = get_user_model().objects.create_user("u")
        ProgressReport.objects.create(
            task=plan.tasks.get(number="2"),
            department=Department.objects.get(name="区财政局"),
            role="lead",
            period_key="2022-W20",
            period_start="2022-05-16",
            period_end="2022-05-22",
            created_by=user,
            updated_by=user,
        )
        shorter = self.GOOD.split("2.任务二")[0]
        message = self.refused(shorter, "--slug", "mini")
        self.assertIn("任务 2", message)
        self.assertIn("已有单位填报的进展", message)
        self.assertEqual(plan.tasks.count(), 2)


class ImportYearTests(TestCase):
    fixtures = [REGISTRY]

    def test_a_year_contradicting_the_document_and_the_plan_is_refused(self):
        run("import_plan", str(DOC_2022), "--slug", "2022")
        with self.assertRaises(CommandError) as caught:
            run("import_plan", str(DOC_2022), "--slug", "2022", "--year", "2023")
        self.assertIn("2022 年", str(caught.exception))
        self.assertIn("--change-year", str(caught.exception))
        self.assertEqual(Plan.objects.get(slug="2022").year, 2022)

    def test_a_year_contradicting_an_existing_plan_is_refused_even_with_the_flag_once_reported(
        self,
    ):
        run("import_plan", str(DOC_2022), "--slug", "2022")
        plan = Plan.objects.get(slug="2022")
        user = get_user_model().objects.create_user("u")
        task = plan.tasks.get(number="1")
        ProgressReport.objects.create(
            task=task,
            department=task.unit_links.exclude(department=None).first().department,
            role="lead",
            period_key="2022-W20",
            period_start="2022-05-16",
            period_end="2022-05-22",
            created_by=user,
            updated_by=user,
        )
        with self.assertRaises(CommandError) as caught:
            run("import_plan", str(DOC_2022), "--slug", "2022", "--year", "2023", "--change-year")
        self.assertIn("已有单位填报的进展", str(caught.exception))
        self.assertEqual(Plan.objects.get(slug="2022").year, 2022)

    def test_the_flag_allows_a_new_plan_in_another_year_than_the_document_says(self):
        out = run("import_plan", str(DOC_2022), "--slug", "copy", "--year", "2023", "--change-year")
        self.assertIn("新建", out)
        self.assertEqual(Plan.objects.get(slug="copy").year, 2023)

    def test_the_matching_year_imports_as_before(self):
        run("import_plan", str(DOC_2022), "--slug", "2022", "--year", "2022")
        self.assertEqual(Plan.objects.get(slug="2022").year, 2022)


class FoundByTheWalkTests(BaseTestCase):
    """500s the hostile walk found beyond the issue's list, each with its own test."""

    def test_unlock_with_a_malformed_ip_address_says_so(self):
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("accounts:unlock"), {"username": "staff", "ip_address": "abc"}, follow=True
        )
        self.assertContains(response, "IP 地址格式不正确")

    def test_a_next_that_looks_like_a_view_name_is_followed_as_a_path(self):
        from leaders.models import Instruction

        instruction = Instruction.objects.create(
            task=self.task["15"],
            leader=self.zhangya,
            text="抓紧推进",
            state="published",
            published_at="2022-05-17T10:00:00+08:00",
        )
        self.client.force_login(self.staff)
        url = reverse("leaders:instruction_acknowledge", args=[instruction.pk])
        response = self.client.post(url, {"next": "home"})
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        response = self.client.post(
            reverse("login"), {"username": "staff", "password": PASSWORD, "next": "1"}
        )
        self.assertEqual(response.status_code, 302)

    def test_per_page_of_zero_negative_or_huge_shows_a_page(self):
        self.client.force_login(self.office)
        for per_page in ("0", "-5", "99999999999999999999"):
            response = self.client.get(reverse("tasks:list") + f"?per_page={per_page}")
            self.assertEqual(response.status_code, 200, per_page)
