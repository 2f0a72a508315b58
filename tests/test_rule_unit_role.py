"""A unit's part in a task (tasks.unit_role), and every place that asks it agreeing.

The case the four former copies disagreed on: a unit that leads through a unit group and is also
named directly as cooperating. Access and duties called it lead, the report form stored its
report as cooperating, and progress reads lead reports only, so its reports never moved the
task's light. Now one function decides, and the data migration corrected the stored roles.
"""

import importlib
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.test import TestCase, override_settings

from departments.models import Department, UnitGroup
from tasks.access import unit_role_in
from tasks.duties import expected_reporters
from tasks.models import Plan, ProgressReport, Section, TaskUnit
from tasks.periods import Period
from tasks.progress import task_states
from tasks.reporting import ReportData, save_report
from tasks.status import Status
from tasks.tables import UNITS, UnitTaskTable
from tasks.unit_role import COOPERATING, LEAD, unit_role

from .test_rule_access import make_task, make_user

WEEK_20 = Period("weekly", 2022, 20)


@dataclass
class Link:
    role: str
    department_id: int | None = None
    group_id: int | None = None


# --- the rule itself, no database ----------------------------------------------------------------


def test_the_rules_values_are_the_stored_role_values():
    assert (LEAD, COOPERATING) == (TaskUnit.Role.LEAD, TaskUnit.Role.COOPERATING)


def test_a_unit_named_directly_has_the_role_it_is_named_with():
    assert unit_role([Link(LEAD, department_id=1)], 1, set()) == LEAD
    assert unit_role([Link(COOPERATING, department_id=1)], 1, set()) == COOPERATING


def test_a_unit_reached_through_a_group_has_the_groups_role():
    assert unit_role([Link(LEAD, group_id=7)], 1, {7}) == LEAD
    assert unit_role([Link(COOPERATING, group_id=7)], 1, {7}) == COOPERATING


def test_leading_through_a_group_wins_over_being_named_as_cooperating():
    links = [Link(COOPERATING, department_id=1), Link(LEAD, group_id=7)]
    assert unit_role(links, 1, {7}) == LEAD
    assert unit_role(list(reversed(links)), 1, {7}) == LEAD


def test_leading_directly_wins_over_cooperating_through_a_group():
    assert unit_role([Link(COOPERATING, group_id=7), Link(LEAD, department_id=1)], 1, {7}) == LEAD


def test_a_unit_not_named_has_no_role():
    links = [Link(LEAD, department_id=2), Link(LEAD, group_id=8), Link(COOPERATING, group_id=9)]
    assert unit_role(links, 1, {7}) is None
    assert unit_role([], 1, set()) is None


def test_a_group_the_unit_is_not_in_gives_it_nothing():
    assert unit_role([Link(COOPERATING, department_id=1), Link(LEAD, group_id=8)], 1, {7}) == (
        COOPERATING
    )


# --- every caller, on the case they disagreed on --------------------------------------------------


@override_settings(AS_OF_DATE="2022-05-18")
class LeadThroughAGroupAndNamedAsCooperatingTests(TestCase):
    """堂邑镇 is in 各镇政府（街道办事处）, the lead unit of task 1, and is named as cooperating."""

    @classmethod
    def setUpTestData(cls):
        cls.town = Department.objects.create(name="堂邑镇", kind="town", sort_order=1)
        cls.towns = UnitGroup.objects.create(name="各镇政府（街道办事处）")
        cls.towns.members.add(cls.town)
        cls.plan = Plan.objects.create(slug="2022", year=2022, title="2022年重点任务")
        section = Section.objects.create(plan=cls.plan, number="一", title="经济", order=1)
        cls.task = make_task(cls.plan, section, "1", (LEAD, cls.towns), (COOPERATING, cls.town))
        cls.staff = make_user("staff-town", unit=cls.town, reporter=True)

    def submit(self):
        return save_report(
            task=self.task,
            unit=self.town,
            period=WEEK_20,
            user=self.staff,
            data=ReportData(
                progress="已完成年度任务的四成",
                problems="",
                next_steps="",
                percent=Decimal("40"),
                values={},
            ),
            expected_version=None,
            submit=True,
        )

    def test_access_and_duties_call_it_lead(self):
        self.assertEqual(unit_role_in(self.task, self.town), LEAD)
        self.assertEqual(expected_reporters([self.task.pk])[self.task.pk], [(self.town.pk, LEAD)])

    def test_its_report_is_stored_as_lead(self):
        self.assertEqual(self.submit().role, LEAD)

    def test_its_report_moves_the_tasks_light(self):
        report = self.submit()
        state = task_states(self.plan, WEEK_20.end)[self.task.pk]
        self.assertEqual(state.latest.pk, report.pk)
        self.assertEqual(state.completion, 40.0)
        self.assertNotEqual(state.status, Status.NOT_REPORTED)

    def test_its_task_list_shows_it_as_lead(self):
        tasks = self.plan.tasks.prefetch_related(UNITS)
        table = UnitTaskTable(tasks, unit=self.town, group_ids={self.towns.pk})
        self.assertEqual(table.value_unit_role(tasks[0]), "牵头")

    def test_the_migration_corrects_a_report_stored_as_cooperating(self):
        wrong = ProgressReport.objects.create(
            task=self.task,
            department=self.town,
            role=COOPERATING,
            period_key=WEEK_20.key,
            period_start=WEEK_20.start,
            period_end=WEEK_20.end,
            state=ProgressReport.State.SUBMITTED,
            created_by=self.staff,
            updated_by=self.staff,
        )
        migration = importlib.import_module("tasks.migrations.0005_report_role_lead_wins")
        migration.correct_roles(apps, None)
        wrong.refresh_from_db()
        self.assertEqual(wrong.role, LEAD)

    def test_the_migration_leaves_right_roles_and_units_without_a_part_alone(self):
        other = Department.objects.create(name="区财政局", sort_order=2)
        kept = ProgressReport.objects.create(
            task=self.task,
            department=other,
            role=COOPERATING,  # no longer named: its role stays as it was
            period_key=WEEK_20.key,
            period_start=WEEK_20.start,
            period_end=WEEK_20.end,
            created_by=self.staff,
            updated_by=self.staff,
        )
        right = self.submit()
        migration = importlib.import_module("tasks.migrations.0005_report_role_lead_wins")
        migration.correct_roles(apps, None)
        kept.refresh_from_db()
        right.refresh_from_db()
        self.assertEqual((kept.role, right.role), (COOPERATING, LEAD))
