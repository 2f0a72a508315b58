"""Who owes a report on which task (tasks.duties): the basis of 报送率, 未报送 and reminders.

The cases mutation testing found untested (benchmarks/mutate.py, with its hand-written mutants of
this module). A small hand-built plan, not the 2022 fixture, so each mutant's run stays short.
"""

from django.test import TestCase

from departments.models import Department, UnitGroup
from tasks.duties import expected_reporters, expected_units, plan_duties
from tasks.models import Plan, Section, TaskUnit

from .test_rule_access import make_task

LEAD, COOPERATING = TaskUnit.Role.LEAD, TaskUnit.Role.COOPERATING


class DutiesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Registry order (sort_order) differs from creation order on purpose.
        cls.a = Department.objects.create(name="区发展和改革局", sort_order=10)
        cls.b = Department.objects.create(name="区财政局", sort_order=20)
        cls.c = Department.objects.create(name="区统计局", sort_order=30)
        cls.town_2 = Department.objects.create(name="梁水镇镇", kind="town", sort_order=42)
        cls.town_1 = Department.objects.create(name="堂邑镇", kind="town", sort_order=41)
        cls.towns = UnitGroup.objects.create(name="各镇政府（街道办事处）")
        cls.towns.members.add(cls.town_2, cls.town_1)
        cls.bureaus = UnitGroup.objects.create(name="区政府各部门（单位）")
        cls.bureaus.members.add(cls.c, cls.a)
        cls.plan = Plan.objects.create(slug="2022", year=2022, title="2022年重点任务")
        section = Section.objects.create(plan=cls.plan, number="一", title="经济", order=1)
        # 1: the towns' group is named as lead unit, beside B.
        cls.t1 = make_task(cls.plan, section, "1", (LEAD, cls.b), (LEAD, cls.towns))
        # 2: A leads; the towns only cooperate, through their group; C cooperates directly.
        cls.t2 = make_task(
            cls.plan, section, "2", (LEAD, cls.a), (COOPERATING, cls.towns), (COOPERATING, cls.c)
        )
        # 3: A is named directly and is also a member of the lead group of bureaus.
        cls.t3 = make_task(cls.plan, section, "3", (LEAD, cls.a), (LEAD, cls.bureaus))
        # 4: C cooperates directly (first in the document) and leads through the bureaus.
        cls.t4 = make_task(cls.plan, section, "4", (COOPERATING, cls.c), (LEAD, cls.bureaus))
        # 5: cooperating units listed before the lead unit; order within each role kept.
        cls.t5 = make_task(
            cls.plan, section, "5", (COOPERATING, cls.c), (COOPERATING, cls.b), (LEAD, cls.a)
        )
        # 6: nobody is named.
        cls.t6 = make_task(cls.plan, section, "6")

    def duties(self):
        return expected_reporters(self.plan.tasks.all())

    def test_members_of_a_group_named_as_lead_owe_reports(self):
        self.assertEqual(
            self.duties()[self.t1.pk],
            [(self.b.pk, LEAD), (self.town_1.pk, LEAD), (self.town_2.pk, LEAD)],
        )

    def test_units_reached_only_through_a_cooperating_group_are_not_chased(self):
        self.assertEqual(self.duties()[self.t2.pk], [(self.a.pk, LEAD), (self.c.pk, COOPERATING)])

    def test_a_unit_named_directly_and_through_a_lead_group_owes_one_report(self):
        self.assertEqual(self.duties()[self.t3.pk], [(self.a.pk, LEAD), (self.c.pk, LEAD)])

    def test_lead_through_a_group_wins_over_cooperating_directly(self):
        self.assertEqual(self.duties()[self.t4.pk], [(self.a.pk, LEAD), (self.c.pk, LEAD)])

    def test_lead_units_first_then_cooperating_each_in_document_order(self):
        self.assertEqual(
            self.duties()[self.t5.pk],
            [(self.a.pk, LEAD), (self.c.pk, COOPERATING), (self.b.pk, COOPERATING)],
        )

    def test_a_task_with_nobody_named_owes_nothing(self):
        self.assertNotIn(self.t6.pk, self.duties())

    def test_two_queries_for_the_whole_plan_with_departments_loaded(self):
        with self.assertNumQueries(2):  # the unit links with departments; the lead groups' members
            units = expected_units(self.plan.tasks.all())
            names = {task_id: [d.name for d, _ in found] for task_id, found in units.items()}
        self.assertEqual(names[self.t1.pk], ["区财政局", "堂邑镇", "梁水镇镇"])

    def test_a_list_of_task_ids_gives_the_same_duties_for_those_tasks(self):
        ids = [self.t1.pk, self.t3.pk]
        self.assertEqual(expected_reporters(ids), {k: self.duties()[k] for k in ids})

    def test_one_group_leading_two_tasks_is_read_for_each(self):
        # The bureaus lead tasks 3 and 4: each member is listed once per task.
        duties = expected_reporters([self.t3.pk, self.t4.pk])
        self.assertEqual(duties[self.t3.pk], [(self.a.pk, LEAD), (self.c.pk, LEAD)])
        self.assertEqual(duties[self.t4.pk], [(self.a.pk, LEAD), (self.c.pk, LEAD)])

    def test_a_lead_group_without_members_adds_no_one(self):
        empty = UnitGroup.objects.create(name="区直各有关单位")
        task = make_task(self.plan, self.t1.section, "7", (LEAD, empty), (COOPERATING, self.c))
        self.assertEqual(expected_reporters([task.pk]), {task.pk: [(self.c.pk, COOPERATING)]})

    def test_members_with_the_same_registry_position_come_in_id_order(self):
        first = Department.objects.create(name="区民政局", sort_order=5)
        second = Department.objects.create(name="区司法局", sort_order=5)
        group = UnitGroup.objects.create(name="区政府有关部门")
        group.members.add(second)  # added first: the membership rows run the other way
        group.members.add(first)
        task = make_task(self.plan, self.t1.section, "8", (LEAD, group))
        self.assertEqual(
            expected_reporters([task.pk])[task.pk], [(first.pk, LEAD), (second.pk, LEAD)]
        )

    def test_plan_duties_are_the_expected_reporters_of_every_task(self):
        self.assertEqual(plan_duties(self.plan), self.duties())
