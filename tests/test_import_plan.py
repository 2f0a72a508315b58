"""Importing plan documents into the database: both seed formats, idempotence, dry runs."""

import json

from django.core.management.base import CommandError
from django.test import TestCase

from departments.models import Department, UnitGroup
from leaders.models import Leader
from tasks.export import plan_records
from tasks.models import Indicator, Plan, Section, Task, TaskLeader, TaskUnit

from .helpers import DOC_2022, DOC_2023, REGISTRY, run


def _counts():
    return (
        Plan.objects.count(),
        Section.objects.count(),
        Task.objects.count(),
        TaskLeader.objects.count(),
        TaskUnit.objects.count(),
        Indicator.objects.count(),
        Leader.objects.count(),
        Department.objects.count(),
        UnitGroup.objects.count(),
    )


class Import2022Tests(TestCase):
    fixtures = [REGISTRY]

    @classmethod
    def setUpTestData(cls):
        run("import_plan", str(DOC_2022), "--strict")
        cls.plan = Plan.objects.get(year=2022)
        cls.records = {r["number"]: r for r in plan_records(cls.plan)}

    def test_it_creates_all_146_entries_in_document_order(self):
        numbers = list(self.plan.tasks.values_list("number", flat=True))
        expected = ["1", "2", "3", "4", "5", "6", "6(1)", "6(2)"] + [str(n) for n in range(7, 145)]
        self.assertEqual(numbers, expected)
        self.assertEqual(self.plan.sections.count(), 8)

    def test_it_reads_the_plan_header(self):
        self.assertEqual(self.plan.title, "2022年区政府工作报告重点工作任务部门分工方案")
        self.assertEqual(str(self.plan.issued_on), "2022-03-23")
        self.assertEqual(self.plan.slug, "2022")

    def test_task_1(self):
        r = self.records["1"]
        self.assertTrue(r["text"].startswith("地区生产总值增长 6.5%以上"))
        self.assertEqual(r["section"], "一、主要预期目标")
        self.assertEqual(r["lead_leaders"], ["张娅"])
        self.assertEqual(r["lead_units"], ["区发展和改革局"])
        self.assertEqual(
            r["cooperating_units"], ["区政府各部门（单位）", "各镇政府（街道办事处）", "园区管委会"]
        )

    def test_task_6_has_two_sub_items(self):
        parent = Task.objects.get(plan=self.plan, number="6")
        self.assertEqual(list(parent.children.values_list("number", flat=True)), ["6(1)", "6(2)"])
        self.assertEqual(self.records["6"]["lead_units"], [])
        self.assertEqual(self.records["6(1)"]["lead_leaders"], ["张娅"])
        self.assertEqual(self.records["6(1)"]["lead_units"], ["区发展和改革局"])
        self.assertEqual(self.records["6(2)"]["lead_leaders"], ["赵亚秋"])
        self.assertEqual(self.records["6(2)"]["lead_units"], ["区生态环境分局"])

    def test_task_15_keeps_three_leaders_and_three_lead_units_in_order(self):
        r = self.records["15"]
        self.assertEqual(r["lead_leaders"], ["胡瑞恒", "刘兆华", "张娅"])
        self.assertEqual(r["lead_units"], ["区住房和城乡建设局", "区交通运输局", "区发展和改革局"])
        self.assertEqual(r["cooperating_units"][0], "区政府各部门（单位）")

    def test_task_17_expands_the_deng_phrases(self):
        r = self.records["17"]
        self.assertEqual(r["lead_leaders"], ["张妍", "刘兆华"])
        self.assertEqual(r["lead_units"], ["嘉明经济开发区管委会"])
        self.assertEqual(
            r["cooperating_units"],
            [
                "区自然资源和规划分局",
                "区综合行政执法局",
                "区住房和城乡建设局",
                "区政府各部门（单位）",
                "柳园街道办事处",
                "闫寺街道办事处",
            ],
        )

    def test_task_53_written_with_a_comma_number(self):
        r = self.records["53"]
        self.assertTrue(r["text"].startswith("坚持把双招双引"))
        self.assertEqual(r["lead_units"], ["区经济合作发展中心"])

    def test_task_125_has_four_leaders_and_nine_lead_units(self):
        r = self.records["125"]
        self.assertEqual(r["lead_leaders"], ["高宪栋", "梅永杰", "胡瑞恒", "赵亚秋"])
        self.assertEqual(len(r["lead_units"]), 9)
        self.assertEqual(r["lead_units"][0], "区总工会")
        self.assertEqual(r["lead_units"][-1], "区外事办")

    def test_task_126_fixes_the_typo_in_a_unit_name(self):
        r = self.records["126"]
        self.assertEqual(r["cooperating_units"][0], "区教育和体育局")
        link = TaskUnit.objects.get(
            task__plan=self.plan, task__number="126", position=1, role="cooperating"
        )
        self.assertEqual(link.written_name, "区教体和体育局")

    def test_task_127_has_six_leaders_and_the_epidemic_group(self):
        r = self.records["127"]
        self.assertEqual(len(r["lead_leaders"]), 6)
        self.assertEqual(r["lead_leaders"][0], "梅永杰")
        self.assertEqual(r["cooperating_units"][0], "区疫情防控指挥部各成员单位")
        self.assertTrue(UnitGroup.objects.filter(name="区疫情防控指挥部各成员单位").exists())

    def test_reimporting_the_same_document_changes_nothing(self):
        before = _counts()
        links_before = list(TaskUnit.objects.order_by("pk").values_list("pk", flat=True))
        out = run("import_plan", str(DOC_2022))
        self.assertIn("未作修改", out)
        self.assertEqual(_counts(), before)
        self.assertEqual(
            list(TaskUnit.objects.order_by("pk").values_list("pk", flat=True)), links_before
        )

    def test_a_changed_document_updates_in_place(self):
        text = DOC_2022.read_text(encoding="utf-8")
        changed = text.replace("新增高新技术企业\n\n10 家", "新增高新技术企业\n\n12 家")
        self.assertNotEqual(changed, text)
        path = self._write(changed)
        task_pk = Task.objects.get(plan=self.plan, number="10").pk
        out = run("import_plan", path)
        self.assertIn("更新 1", out)
        task = Task.objects.get(plan=self.plan, number="10")
        self.assertEqual(task.pk, task_pk)
        self.assertIn("新增高新技术企业12 家", task.text)
        self.assertEqual(Plan.objects.count(), 1)

    def test_indicators_are_extracted_at_import(self):
        task = Task.objects.get(plan=self.plan, number="7")
        self.assertEqual(
            [(i.name, i.comparator, i.target, i.unit) for i in task.indicators.all()],
            [("重点项目", ">=", 86, "个"), ("年度投资", ">=", 195, "亿元")],
        )

    def test_reimport_keeps_indicators_the_office_edited(self):
        indicator = Task.objects.get(plan=self.plan, number="7").indicators.get(name="年度投资")
        indicator.target = 200
        indicator.edited_by_office = True
        indicator.save()
        count = Indicator.objects.count()
        run("import_plan", str(DOC_2022))
        indicator.refresh_from_db()
        self.assertEqual(indicator.target, 200)
        self.assertEqual(Indicator.objects.count(), count)

    def test_dry_run_writes_nothing(self):
        text = DOC_2022.read_text(encoding="utf-8").replace("区财政局", "区财政局局")
        before = _counts()
        out = run("import_plan", self._write(text), "--dry-run")
        self.assertIn("试运行", out)
        self.assertIn("区财政局局", out)  # the name it could not resolve is listed
        self.assertEqual(_counts(), before)

    def _write(self, text: str) -> str:
        import tempfile

        handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
        with handle:
            handle.write(text)
        self.addCleanup(lambda: __import__("os").unlink(handle.name))
        return handle.name


