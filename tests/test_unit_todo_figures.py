"""我的任务's kept figures (tasks.unit_figures, tasks.lookups.kept_plan_or_404,
leaders.unit_panels) are never older than the data: each is remembered, the data changed,
and what is served then must equal a fresh computation, the change showing in it.

These tests commit for real (TransactionTestCase), as in tests/test_revision.py.
"""

import datetime

from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from departments.models import Department
from leaders import unit_panels
from leaders.instructions import acknowledge, save_instruction
from leaders.models import CoordinationItem, Leader
from tasks import reporting, revision, unit_figures
from tasks.access import involving_unit
from tasks.lookups import kept_plan_or_404
from tasks.models import Plan, ProgressReport, Section, Task, TaskUnit

from . import test_revision
from .base import PASSWORD, make_user
from .test_revision import AS_OF, RevisionTestCase

W20 = "2022-W20"


@override_settings(AS_OF_DATE="2022-05-18")
class UnitTodoFiguresTests(RevisionTestCase):
    def setUp(self):
        super().setUp()
        self.drc = Department.objects.get(name="区发展和改革局")
        self.town = Department.objects.get(name="堂邑镇")
        self.staff = make_user("staff", unit=self.drc, reporter=True)
        self.period = reporting.period_for(self.plan, W20)
        self.task = Task.objects.get(plan=self.plan, number="7")  # FreshFiguresTests.post_report

    def page(self) -> dict:
        return unit_figures.unit_tasks(self.staff, self.plan, self.period, AS_OF)

    def row(self, number: str) -> dict | None:
        pk = Task.objects.get(plan=self.plan, number=number).pk
        return next((r for r in self.page()["rows"] if r["pk"] == pk), None)

    def assert_fresh(self):
        rows = unit_figures._compute_unit_rows(self.staff, self.plan, self.period)
        fresh = unit_figures._with_lights(rows, unit_figures.plan_lights(self.plan, AS_OF))
        fresh["plans"] = list(Plan.objects.values("pk", "slug", "year", "title"))
        self.assertEqual(self.page(), fresh)
        self.assertEqual(unit_figures.plan_rows(self.plan), unit_figures._plan_rows(self.plan))
        panels = {
            "pending": unit_panels._pending(self.drc),
            "items": unit_panels._items(self.drc),
        }
        self.assertEqual(unit_panels._kept(self.drc), panels)
        self.assertEqual(kept_plan_or_404("2022").title, Plan.objects.get(pk=self.plan.pk).title)

    # Remember, act, check (with this class's assert_fresh); whether the counter moved.
    moves = test_revision.FreshFiguresTests.moves

    def test_the_units_rows_move_with_its_tasks_lights_and_the_plan(self):
        involved = involving_unit(Task.objects.all(), self.drc)
        task = (
            self.plan.tasks.filter(unit_links__isnull=False, children__isnull=True)
            .exclude(pk__in=involved)
            .order_by("sort_order")
            .first()
        )
        number = task.number
        self.assertIsNone(self.row(number))  # not a task of the unit's
        self.assertTrue(
            self.moves(
                lambda: TaskUnit.objects.create(
                    task=task, department=self.drc, role=TaskUnit.Role.LEAD, position=99
                )
            )
        )
        self.assertEqual(self.row(number)["role"], "lead")
        self.assertIn(task.pk, self.page()["owed"])

        def close():
            changed = Task.objects.get(pk=task.pk)
            changed.closed_on = datetime.date(2022, 5, 10)
            changed.save()

        self.assertTrue(self.moves(close))
        self.assertEqual(self.row(number)["closed_on"], datetime.date(2022, 5, 10))
        self.assertNotIn(task.pk, self.page()["owed"])

        def rename_plan():
            plan = Plan.objects.get(pk=self.plan.pk)
            plan.title = "改名的方案"
            plan.save()

        self.assertTrue(self.moves(rename_plan))
        self.assertEqual(self.page()["plans"][0]["title"], "改名的方案")
        self.assertEqual(kept_plan_or_404("2022").title, "改名的方案")

        def rename_section():
            section = Section.objects.filter(plan=self.plan).order_by("order").first()
            section.title = "改名的部分"
            section.save()

        self.assertTrue(self.moves(rename_section))
        self.assertIn("改名的部分", self.page()["options"]["section"][1][1])

    def test_a_submission_moves_the_light_and_a_draft_shows_at_once(self):
        self.client.login(request=HttpRequest(), username="staff", password=PASSWORD)
        url = reverse("tasks:mine")
        params = {"plan": "2022", "period": W20}
        self.assertContains(self.client.get(url, params), "state-none")

        def post(action):
            report = ProgressReport.objects.filter(task__number="7", department=self.drc).first()
            response = self.client.post(
                reverse("tasks:report", args=["2022", "7"]) + f"?period={W20}",
                {
                    "progress": "项目完成土地征收。",
                    "problems": "",
                    "next_steps": "继续推进。",
                    "percent": "35",
                    "version": report.version if report else 0,
                    "action": action,
                },
            )
            self.assertEqual(response.status_code, 302)

        light = self.row("7")["light"]
        self.assertFalse(self.moves(lambda: post("save")))  # drafts move nothing ...
        self.assertContains(self.client.get(url, params), "state-draft")  # ... and show
        self.assertTrue(self.moves(lambda: post("submit")))
        self.assertNotEqual(self.row("7")["light"], light)
        self.assertContains(self.client.get(url, params), "state-submitted")

    def test_the_panels_move_with_instructions_acknowledgements_and_coordination_items(self):
        leader = Leader.objects.get(name="张娅")
        leader_user = make_user("zhangya", leader=leader)
        task = Task.objects.get(plan=self.plan, number="7")
        self.assertTrue(
            self.moves(lambda: save_instruction(leader_user, task, "抓紧推进。", publish=True))
        )
        pending = unit_panels._kept(self.drc)["pending"]
        self.assertEqual([(p.number, p.text) for p in pending], [("7", "抓紧推进。")])
        instruction = task.instructions.get()
        self.assertTrue(self.moves(lambda: acknowledge(self.staff, instruction)))
        self.assertEqual(unit_panels._kept(self.drc)["pending"], [])

        items = {}

        def raise_item():
            items["item"] = CoordinationItem.objects.create(
                task=task,
                department=self.town,
                period_key=W20,
                text="请协调用地。",
                kind=CoordinationItem.Kind.DEPARTMENT,
                due=datetime.date(2022, 5, 25),
                created_by=self.staff,
                created_at=timezone.now(),
            )

        self.assertTrue(self.moves(raise_item))
        self.assertEqual(unit_panels._kept(self.drc)["items"], [])  # does not name the unit
        self.assertTrue(self.moves(lambda: items["item"].units.add(self.drc)))
        [(row, to_act)] = unit_panels._kept(self.drc)["items"]
        self.assertEqual((row.text, to_act), ("请协调用地。", True))

        def resolve():
            item = CoordinationItem.objects.get(pk=items["item"].pk)
            item.state = CoordinationItem.State.RESOLVED
            item.save()

        self.assertTrue(self.moves(resolve))
        self.assertEqual(unit_panels._kept(self.drc)["items"], [])

    def test_a_report_keeps_the_rows_panels_and_plans_and_moves_the_lights(self):
        """What reads no report (the unit's rows before their lights, the panels, the plan
        and the plans: revision.NO_REPORTS) is not computed again after a report of an open
        period (the first 我的任务 after another unit's report then loads it), and the page
        still shows the new light."""
        from tasks import lookups

        def read():
            return (
                self.row("7")["light"],
                unit_panels._kept(self.drc),
                kept_plan_or_404("2022"),
                kept_plan_or_404(None),  # as 我的任务 opens, after the submission's redirect
                unit_figures.plan_list(),
            )

        light = read()[0]
        computed = []
        for module, name in (
            (unit_figures, "_compute_unit_rows"),
            (unit_figures, "_plan_rows"),
            (unit_figures, "_plan_list"),
            (unit_panels, "_pending"),
            (unit_panels, "_items"),
            (lookups, "columns_of"),
        ):
            original = getattr(module, name)
            self.addCleanup(setattr, module, name, original)

            def spy(*args, _original=original, _name=name):
                computed.append(_name)
                return _original(*args)

            setattr(module, name, spy)
        before = revision.current()
        test_revision.FreshFiguresTests.post_report(self, "submit")
        self.assertNotEqual(revision.current(), before)
        self.assertNotEqual(read()[0], light)
        self.assertEqual(computed, [])
        self.doCleanups()
        self.assert_fresh()

    def test_a_submission_computes_the_page_its_redirect_opens(self):
        """The unit's 我的任务 figure is computed in the submitting request (its redirect opens
        that page next), after the commit: the page then reads it, as fresh as ever."""
        light = self.row("7")["light"]
        computed = []
        original = unit_figures._with_lights
        self.addCleanup(setattr, unit_figures, "_with_lights", original)

        def spy(*args):
            computed.append(1)
            return original(*args)

        unit_figures._with_lights = spy
        response = test_revision.FreshFiguresTests.post_report(self, "submit")
        self.assertEqual(response.state, ProgressReport.State.SUBMITTED)
        self.assertEqual(len(computed), 1)  # in the writer's request
        self.assertNotEqual(self.row("7")["light"], light)
        self.assertEqual(len(computed), 1)  # kept
        self.doCleanups()
        self.assert_fresh()
