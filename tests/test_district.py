"""A district that is not 东昌府区: an empty registry, exact names, the first import creates units."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.test import TestCase

from departments.models import Department, DepartmentAlias, District, UnitGroup
from departments.resolver import UnitResolver
from tasks.models import Plan, TaskUnit

from .helpers import REGISTRY, run
from .plan_documents import docx_table_plan


class NewDistrictTests(TestCase):
    def test_setup_for_another_district_starts_empty_and_the_first_import_creates_units(self):
        out = run("setup", "--district", "咸安区")
        self.assertIn("已为 咸安区 初始化", out)
        self.assertEqual(District.current().name, "咸安区")
        self.assertEqual(
            (
                Department.objects.count(),
                DepartmentAlias.objects.count(),
                UnitGroup.objects.count(),
            ),
            (0, 0, 0),
        )
        self.assertFalse(Plan.objects.exists())
        self.assertFalse(get_user_model().objects.exists())  # no demo accounts

        # Running plain `setup` again (bin/up) never loads the 东昌府 registry or demo.
        out = run("setup")
        self.assertIn("本系统已为 咸安区 初始化", out)
        self.assertEqual(Department.objects.count(), 0)

        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "咸安区方案.docx"
            path.write_bytes(docx_table_plan())
            out = run("import_plan", str(path))
        plan = Plan.objects.get()
        self.assertEqual((plan.year, plan.tasks.count()), (2024, 4))
        # 东昌府 spells this unit 区商务和投资促进局 (with 区商务局 as its alias); here it is itself.
        names = set(Department.objects.values_list("name", flat=True))
        self.assertIn("区商务局", names)
        self.assertNotIn("区商务和投资促进局", names)
        link = TaskUnit.objects.get(task__number="2", role="lead")
        self.assertEqual(link.department.name, "区商务局")
        task_1 = plan.tasks.get(number="1")
        self.assertEqual(str(task_1.deadline), "2024-06-30")
        self.assertEqual(
            [(u.role, u.department.name) for u in task_1.unit_links.order_by("role", "position")],
            [("cooperating", "区财政局"), ("lead", "区发展和改革局")],
        )
        self.assertEqual([leader.name for leader in task_1.leaders.all()], ["于会游"])

    def test_setup_refuses_to_turn_an_existing_installation_into_another_district(self):
        run("setup", "--district", "咸安区")
        with self.assertRaisesMessage(CommandError, "本系统已为 咸安区 初始化，不能改为 嘉鱼县"):
            run("setup", "--district", "嘉鱼县")

    def test_setup_refuses_a_new_district_over_the_dongchangfu_data(self):
        run("loaddata", REGISTRY)
        with self.assertRaisesMessage(CommandError, "数据库中已有单位或方案数据"):
            run("setup", "--district", "咸安区")
        self.assertFalse(District.objects.exists())


class ExactResolutionTests(TestCase):
    fixtures = [REGISTRY]

    def test_names_resolve_exactly_never_by_similarity(self):
        resolver = UnitResolver.load()
        target = Department.objects.get(name="区商务和投资促进局")
        self.assertEqual(resolver.resolve("区商务局"), target)  # a registered alias
        self.assertEqual(resolver.resolve(" 区商务和投资促进局 "), target)  # whitespace only
        for similar in ("区商务和投资局", "区商务促进局", "商务局", "区商务局局"):
            self.assertIsNone(resolver.resolve(similar), similar)

    def test_a_new_collective_name_becomes_a_unit_group_not_a_department(self):
        resolver = UnitResolver.load()
        for written in ("市直各有关部门", "县直各部门", "区安委会成员单位"):
            created = resolver.create(written)
            self.assertIsInstance(created, UnitGroup, written)
            self.assertFalse(Department.objects.filter(name=written).exists(), written)
            self.assertEqual(resolver.resolve(written), created)
        # A single unit's name still becomes a Department.
        self.assertIsInstance(resolver.create("区数据局"), Department)