class Import2023Tests(TestCase):
    fixtures = [REGISTRY]

    def test_the_2023_plan_gives_90_items_and_no_new_department(self):
        departments_before = Department.objects.count()
        run("import_plan", str(DOC_2022))
        run("import_plan", str(DOC_2023), "--slug", "2023-green", "--strict")
        plan = Plan.objects.get(slug="2023-green")
        self.assertEqual(plan.doc_number, "东昌政办字〔2023〕11号")
        self.assertEqual(str(plan.issued_on), "2023-05-11")
        self.assertEqual(plan.tasks.count(), 90)
        with_lead = plan.tasks.filter(unit_links__role="lead").distinct().count()
        self.assertEqual(with_lead, 87)
        self.assertEqual(Department.objects.count(), departments_before)

    def test_a_unit_has_one_record_across_both_years(self):
        run("import_plan", str(DOC_2022))
        run("import_plan", str(DOC_2023), "--slug", "2023-green")
        drc = Department.objects.get(name="区发展和改革局")
        years = set(
            Task.objects.filter(unit_links__department=drc).values_list("plan__year", flat=True)
        )
        self.assertEqual(years, {2022, 2023})
        for spelling_2023, canonical in [
            ("区市场监管局", "区市场监督管理局"),
            ("区教育体育局", "区教育和体育局"),
            ("区应急局", "区应急管理局"),
        ]:
            link = TaskUnit.objects.filter(
                task__plan__year=2023, written_name=spelling_2023
            ).first()
            self.assertIsNotNone(link, spelling_2023)
            self.assertEqual(link.department.name, canonical)

    def test_the_year_addresses_a_plan_only_when_unambiguous(self):
        run("import_plan", str(DOC_2023), "--slug", "2023-green")
        self.assertEqual(Plan.objects.by_key("2023").slug, "2023-green")
        run("import_plan", str(DOC_2023), "--slug", "2023-copy")
        with self.assertRaises(Plan.MultipleObjectsReturned):
            Plan.objects.by_key("2023")
        with self.assertRaises(CommandError):
            run("export_plan", "2023")


