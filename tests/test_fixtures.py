"""The shipped fixtures load into an empty database and match the importer's own output."""

from django.core.management import call_command
from django.test import TransactionTestCase

from departments.models import Department
from tasks.export import plan_records
from tasks.models import Indicator, Plan

from .helpers import ALL_FIXTURES, DOC_2022, run


class FixtureTests(TransactionTestCase):
    def test_all_fixtures_load_together_into_an_empty_database(self):
        self.assertFalse(Plan.objects.exists())
        call_command("loaddata", *ALL_FIXTURES, verbosity=0)
        plan = Plan.objects.get(year=2022)
        self.assertEqual(plan.tasks.count(), 146)
        self.assertTrue(Department.objects.filter(name="堂邑镇", kind="town").exists())

    def test_the_plan_fixture_matches_what_the_importer_makes_of_the_document(self):
        call_command("loaddata", *ALL_FIXTURES, verbosity=0)
        shipped = Plan.objects.get(slug="2022")
        departments_before = Department.objects.count()
        run("import_plan", str(DOC_2022), "--slug", "fresh-import", "--strict")
        fresh = Plan.objects.get(slug="fresh-import")
        self.assertEqual(Department.objects.count(), departments_before)
        for field in ("year", "title", "doc_number", "issued_on"):
            self.assertEqual(getattr(fresh, field), getattr(shipped, field), field)
        self.assertEqual(fresh.source.text, shipped.source.text)
        self.assertEqual(shipped.source.text, DOC_2022.read_text(encoding="utf-8"))
        self.assertEqual(plan_records(fresh), plan_records(shipped))
        self.assertEqual(self.indicators(fresh), self.indicators(shipped))
        self.assertGreater(len(self.indicators(shipped)), 30)

    @staticmethod
    def indicators(plan):
        return list(
            Indicator.objects.filter(task__plan=plan)
            .order_by("task__sort_order", "position")
            .values_list("task__number", "name", "comparator", "target", "unit", "kind")
        )
