"""Who may read and report what (tasks.access, accounts.roles), case by case.

The cases mutation testing found untested (benchmarks/mutate.py): can_report on its own, "lead
wins", a unit whose only link is direct or only through a group, the anonymous person. A small
hand-built plan, not the 2022 fixture, so each mutant's run stays short.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from accounts.backends import AccountBackend
from accounts.models import Profile
from accounts.roles import (
    ADMIN,
    LEADER,
    OFFICE,
    UNIT_HEAD,
    UNIT_STAFF,
    can_manage_accounts,
    person_of,
    start_url,
)
from departments.models import Department, UnitGroup
from leaders.models import Leader
from tasks.access import (
    can_approve,
    can_edit_indicators,
    can_report,
    can_review,
    involving_unit,
    leads_task,
    task_reading,
    tasks_visible_to,
    unit_role_in,
)
from tasks.models import Plan, ProgressReport, Section, Task, TaskLeader, TaskUnit
from tasks.periods import Period
from tasks.reporting import ReportData, save_report

LEAD, COOPERATING = TaskUnit.Role.LEAD, TaskUnit.Role.COOPERATING


def make_user(
    username, *, unit=None, reporter=False, head=False, office=False, leader=None, superuser=False
):
    """As tests.base.make_user, without a password: hashing one costs a second per account."""
    user = get_user_model().objects.create_user(username, is_superuser=superuser)
    Profile.objects.create(
        user=user, department=unit, is_reporter=reporter, is_unit_head=head, is_office=office
    )
    if leader is not None:
        leader.user = user
        leader.save()
    return user


def make_task(plan, section, number, *units, leaders=()):
    """A task with its unit links in document order: each unit is (role, department or group)."""
    task = Task.objects.create(
        plan=plan, section=section, number=number, text=f"任务{number}", sort_order=int(number)
    )
    for position, (role, unit) in enumerate(units, start=1):
        TaskUnit.objects.create(
            task=task,
            role=role,
            position=position,
            written_name=unit.name,
            **{"group" if isinstance(unit, UnitGroup) else "department": unit},
        )
    for position, leader in enumerate(leaders, start=1):
        TaskLeader.objects.create(task=task, leader=leader, position=position)
    return task


class RulePlan(TestCase):
    """Units A and B, a town reached through 各镇政府（街道办事处）, a unit that only leads."""

    @classmethod
    def setUpTestData(cls):
        cls.a = Department.objects.create(name="区发展和改革局", sort_order=1)
        cls.b = Department.objects.create(name="区财政局", sort_order=2)
        cls.town = Department.objects.create(name="堂邑镇", kind="town", sort_order=3)
        cls.only_lead = Department.objects.create(name="区教育和体育局", sort_order=4)
        cls.towns = UnitGroup.objects.create(name="各镇政府（街道办事处）")
        cls.towns.members.add(cls.town)
        cls.leader_record = Leader.objects.create(name="张娅")
        cls.other_leader = Leader.objects.create(name="梅永杰")
        plan = Plan.objects.create(slug="2022", year=2022, title="2022年重点任务")
        section = Section.objects.create(plan=plan, number="一", title="经济", order=1)
        # 1: A leads directly, the towns cooperate only through the group.
        cls.t1 = make_task(
            plan, section, "1", (LEAD, cls.a), (COOPERATING, cls.towns), leaders=[cls.leader_record]
        )
        # 2: B leads, A cooperates, both directly.
        cls.t2 = make_task(plan, section, "2", (LEAD, cls.b), (COOPERATING, cls.a))
        # 3: a unit that is only ever a lead unit.
        cls.t3 = make_task(plan, section, "3", (LEAD, cls.only_lead), leaders=[cls.other_leader])
        # 4: the town leads directly and also cooperates through the group: lead wins.
        cls.t4 = make_task(plan, section, "4", (LEAD, cls.town), (COOPERATING, cls.towns))
        # 5: the town cooperates directly while A leads (no group).
        cls.t5 = make_task(plan, section, "5", (COOPERATING, cls.town), (LEAD, cls.a))
        cls.tasks = plan.tasks.all()

        cls.staff_a = make_user("staff-a", unit=cls.a, reporter=True)
        cls.head_a = make_user("head-a", unit=cls.a, head=True)
        cls.staff_b = make_user("staff-b", unit=cls.b, reporter=True)
        cls.staff_town = make_user("staff-town", unit=cls.town, reporter=True)
        cls.staff_only_lead = make_user("staff-lead", unit=cls.only_lead, reporter=True)
        cls.office = make_user("office", office=True)
        cls.admin = make_user("root", superuser=True)
        cls.leader = make_user("leader", leader=cls.leader_record)
        cls.leader_with_unit = make_user(
            "leader-unit", unit=cls.a, leader=cls.other_leader, reporter=True
        )
        cls.nobody = make_user("nobody")
        cls.reporter_without_unit = make_user("no-unit", reporter=True, head=True)

    def fresh(self, user):
        """The user as a new request sees it: nothing cached on the object."""
        return type(user).objects.get(pk=user.pk)


class CanReportTests(RulePlan):
    def test_the_office_may_not_report_for_any_unit(self):
        for user in (self.office, self.admin):
            for task, unit in ((self.t1, self.a), (self.t2, self.b), (self.t1, self.town)):
                with self.subTest(user=user.username, task=task.number, unit=unit.name):
                    self.assertFalse(can_report(user, task, unit))

    def test_a_leader_may_not_report_even_on_the_tasks_he_leads(self):
        self.assertTrue(leads_task(self.leader, self.t1))
        self.assertFalse(can_report(self.leader, self.t1, self.a))

    def test_anonymous_and_roleless_people_may_not_report(self):
        for user in (AnonymousUser(), self.nobody, self.reporter_without_unit):
            with self.subTest(user=str(user)):
                self.assertFalse(can_report(user, self.t1, self.a))

    def test_staff_of_unit_a_may_not_write_for_unit_b_on_a_task_both_share(self):
        self.assertEqual(unit_role_in(self.t2, self.a), COOPERATING)
        self.assertEqual(unit_role_in(self.t2, self.b), LEAD)
        self.assertFalse(can_report(self.staff_a, self.t2, self.b))
        self.assertFalse(can_report(self.head_a, self.t2, self.b))
        self.assertFalse(can_report(self.staff_b, self.t2, self.a))

    def test_without_a_unit_to_write_for_nobody_reports(self):
        self.assertFalse(can_report(self.staff_a, self.t1, None))
        self.assertFalse(can_report(self.office, self.t1, None))

    def test_save_report_refuses_staff_writing_for_another_unit_and_writes_nothing(self):
        data = ReportData(
            progress="进展", problems="", next_steps="", percent=Decimal("10"), values={}
        )
        for user, unit in ((self.staff_a, self.b), (self.office, self.a), (self.leader, self.a)):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                save_report(
                    task=self.t2,
                    unit=unit,
                    period=Period("weekly", 2022, 20),
                    user=user,
                    data=data,
                    expected_version=None,
                    submit=True,
                )
        self.assertFalse(ProgressReport.objects.exists())

    def test_staff_and_heads_report_for_their_own_unit_lead_or_cooperating(self):
        self.assertTrue(can_report(self.staff_a, self.t1, self.a))  # lead, direct
        self.assertTrue(can_report(self.head_a, self.t1, self.a))
        self.assertTrue(can_report(self.staff_a, self.t2, self.a))  # cooperating, direct

    def test_a_unit_that_is_only_a_lead_unit_may_report(self):
        self.assertEqual(unit_role_in(self.t3, self.only_lead), LEAD)
        self.assertTrue(can_report(self.staff_only_lead, self.t3, self.only_lead))

    def test_a_town_reached_only_through_its_group_may_report(self):
        self.assertEqual(unit_role_in(self.t1, self.town), COOPERATING)
        self.assertTrue(can_report(self.staff_town, self.t1, self.town))

    def test_a_unit_named_directly_only_may_report(self):
        self.assertEqual(unit_role_in(self.t5, self.town), COOPERATING)
        self.assertTrue(can_report(self.staff_town, self.t5, self.town))

    def test_a_unit_without_a_part_may_not_report(self):
        self.assertIsNone(unit_role_in(self.t2, self.town))
        self.assertFalse(can_report(self.staff_town, self.t2, self.town))
        self.assertFalse(can_report(self.staff_a, self.t3, self.a))

    def test_a_leader_who_is_also_unit_staff_reports_for_the_unit(self):
        self.assertTrue(can_report(self.leader_with_unit, self.t1, self.a))


class UnitRoleTests(RulePlan):
    def test_lead_wins_over_cooperating_through_a_group(self):
        self.assertEqual(unit_role_in(self.t4, self.town), LEAD)

    def test_each_unit_gets_its_own_part(self):
        table = {
            (self.t1, self.a): LEAD,
            (self.t1, self.town): COOPERATING,
            (self.t1, self.b): None,
            (self.t2, self.a): COOPERATING,
            (self.t3, self.only_lead): LEAD,
            (self.t5, self.a): LEAD,
            (self.t5, self.b): None,
        }
        for (task, unit), role in table.items():
            with self.subTest(task=task.number, unit=unit.name):
                self.assertEqual(unit_role_in(task, unit), role)


class VisibilityTests(RulePlan):
    def numbers(self, queryset):
        return sorted(queryset.values_list("number", flat=True))

    def test_a_unit_reads_tasks_it_is_named_on_directly_or_through_a_group(self):
        self.assertEqual(self.numbers(tasks_visible_to(self.staff_a)), ["1", "2", "5"])
        self.assertEqual(self.numbers(tasks_visible_to(self.staff_town)), ["1", "4", "5"])
        self.assertEqual(self.numbers(tasks_visible_to(self.staff_only_lead)), ["3"])
        self.assertEqual(self.numbers(involving_unit(self.tasks, self.b)), ["2"])

    def test_the_office_admins_and_leaders_read_the_whole_plan(self):
        for user in (self.office, self.admin, self.leader):
            with self.subTest(user=user.username):
                self.assertEqual(self.numbers(tasks_visible_to(user)), ["1", "2", "3", "4", "5"])

    def test_people_without_a_role_read_nothing(self):
        for user in (self.nobody, AnonymousUser(), self.reporter_without_unit):
            with self.subTest(user=str(user)):
                self.assertEqual(self.numbers(tasks_visible_to(user)), [])

    def test_a_given_queryset_is_narrowed_not_replaced(self):
        only_2 = self.tasks.filter(number="2")
        self.assertEqual(self.numbers(tasks_visible_to(self.office, only_2)), ["2"])
        self.assertEqual(self.numbers(tasks_visible_to(self.staff_town, only_2)), [])

    def test_one_task_is_visible_exactly_when_the_list_shows_it(self):
        def sees(user, task):
            return tasks_visible_to(user, self.tasks.filter(pk=task.pk)).exists()

        self.assertTrue(sees(self.staff_town, self.t1))
        self.assertFalse(sees(self.staff_town, self.t2))
        self.assertTrue(sees(self.leader, self.t3))

    def test_the_task_page_reads_a_task_exactly_when_the_list_shows_it(self):
        # tasks.access.task_reading (the task page's one question) against tasks_visible_to
        # and unit_role_in, for every account and task of the plan.
        users = (
            self.staff_a,
            self.head_a,
            self.staff_b,
            self.staff_town,
            self.staff_only_lead,
            self.office,
            self.admin,
            self.leader,
            self.leader_with_unit,
            self.nobody,
            self.reporter_without_unit,
        )
        for user in users:
            unit = person_of(user).unit
            for task in (self.t1, self.t2, self.t3, self.t4, self.t5):
                with self.subTest(user=user.username, task=task.number):
                    reading = task_reading(user, task.pk)
                    visible = tasks_visible_to(user, self.tasks.filter(pk=task.pk)).exists()
                    self.assertEqual(reading.may_read, visible)
                    role = None if unit is None else unit_role_in(task, unit)
                    self.assertEqual(reading.unit_role, role)

    def test_leads_task_only_for_the_tasks_lead_leaders(self):
        self.assertTrue(leads_task(self.leader, self.t1))
        self.assertFalse(leads_task(self.leader, self.t3))
        self.assertFalse(leads_task(self.office, self.t1))
        self.assertFalse(leads_task(self.staff_a, self.t1))


class OfficeRightsTests(RulePlan):
    def report_of(self, unit):
        return ProgressReport(task=self.t2, department=unit, role=LEAD)

    def test_the_head_approves_only_their_own_units_reports(self):
        self.assertTrue(can_approve(self.head_a, self.report_of(self.a)))
        self.assertFalse(can_approve(self.head_a, self.report_of(self.b)))
        self.assertFalse(can_approve(self.staff_a, self.report_of(self.a)))
        self.assertFalse(can_approve(self.office, self.report_of(self.a)))
        self.assertFalse(can_approve(self.reporter_without_unit, self.report_of(self.a)))

    def test_only_the_office_and_admins_review_edit_indicators_and_manage_accounts(self):
        for user, allowed in (
            (self.office, True),
            (self.admin, True),
            (self.head_a, False),
            (self.leader, False),
            (self.nobody, False),
            (AnonymousUser(), False),
        ):
            with self.subTest(user=str(user)):
                self.assertEqual(can_review(user), allowed)
                self.assertEqual(can_edit_indicators(user), allowed)
                self.assertEqual(can_manage_accounts(user), allowed)


class PersonTests(RulePlan):
    def test_the_anonymous_person_has_no_role_and_costs_no_query(self):
        user = AnonymousUser()
        with self.assertNumQueries(0):
            person = person_of(user)
        self.assertIs(person.user, user)
        self.assertIsNone(person.profile)
        self.assertIsNone(person.leader)
        self.assertEqual(person.roles, frozenset())
        self.assertFalse(person.is_office)
        self.assertIsNone(person.unit)
        self.assertEqual(person.role_labels, [])
        self.assertIs(person_of(user), person)  # remembered on the user object

    def test_the_anonymous_start_page_is_the_no_role_page(self):
        self.assertEqual(start_url(AnonymousUser()), "/accounts/no-role/")

    def test_roles_of_each_kind_of_account(self):
        table = {
            self.staff_a: {UNIT_STAFF},
            self.head_a: {UNIT_HEAD},
            self.office: {OFFICE},
            self.admin: {ADMIN},
            self.leader: {LEADER},
            self.leader_with_unit: {LEADER, UNIT_STAFF},
            self.nobody: set(),
            self.reporter_without_unit: set(),  # staff/head flags need a department
        }
        for user, roles in table.items():
            with self.subTest(user=user.username):
                self.assertEqual(person_of(self.fresh(user)).roles, frozenset(roles))

    def test_the_unit_is_the_profiles_department_for_staff_and_heads_only(self):
        self.assertEqual(person_of(self.fresh(self.staff_a)).unit, self.a)
        self.assertEqual(person_of(self.fresh(self.head_a)).unit, self.a)
        self.assertIsNone(person_of(self.fresh(self.office)).unit)
        self.assertIsNone(person_of(self.fresh(self.reporter_without_unit)).unit)

    def test_role_labels_in_rank_order(self):
        both = make_user("both", unit=self.a, reporter=True, head=True, office=True)
        self.assertEqual(person_of(both).role_labels, ["督查室", "单位负责人", "填报员"])
        self.assertEqual(
            person_of(self.fresh(self.leader_with_unit)).role_labels, ["区领导", "填报员"]
        )

    def test_one_query_then_none_for_the_same_user_object(self):
        user = self.fresh(self.staff_a)
        with self.assertNumQueries(1):  # the user with profile, department and leader
            person = person_of(user)
        with self.assertNumQueries(0):
            self.assertIs(person_of(user), person)
            self.assertEqual(person.unit, self.a)

    def test_a_user_loaded_by_the_login_backend_costs_no_query(self):
        for user, unit, leader in (
            (self.staff_a, self.a, None),
            (self.leader, None, self.leader_record),
            (self.nobody, None, None),
        ):
            with self.subTest(user=user.username):
                loaded = AccountBackend().get_user(user.pk)
                with self.assertNumQueries(0):
                    person = person_of(loaded)
                    self.assertEqual(person.unit, unit)
                    self.assertEqual(person.leader, leader)
                    self.assertEqual(person.profile.user_id, user.pk)

    def test_a_user_without_a_profile_has_no_role(self):
        bare = get_user_model().objects.create_user("bare")
        person = person_of(self.fresh(bare))
        self.assertIsNone(person.profile)
        self.assertEqual(person.roles, frozenset())
        self.assertEqual(start_url(bare), "/accounts/no-role/")

    def test_landing_pages(self):
        self.assertEqual(start_url(self.fresh(self.office)), "/")
        self.assertEqual(start_url(self.fresh(self.leader)), f"/leaders/{self.leader_record.pk}/")
        self.assertEqual(start_url(self.fresh(self.staff_a)), "/tasks/mine/")
        self.assertEqual(start_url(self.fresh(self.nobody)), "/accounts/no-role/")
