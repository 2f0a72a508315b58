"""督查通报: the document read back with python-docx, its numbers against the workbook and the
dashboard, the preview and issue pages, the job, the command, the printed instruction sheet."""

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from docx.oxml.ns import qn
from openpyxl import load_workbook

from common.docx import Notice, notice_bytes
from leaders.models import Instruction
from reports import bulletin_archive, jobs, rollup
from reports.bulletin import build_content, bulletin_period
from reports.bulletin_doc import HEADINGS, write_bulletin
from reports.models import Bulletin, ReportJob
from tasks.models import Plan, Task
from tasks.periods import parse_period_key

from .base import BaseTestCase
from .helpers import run
from .test_weekly_report import add_report

W20 = parse_period_key("2022-W20")
STATUS_LABELS = ("已办结", "序时推进", "滞后", "严重滞后", "未报送")
HOSTILE = "恶意{ PAGE }<w:fldSimple w:instr=\"MERGEFIELD x\"/>=cmd|'/c calc'!A1\x01\x0b换行"


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def summary_counts(text: str) -> dict[str, int]:
    return {
        label: int(n)
        for label, n in re.findall(r"(已办结|序时推进|滞后|严重滞后|未报送)(\d+)项，占", text)
    }


@override_settings(AS_OF_DATE="2022-05-20")
class BulletinContentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        tasks = {t.number: t for t in Task.objects.filter(plan=cls.plan)}
        for number, percent, late in (
            ("1", 5, True),
            ("3", 25, False),
            ("7", 45, False),
            ("15", 30, False),
        ):
            add_report(tasks[number], cls.drc, cls.staff, percent=percent, late=late,
                       problems=f"问题{number}")  # fmt: skip
            add_report(tasks[number], cls.drc, cls.staff, period="2022-W19", percent=percent)
        add_report(tasks["2"], cls.drc, cls.staff, percent=100, state="accepted")
        cls.period = bulletin_period(cls.plan, "weekly", "2022-W20")

    def content(self, **extra):
        defaults = dict(masthead="东昌府区政府工作报告重点任务督查通报", issuer="东昌府区人民政府办公室",
                        number=20, issued_on=W20.end, copy_to="区委办公室", send_to="区政府领导")  # fmt: skip
        defaults.update(extra)
        return build_content(self.plan, self.period, **defaults)

    def document(self, **extra):
        return docx.Document(io.BytesIO(write_bulletin(self.content(**extra))))

    def test_every_number_equals_the_workbook_and_the_dashboard(self):
        document = self.document()
        text = paragraphs(document)
        summary = text[text.index(HEADINGS[0]) + 1]
        counts = summary_counts(summary)
        # The workbook of the same period, read back.
        rollup.produce(self.plan, W20)
        sheet = load_workbook(rollup.workbook_path(self.plan, W20))["总表"]
        labels = [row[10] for row in sheet.iter_rows(min_row=5, values_only=True) if row[10]]
        self.assertEqual(counts, {label: labels.count(label) for label in STATUS_LABELS})
        self.assertIn(f"{len(labels)}项重点任务中", summary)
        # The dashboard of the same period.
        self.client.force_login(self.office)
        page = self.client.get(reverse("home"), {"plan": self.plan.slug, "period": "2022-W20"})
        dashboard = {s.label: n for s, n in page.context["status_counts"]}
        self.assertEqual(counts, {label: dashboard[label] for label in STATUS_LABELS})
        self.assertIn(f"报送率{page.context['rate']:.1f}%", summary)
        self.assertIn(f"应报送进展{page.context['counts']['due']}项次", summary)
        # The lagging table has exactly the workbook's lagging rows, worst first.
        lagging = document.tables[-1]
        numbers = [row.cells[0].text for row in lagging.rows[1:]]
        workbook_lagging = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)
                            if row[10] in ("滞后", "严重滞后", "未报送")]  # fmt: skip
        self.assertEqual(sorted(numbers), sorted(workbook_lagging))
        ranks = {"严重滞后": 0, "未报送": 1, "滞后": 2}
        statuses = {row[0]: row[10] for row in sheet.iter_rows(min_row=5, values_only=True)}
        order = [ranks[statuses[n]] for n in numbers]
        self.assertEqual(order, sorted(order))
        # Task 1 (5 % against ~38 %) is named with its problem and its completion/序时.
        row = next(r for r in lagging.rows if r.cells[0].text == "1")
        self.assertEqual(row.cells[5].text, "问题1")
        self.assertTrue(row.cells[4].text.startswith("5.0%/"))
        # 报送情况 names the late unit; the unit sheet says it was late.
        units = load_workbook(rollup.workbook_path(self.plan, W20))["按单位"]
        late = {r[0]: r[5] for r in units.iter_rows(min_row=2, values_only=True)}
        reporting = " ".join(text[text.index(HEADINGS[3]) + 1 : text.index(HEADINGS[4])])
        self.assertIn(f"逾期报送的单位：区发展和改革局（{late['区发展和改革局']}项）", reporting)

    def test_the_document_has_the_customary_form(self):
        document = self.document()
        text = paragraphs(document)
        self.assertEqual(text[0], "东昌府区政府工作报告重点任务督查通报")
        self.assertEqual(text[1], "第20期")
        self.assertEqual(text[2], "东昌府区人民政府办公室\t2022年5月22日")
        self.assertEqual([t for t in text if t in HEADINGS], list(HEADINGS))
        self.assertEqual(
            text[-2:], ["东昌府区人民政府办公室　　2022年5月22日印发", ""]
        )  # rule below
        self.assertIn("报送：区政府领导", text)
        self.assertIn("抄送：区委办公室", text)
        section = document.sections[0]
        self.assertEqual((round(section.page_width.mm), round(section.page_height.mm)), (210, 297))
        # Fonts: the masthead 方正小标宋简体 in red, body 仿宋_GB2312 16 pt, headings 黑体.
        styles = document.styles
        rfonts = styles["通报报头"].element.rPr.rFonts
        self.assertEqual(rfonts.get(qn("w:eastAsia")), "方正小标宋简体")
        self.assertEqual(str(styles["通报报头"].font.color.rgb), "E60012")
        self.assertEqual(styles["公文正文"].font.size.pt, 16)
        self.assertEqual(styles["一级标题"].element.rPr.rFonts.get(qn("w:eastAsia")), "黑体")
        # Tables: header rows repeat on every page, no row splits across pages.
        indicator, lagging = document.tables
        self.assertEqual([c.text for c in lagging.rows[0].cells],
                         ["序号", "任务", "牵头领导", "牵头单位", "完成/序时", "存在问题"])  # fmt: skip
        for tbl in document.element.body.findall(qn("w:tbl")):
            rows = [tr.find(qn("w:trPr")) for tr in tbl.findall(qn("w:tr"))]
            self.assertIsNotNone(rows[0].find(qn("w:tblHeader")))
            self.assertTrue(all(r.find(qn("w:cantSplit")) is not None for r in rows))
            self.assertTrue(all(r.find(qn("w:tblHeader")) is None for r in rows[1:]))
        # Page numbers: the footer's PAGE field, the only field in the document.
        footer = document.sections[0].footer.part.element.xml
        self.assertIn('w:instr="PAGE"', footer)
        # The font table names the alternatives a reader without the fonts gets.
        fonts = self.docx_part(write_bulletin(self.content()), "word/fontTable.xml")
        self.assertIn('w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)

    def docx_part(self, data: bytes, name: str) -> str:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return package.read(name).decode("utf-8")

    def test_user_text_goes_in_as_text_never_as_a_field(self):
        data = write_bulletin(self.content(requirements=HOSTILE, copy_to=HOSTILE))
        body = self.docx_part(data, "word/document.xml")
        for element in ("<w:fldSimple", "<w:instrText", "<w:fldChar"):
            self.assertFalse(element in body, element)  # the typed one is escaped text
        self.assertIn("&lt;w:fldSimple", body)
        text = paragraphs(docx.Document(io.BytesIO(data)))
        self.assertIn("恶意{ PAGE }<w:fldSimple w:instr=\"MERGEFIELD x\"/>=cmd|'/c calc'!A1", text)
        self.assertIn("换行", text)  # \v became a new paragraph; \x01 was dropped
        self.assertNotIn("\x01", "".join(text))

    def test_a_month_reports_its_last_full_week(self):
        april = bulletin_period(self.plan, "monthly", "2022-04")
        self.assertEqual((april.label, april.source.key), ("2022年4月", "2022-W16"))
        may = bulletin_period(self.plan, "monthly", "2022-05")  # still running on 5-20
        self.assertEqual(may.source.key, "2022-W20")
        for kind, key in (("weekly", "2022-W30"), ("monthly", "2022-07"), ("weekly", "2022-13"),
                          ("daily", "2022-W20"), ("weekly", "1900-W01")):  # fmt: skip
            with self.assertRaises(ValueError, msg=(kind, key)):
                bulletin_period(self.plan, kind, key)


@override_settings(AS_OF_DATE="2022-05-20")
class BulletinPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)

    def preview(self, **params):
        query = {"plan": "2022", "kind": "weekly", "period": "2022-W20", **params}
        return self.client.get(reverse("reports:bulletin_preview"), query)

    def issue(self, token, /, **extra):
        data = {"plan": "2022", "kind": "weekly", "period": "2022-W20", "token": token,
                "number": "", "requirements": "抓紧整改。", "copy_to": "区委办公室",
                "send_to": "区政府领导", **extra}  # fmt: skip
        return self.client.post(reverse("reports:bulletin_issue"), data)

    def run_job(self, job):
        jobs.write_bulletin.apply(args=[job.pk])  # in this process: the worker test is below
        job.refresh_from_db()
        self.assertEqual(job.state, "done", job.last_error)
        return job

    def test_preview_issue_download_and_issue_again(self):
        self.client.force_login(self.office)
        page = self.preview()
        self.assertContains(page, "东昌府区政府工作报告重点任务督查通报")
        for heading in HEADINGS:
            self.assertContains(page, heading)
        token = page.context["token"]
        response = self.issue(token)
        job = ReportJob.objects.get(kind="bulletin")
        self.assertRedirects(response, reverse("reports:job", args=[job.pk]))
        self.issue(token)  # a double click: the same bulletin, no second number
        self.assertEqual(Bulletin.objects.count(), 1)
        self.run_job(job)
        status = self.client.get(reverse("reports:job", args=[job.pk]), {"format": "json"})
        bulletin = Bulletin.objects.get()
        self.assertEqual(status.json()["download"],
                         reverse("reports:bulletin_download", args=[bulletin.pk]))  # fmt: skip
        download = self.client.get(status.json()["download"])
        document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
        self.assertEqual(paragraphs(document)[1], "第1期")
        self.assertIn("抓紧整改。", paragraphs(document))
        self.assertEqual(
            bulletin.summary, paragraphs(document)[paragraphs(document).index(HEADINGS[0]) + 1]
        )
        # A second bulletin for the period: asked first, then kept beside the first.
        second = self.preview().context["token"]
        asked = self.issue(second)
        self.assertContains(asked, "该期间已签发过通报")
        self.assertEqual(Bulletin.objects.count(), 1)
        self.issue(second, confirm="1")
        self.assertEqual(sorted(Bulletin.objects.values_list("number", flat=True)), [1, 2])
        # A number in use is refused with a message.
        taken = self.issue(self.preview().context["token"], confirm="1", number="2")
        self.assertContains(taken, "第2期已被使用", status_code=400)
        # Leaders and units read the archive and download issued bulletins.
        for user in (self.leader, self.town_staff):
            self.client.force_login(user)
            self.assertContains(self.client.get(reverse("reports:bulletins")), "第1期")
            self.assertEqual(self.client.get(download.wsgi_request.path).status_code, 200)
            self.assertEqual(self.preview().status_code, 403)

    def test_a_job_is_sent_to_the_celery_job_of_its_kind(self):
        workbook = ReportJob.objects.create(plan=self.plan, period_key="2022-W20")
        bulletin = Bulletin.objects.create(plan=self.plan, period_key="2022-W20", number=1)
        job = ReportJob.objects.create(plan=self.plan, period_key="2022-W20", kind="bulletin",
                                       bulletin=bulletin)  # fmt: skip
        self.assertIs(jobs.job_for(workbook), jobs.roll_up_week)
        self.assertIs(jobs.job_for(job), jobs.write_bulletin)

    def test_the_roll_up_draft_is_reviewed_and_issued_by_the_office(self):
        period = bulletin_period(self.plan, "weekly", "2022-W20")
        draft = bulletin_archive.prepare_draft(self.plan, period)
        self.assertEqual(bulletin_archive.prepare_draft(self.plan, period), draft)
        self.assertEqual((draft.state, draft.number, draft.file), ("draft", None, ""))
        self.client.force_login(self.office)
        self.assertContains(self.client.get(reverse("reports:bulletins")), "待签发草稿")
        self.issue(self.preview().context["token"])
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.number), ("issued", 1))
        self.assertIsNone(bulletin_archive.prepare_draft(self.plan, period))  # issued already

    def test_hostile_values_get_a_4xx(self):
        self.client.force_login(self.office)
        for params in ({"period": "2022-W20\x00"}, {"kind": "x"}, {"period": "9" * 500},
                       {"plan": "\x00"}, {"plan": "../../etc"}, {"choice": "weekly|2022-W99"}):  # fmt: skip
            self.assertIn(self.preview(**params).status_code, (400, 404), params)
        token = self.preview().context["token"]
        for extra in ({"number": "9" * 5000}, {"number": "１２"}, {"number": "99999999999999999999"}, {"number": "-1"}, {"token": "x\x00"},
                      {"requirements": "长" * 6000}, {"copy_to": "x\x00"}, {"plan": "\x00"}):  # fmt: skip
            self.assertIn(self.issue(token, **extra).status_code, (400, 404), extra)
        self.assertEqual(Bulletin.objects.count(), 0)

    def test_the_command_writes_and_archives(self):
        out = Path(settings.MEDIA_ROOT) / "cmd.docx"
        text = run("bulletin", "2022", "--period", "2022-05", "--out", str(out))
        self.assertIn("2022年5月", text)
        self.assertIn("第1期", paragraphs(docx.Document(out)))
        self.assertEqual(Bulletin.objects.count(), 0)
        run("bulletin", "2022", "--period", "2022-W19", "--out", str(out), "--issue")
        bulletin = Bulletin.objects.get()
        self.assertEqual((bulletin.number, bulletin.period_key), (1, "2022-W19"))
        self.assertTrue(bulletin_archive.bulletin_path(bulletin).exists())