class ExportPlanTests(TestCase):
    fixtures = [REGISTRY]

    def test_json_export_lists_every_task_with_its_responsibilities(self):
        run("import_plan", str(DOC_2022))
        data = json.loads(run("export_plan", "2022", "--format", "json"))
        self.assertEqual(len(data), 146)
        self.assertEqual(
            set(data[0]),
            {
                "number",
                "section",
                "title",
                "text",
                "lead_leaders",
                "lead_units",
                "cooperating_units",
            },
        )
        self.assertEqual(data[14]["number"], "13")


class BadInputTests(TestCase):
    """Each kind of bad document is refused with a Chinese message and writes nothing."""

    fixtures = [REGISTRY]

    GOOD = (
        "一、主要目标\n"
        "1.任务一。〔牵头领导：张娅；牵头单位：区财政局；配合单位：区统计局〕\n"
        "2.任务二。〔牵头领导：张娅；牵头单位：区财政局〕\n"
    )

    def assert_refused(self, data: bytes, *expected_words):
        import os
        import tempfile

        fd, path = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self.addCleanup(os.unlink, path)
        before = _counts()
        with self.assertRaises(CommandError) as caught:
            run("import_plan", path, "--year", "2022")
        message = str(caught.exception)
        for word in ("未写入任何内容", *expected_words):
            self.assertIn(word, message)
        self.assertEqual(_counts(), before)
        return message

    def test_the_minimal_good_document_imports(self):
        run("import_plan", self._path(self.GOOD.encode()), "--year", "2022", "--slug", "mini")
        self.assertEqual(Plan.objects.get(slug="mini").tasks.count(), 2)

    def test_an_empty_file_is_refused(self):
        self.assert_refused(b"")
        self.assert_refused(b"  \n\n \n")

    def test_a_binary_file_is_refused(self):
        self.assert_refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "文本")

    def test_a_wrong_encoding_is_refused_with_the_line(self):
        data = self.GOOD.encode("utf-16-be")[:-2] + b"\xd8\x00"
        self.assert_refused(data)
        latin = ("一、目标\n" * 3).encode() + b"\n1.caf\xe9 \xff\xfe\xfd\n"
        self.assert_refused(latin, "行")

    def test_a_text_that_is_not_a_plan_is_refused(self):
        self.assert_refused("今天天气很好。\n明天也很好。\n".encode(), "未找到编号任务")

    def test_a_number_gap_is_refused_naming_the_line(self):
        text = self.GOOD + "4.任务四。〔牵头领导：张娅；牵头单位：区财政局〕\n"
        self.assert_refused(text.encode(), "第 4 行")

    def test_a_repeated_number_is_refused(self):
        text = self.GOOD + "2.任务二again。〔牵头领导：张娅；牵头单位：区财政局〕\n"
        self.assert_refused(text.encode(), "第 4 行")

    def test_an_unterminated_bracket_is_refused_naming_the_line(self):
        text = self.GOOD.replace("区统计局〕", "区统计局") + ""
        self.assert_refused(text.encode(), "第 2 行")

    def test_strict_mode_refuses_unknown_units(self):
        text = self.GOOD.replace("区统计局", "区不存在局")
        with self.assertRaises(CommandError) as caught:
            run("import_plan", self._path(text.encode()), "--year", "2022", "--strict")
        self.assertIn("区不存在局", str(caught.exception))
        self.assertFalse(Plan.objects.exists())

    def test_a_missing_file_is_refused(self):
        with self.assertRaises(CommandError):
            run("import_plan", "/nonexistent/plan.txt")

    def _path(self, data: bytes) -> str:
        import os
        import tempfile

        fd, path = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self.addCleanup(os.unlink, path)
        return path


class ExportXlsxTests(TestCase):
    fixtures = [REGISTRY]

    def test_the_ledger_xlsx_has_every_task_with_its_units(self):
        import os
        import tempfile

        from openpyxl import load_workbook

        run("import_plan", str(DOC_2022))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ledger.xlsx")
            run("export_plan", "2022", "--format", "xlsx", "--out", out)
            rows = list(load_workbook(out).active.iter_rows(values_only=True))
        self.assertEqual(
            rows[0], ("序号", "所属部分", "工作任务", "牵头领导", "牵头单位", "配合单位")
        )
        self.assertEqual(len(rows), 147)
        row_125 = next(r for r in rows if r[0] == "125")
        self.assertEqual(row_125[3], "高宪栋、梅永杰、胡瑞恒、赵亚秋")
