"""导入方案 in the browser: upload, preview with doubts, choices, the job, the result."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Department, DepartmentAlias
from tasks import jobs
from tasks.importer.browser import preview
from tasks.models import PlanImport, ProgressReport, Task, TaskUnit

from .base import BaseTestCase
from .helpers import run
from .plan_documents import docx_table_plan

UNKNOWN = ("区商务促进中心", "区数据资源局")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(data: bytes, name: str = "咸安区方案.docx"):
    return SimpleUploadedFile(name, data, content_type=DOCX)


class BrowserImportTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.office)

    def _upload(self, data=None, name="咸安区方案.docx", **extra):
        data = docx_table_plan(UNKNOWN) if data is None else data
        return self.client.post(reverse("tasks:import"), {"file": _file(data, name), **extra})

    def _confirm(self, record, data):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post(reverse("tasks:import_preview", args=[record.pk]), data)
        return response, callbacks

    def test_upload_preview_resolve_confirm_job_result(self):
        response = self._upload()
        record = PlanImport.objects.get()
        self.assertRedirects(response, reverse("tasks:import_preview", args=[record.pk]))
        page = self.client.get(response.url).content.decode()
        for text in (
            "于会游区长主抓重点工作",
            "发展数字经济。建成5G基站200个。",
            "6月底前",
            "2024-06-30",
        ):
            self.assertIn(text, page)
        self.assertIn("新建任务 4", page)
        self.assertIn("5G基站 200个", page)  # an indicator
        for name in UNKNOWN:
            self.assertIn(f"新建单位“{name}”", page)

        # Every unknown name must be answered; nothing is queued before.
        response, callbacks = self._confirm(record, {})
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"请为“{UNKNOWN[0]}”选择", response.content.decode())
        self.assertEqual(callbacks, [])

        target = Department.objects.get(name="区行政审批服务局")
        choice = {"unit-0": str(target.pk), "unit-1": "new"}
        response, callbacks = self._confirm(record, choice)
        self.assertRedirects(
            response,
            reverse("tasks:import_status", args=[record.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(len(callbacks), 1)
        # A double click queues nothing more.
        again, more = self._confirm(record, choice)
        self.assertEqual((again.status_code, more), (302, []))
        record.refresh_from_db()
        self.assertEqual(record.state, "queued")
        self.assertIn('"progress": 0', self.client.get(again.url + "?format=json").content.decode())

        self.assertEqual(jobs.import_plan_file(record.pk), "done")
        self.assertEqual(jobs.import_plan_file(record.pk), "done")  # a repeated message: no-op
        record.refresh_from_db()
        self.assertEqual((record.state, record.progress), ("done", 100))
        self.assertEqual(record.plan.tasks.count(), 4)
        alias = DepartmentAlias.objects.get(name=UNKNOWN[0])
        self.assertEqual(alias.department, target)
        self.assertTrue(Department.objects.filter(name=UNKNOWN[1]).exists())
        task_2 = record.plan.tasks.get(number="2")
        self.assertEqual(
            [(u.role, u.department.name, u.written_name) for u in task_2.unit_links.all()],
            [("lead", "区行政审批服务局", UNKNOWN[0])],
        )
        page = self.client.get(reverse("tasks:import_status", args=[record.pk])).content.decode()
        self.assertIn("导入完成", page)
        self.assertIn("新建任务 4", page)
        self.assertIn(f"登记别名：{UNKNOWN[0]} → 区行政审批服务局", page)
        self.assertIn(f"新建单位：{UNKNOWN[1]}", page)

    def test_open_leads_are_chosen_in_the_preview(self):
        text = "某区2024年重点任务\n序号|工作任务|责任单位\n一、稳增长\n1|推进项目建设。|区财政局、区审计局\n"
        self._upload(text.encode(), "plan.txt")
        record = PlanImport.objects.get()
        page = self.client.get(reverse("tasks:import_preview", args=[record.pk])).content.decode()
        self.assertIn("牵头单位待定", page)
        self.assertIn('name="lead-1" value="0" checked', page)
        bad, _ = self._confirm(record, {"lead-1": "7"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("任务 1 的牵头单位选择无效", bad.content.decode())
        _response, callbacks = self._confirm(record, {"lead-1": "1"})
        self.assertEqual(len(callbacks), 1)
        jobs.import_plan_file(record.pk)
        record.refresh_from_db()
        links = TaskUnit.objects.filter(task__plan=record.plan).order_by("role")
        self.assertEqual(
            [(u.role, u.written_name) for u in links],
            [("cooperating", "区财政局"), ("lead", "区审计局")],
        )

    def test_a_reimport_shows_the_differences_first(self):
        self._upload()
        first = PlanImport.objects.get()
        self._confirm(first, {"create_rest": "1"})
        jobs.import_plan_file(first.pk)
        first.refresh_from_db()
        ProgressReport.objects.create(
            task=first.plan.tasks.get(number="4"),
            department=Department.objects.get(name="区财政局"),
            role="lead",
            period_key="2024-W20",
            period_start="2024-05-13",
            period_end="2024-05-19",
            progress="进展",
            created_by=self.staff,
            updated_by=self.staff,
        )
        import io

        import docx

        document = docx.Document(io.BytesIO(docx_table_plan(UNKNOWN)))
        document.tables[0].cell(3, 1).text = "扩大消费，发放消费券。"
        document.tables[1]._tbl.remove(document.tables[1].rows[1]._tr)  # task 4 is gone
        buffer = io.BytesIO()
        document.save(buffer)
        response = self._upload(buffer.getvalue())
        # Task 4 has a report: the file that drops it is refused, nothing is stored.
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "新文件中没有任务 4，但这些任务已有单位填报的进展或领导批示，不能删除",
            response.content.decode(),
        )
        self.assertEqual(PlanImport.objects.count(), 1)
        ProgressReport.objects.all().delete()
        self._upload(buffer.getvalue())
        second = PlanImport.objects.order_by("-pk").first()
        page = self.client.get(reverse("tasks:import_preview", args=[second.pk])).content.decode()
        self.assertIn("将更新已有方案", page)
        # Task 2's text changed; with task 4 gone, 2 of 3 tasks open with a heading sentence, so
        # the document reads as heading-style and tasks 1 and 3 gain a title.
        self.assertIn("新建任务 0，更新 3，未变 0，删除 1", page)
        self.assertIn("更新的任务：1、2、3", page)
        self.assertIn("将删除的任务：4", page)
        self.assertEqual(Task.objects.filter(plan=first.plan).count(), 4)  # nothing applied yet

    def test_the_preview_and_the_dry_run_say_the_same(self):
        self._upload()
        record = PlanImport.objects.get()
        view = preview(record)
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "plan.docx"
            path.write_bytes(bytes(record.data))
            out = run("import_plan", str(path), "--dry-run")
        self.assertIn(f"新建 {len(view.result.tasks_created)}，更新 0", out)
        for name, numbers in view.result.unresolved.items():
            self.assertIn(f"{name}（任务 {'、'.join(numbers)}）", out)
        self.assertFalse(Task.objects.filter(plan__year=2024).exists())

    def test_hostile_uploads_get_a_chinese_400(self):
        cases = [
            (b"MZ\x90\x00", "evil.exe", "只支持 .docx、.xlsx 和 .txt 文件"),
            (b"not a zip", "plan.docx", "不是有效的 Word（.docx）文件"),
            (b"PK\x03\x04junk", "plan.xlsx", "不是有效的 Excel（.xlsx）文件"),
            ("随便写点什么，不是方案。".encode(), "plan.txt", "不是分工方案"),
            (b"\x00\x00\x00\x00", "plan.txt", "不是文本文件"),
        ]
        for data, name, message in cases:
            response = self._upload(data, name)
            self.assertEqual(response.status_code, 400, name)
            self.assertIn(message, response.content.decode(), name)
        self.assertFalse(PlanImport.objects.exists())
        response = self.client.post(reverse("tasks:import"), {"year": "x\x00"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.get("/tasks/import/99999999999999999999/").status_code, 404)
        self.assertEqual(self.client.get("/tasks/import/99999999999/status/").status_code, 404)

    def test_hostile_choices_are_refused(self):
        self._upload()
        record = PlanImport.objects.get()
        for value in ("abc", "99999999999999999999", "-1", "1\x00", "²", "١"):
            response, callbacks = self._confirm(record, {"unit-0": value, "unit-1": "new"})
            self.assertEqual(response.status_code, 400, value)
            self.assertEqual(callbacks, [])
        self.assertTrue(re.search("选择无效", response.content.decode()))


class ImportStatusQueryTests(BaseTestCase):
    def test_the_progress_poll_costs_a_fixed_number_of_queries(self):
        text = "某区2024年重点任务\n一、稳增长\n1.推进项目建设。〔牵头单位：区财政局〕\n".encode()
        record = PlanImport.objects.create(filename="p.txt", data=text, size=len(text))
        self.login_renewed(self.office)
        url = reverse("tasks:import_status", args=[record.pk]) + "?format=json"
        self.client.get(url)
        # the user with profile, unit and leader (one join); the import row with its plan (the
        # session is read from Redis: SESSION_STORE)
        with self.assertNumQueries(2):
            response = self.client.get(url)
        self.assertEqual(response.json()["state"], "uploaded")