def test_the_same_writer_prints_an_escalation_notice():
    """黄色/红色督办单 are not built yet; the Notice form takes them: a red title, a boxed form."""
    data = notice_bytes(
        Notice(title="红色督办单", number_line="督办〔2022〕3号", red=True,
               fields=[("任务", "15. 建设5G基站"), ("督办事项", "连续两期严重滞后")],
               sections=[("办理要求", "请于5个工作日内书面报告整改情况。")],
               issuer="东昌府区人民政府办公室", date_text="2022年5月20日")
    )  # fmt: skip
    document = docx.Document(io.BytesIO(data))
    title = document.paragraphs[0]
    assert title.text == "红色督办单"
    assert str(title.runs[0].font.color.rgb) == "E60012"
    form = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows[1:]}
    assert form == {"任务": "15. 建设5G基站", "督办事项": "连续两期严重滞后"}
    assert "请于5个工作日内书面报告整改情况。" in paragraphs(document)
    assert 'w:instr="PAGE"' in document.sections[0].footer.part.element.xml


@override_settings(AS_OF_DATE="2022-05-20")
class InstructionSheetTests(BaseTestCase):
    def test_the_sheet_prints_task_instruction_units_and_reply(self):
        instruction = Instruction.objects.create(
            task=self.task["15"], leader=self.zhangya, text="抓紧推进{ PAGE }",
            state="published", published_at="2022-05-17T10:00:00+08:00",
        )  # fmt: skip
        report = add_report(self.task["15"], self.drc, self.staff, progress="已完成选址")
        report.submitted_at = "2022-05-19T10:00:00+08:00"
        report.save()
        self.client.force_login(self.staff)
        response = self.client.get(reverse("leaders:instruction_sheet", args=[instruction.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        document = docx.Document(io.BytesIO(response.content))
        self.assertEqual(document.paragraphs[0].text, "领导批示件")
        form = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}
        self.assertEqual(form["批示内容"], "抓紧推进{ PAGE }")
        self.assertEqual(form["批示领导"], "张娅")
        self.assertTrue(form["任务"].startswith("15. "))
        self.assertIn("区发展和改革局 未阅", form["签阅情况"])
        self.assertIn("区发展和改革局（2022年5月19日报送）：已完成选址", form["办理情况"])
        self.assertContains(self.client.get(instruction.get_absolute_url()), "下载批示件")
        self.client.force_login(self.town_staff)  # not concerned: not found
        response = self.client.get(reverse("leaders:instruction_sheet", args=[instruction.pk]))
        self.assertEqual(response.status_code, 404)


needs_soffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs libreoffice-writer-nogui and poppler-utils (CI installs them)",
)


@needs_soffice
@override_settings(AS_OF_DATE="2022-05-20")
class BulletinOutsidePythonTests(BaseTestCase):
    def test_libreoffice_opens_it_and_the_chinese_text_extracts(self):
        plan = Plan.objects.get(year=2022)
        content = build_content(plan, bulletin_period(plan, "weekly", "2022-W20"),
                                masthead="东昌府区政府工作报告重点任务督查通报",
                                issuer="东昌府区人民政府办公室", number=3,
                                issued_on=W20.end)  # fmt: skip
        folder = Path(settings.MEDIA_ROOT) / "pdf"
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "bulletin.docx"
        write_bulletin(content, source)
        profile = folder / "profile"  # its own profile: runs beside any other soffice
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        pdf = folder / "bulletin.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
        self.assertGreaterEqual(pages, 2)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        flat = "".join(text.split())
        self.assertIn("督查通报", flat)
        self.assertIn("第3期", flat)
        for heading in HEADINGS:
            self.assertIn(heading, flat)
        self.assertIn(f"{content.total}项重点任务中", flat)


needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"
)


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_issued_bulletin(settings):
    """Issue through the page; the job goes through Redis to a real worker and is downloadable."""
    import time

    from celery.contrib.testing.worker import start_worker
    from django.core.management import call_command
    from django.test import Client

    from config.celery import app

    from .base import make_user
    from .helpers import ALL_FIXTURES

    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    settings.AS_OF_DATE = "2022-05-20"
    office = make_user("office-worker", office=True)
    client = Client()
    client.force_login(office)
    preview = client.get(
        reverse("reports:bulletin_preview"), {"plan": "2022", "period": "2022-W20"}
    )
    data = {"plan": "2022", "kind": "weekly", "period": "2022-W20", "number": "7",
            "token": preview.context["token"], "requirements": "按期完成。"}  # fmt: skip
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        response = client.post(reverse("reports:bulletin_issue"), data)
        job = ReportJob.objects.get(kind="bulletin")
        assert response.status_code == 302
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in ("done", "failed"):
                break
            time.sleep(0.5)
    assert job.state == "done", job.last_error
    assert job.progress == 100
    status = client.get(reverse("reports:job", args=[job.pk]), {"format": "json"}).json()
    download = client.get(status["download"])
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert paragraphs(document)[1] == "第7期"
    assert "按期完成。" in paragraphs(document)


@override_settings(AS_OF_DATE="2022-05-20")
class BulletinQueryCountTests(BaseTestCase):
    def test_the_archive_reads_a_fixed_number_of_queries(self):
        plan = Plan.objects.get(year=2022)
        for number in range(1, 6):
            Bulletin.objects.create(plan=plan, period_key=f"2022-W{number:02d}", state="issued",
                                    number=number, period_label=f"第{number}周")  # fmt: skip
        self.login_renewed(self.leader)
        # user with profile, leader and unread notifications (header; the session is read from
        # Redis), issued bulletins with their plans
        with self.assertNumQueries(2):
            self.client.get(reverse("reports:bulletins"))
