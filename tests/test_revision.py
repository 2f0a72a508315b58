"""Remembered figures (tasks.revision) are never older than the data they come from.

These tests commit for real (TransactionTestCase): the counter moves privately inside a
transaction and for everybody on commit, as in a web request. Before each change the figures are
remembered, so a change that failed to move the counter would show here as a stale figure.
"""

import datetime
import re
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import HttpRequest
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Department, UnitGroup
from leaders.models import Leader
from tasks import reporting, revision
from tasks.duties import expected_reporters, plan_duties
from tasks.models import DataRevision, Indicator, Plan, ProgressReport, Task, TaskUnit
from tasks.progress import plan_task_states, task_states

from .base import PASSWORD, make_user
from .helpers import ALL_FIXTURES

AS_OF = datetime.date(2022, 5, 18)


def without_csrf(html: bytes) -> bytes:
    """The page without its CSRF and one-time form tokens (new on every response)."""
    return re.sub(rb'name="(csrfmiddlewaretoken|_once)" value="[^"]+"', b"", html)


class RevisionTestCase(TransactionTestCase):
    fixtures = ALL_FIXTURES

    def setUp(self):
        DataRevision.objects.get_or_create(pk=1)  # the flush between tests removes it
        revision.forget()
        self.plan = Plan.objects.get(year=2022)

    def tearDown(self):
        revision.forget()


class MemoTests(RevisionTestCase):
    def counted(self):
        calls = []

        def compute():
            calls.append(1)
            return len(calls)

        return calls, compute

    def test_it_serves_the_remembered_value_until_the_counter_moves(self):
        calls, compute = self.counted()
        self.assertEqual(revision.memo("t", (1,), compute), 1)
        self.assertEqual(revision.memo("t", (1,), compute), 1)
        self.assertEqual(revision.memo("t", (2,), compute), 2)  # other arguments
        revision.bump()  # outside a transaction: at once
        self.assertEqual(revision.memo("t", (1,), compute), 3)
        self.assertEqual(len(calls), 3)

    def shared(self) -> int:
        """The shared counter as this connection sees it."""
        return dict(revision.current())[None]

    def committed_value(self) -> int:
        """The counter as another connection (another worker) sees it."""
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute('SELECT "value" FROM "tasks_datarevision" WHERE "id" = 1')
                return cursor.fetchone()[0]
        finally:
            other.close()

    def test_a_transaction_moves_it_once_privately_and_a_rollback_not_at_all(self):
        start = self.shared()
        with CaptureQueriesContext(connection) as queries:
            with transaction.atomic():
                for _ in range(3):
                    revision.bump()
                inside = self.shared()
                self.assertNotEqual(inside, start)  # this transaction sees its own value …
                self.assertEqual(self.committed_value(), start)  # … nobody else does yet
        self.assertEqual(self.shared(), inside)  # the commit publishes it
        self.assertEqual(self.committed_value(), inside)
        updates = [q for q in queries if q["sql"].startswith('UPDATE "tasks_datarevision"')]
        self.assertEqual(len(updates), 1)
        try:
            with transaction.atomic():
                revision.bump()
                self.assertNotEqual(self.shared(), inside)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        self.assertEqual(self.shared(), inside)

    def test_it_never_walks_back_to_an_earlier_value(self):
        seen = {revision.current()}
        for _ in range(20):
            revision.bump()
            self.assertNotIn(revision.current(), seen)
            seen.add(revision.current())
        DataRevision.objects.all().delete()  # as a restore of an old dump or a flush would
        revision.bump()
        self.assertNotIn(revision.current(), seen)

    def test_what_a_transaction_keeps_after_its_change_is_its_own_until_it_commits(self):
        calls, compute = self.counted()
        self.assertEqual(revision.memo("t", (), compute), 1)
        try:
            with transaction.atomic():
                self.assertEqual(revision.memo("t", (), compute), 1)  # no change yet: kept
                revision.bump()
                self.assertEqual(revision.memo("t", (), compute), 2)  # after its change
                self.assertEqual(revision.memo("t", (), compute), 2)  # kept, inside it
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        self.assertEqual(revision.memo("t", (), compute), 1)  # the rollback showed nothing
        with transaction.atomic():
            revision.bump()
            self.assertEqual(revision.memo("t", (), compute), 3)
        self.assertEqual(revision.memo("t", (), compute), 3)  # committed with its data
        self.assertEqual(len(calls), 3)

    def test_a_change_after_a_kept_figure_in_the_same_transaction_moves_it_again(self):
        calls, compute = self.counted()
        with CaptureQueriesContext(connection) as queries:
            with transaction.atomic():
                revision.bump()
                self.assertEqual(revision.memo("t", (), compute), 1)
                revision.bump()  # a second change: the figure kept above does not show it
                revision.bump()  # nothing kept since the last bump: no new value needed
                self.assertEqual(revision.memo("t", (), compute), 2)
        self.assertEqual(revision.memo("t", (), compute), 2)
        updates = [q for q in queries if q["sql"].startswith('UPDATE "tasks_datarevision"')]
        self.assertEqual(len(updates), 2)

    def test_a_figure_that_reads_no_report_is_kept_across_reports_of_open_periods(self):
        """memo(settled=NO_REPORTS): a recent report (of any plan) keeps it; a change to an
        older report, to a plan's structure (any plan's) or to what plans share moves it; with
        plan=, only that plan's changes (and shared ones) move it."""
        other = Plan.objects.exclude(pk=self.plan.pk).first() or Plan.objects.create(
            year=2099, slug="2099", title="另一个方案"
        )
        calls, compute = self.counted()

        def of_no_plan():
            return revision.memo("t", (), compute, settled=revision.NO_REPORTS)

        def of_the_plan():
            return revision.memo("u", (), compute, plan=self.plan, settled=revision.NO_REPORTS)

        self.assertEqual((of_no_plan(), of_the_plan()), (1, 2))
        revision.bump(plan=self.plan.pk, recent=True)
        revision.bump(plan=other.pk, recent=True)
        self.assertEqual((of_no_plan(), of_the_plan()), (1, 2))  # kept
        revision.bump(plan=other.pk)  # another plan's structure, or a settled report
        self.assertEqual((of_no_plan(), of_the_plan()), (3, 2))
        revision.bump(plan=self.plan.pk)
        self.assertEqual((of_no_plan(), of_the_plan()), (4, 5))
        revision.bump()  # what plans share
        self.assertEqual((of_no_plan(), of_the_plan()), (6, 7))
        self.assertEqual(len(calls), 7)

    def test_without_its_counter_row_nothing_is_served_from_memory(self):
        DataRevision.objects.all().delete()
        calls, compute = self.counted()
        revision.memo("t", (), compute)
        revision.memo("t", (), compute)
        self.assertEqual(len(calls), 2)


class FreshBase(RevisionTestCase):
    def setUp(self):
        super().setUp()
        self.drc = Department.objects.get(name="区发展和改革局")
        self.staff = make_user("staff", unit=self.drc, reporter=True)
        self.head = make_user("head", unit=self.drc, head=True)
        self.office = make_user("office", office=True)
        self.task = Task.objects.get(plan=self.plan, number="7")

    def assert_fresh(self):
        """What the pages are served (remembered) equals what a fresh computation gives."""

        def summary(states):
            return {
                pk: (s.status, s.completion, s.latest and s.latest.pk, s.expected)
                for pk, s in states.items()
            }

        self.assertEqual(
            summary(plan_task_states(self.plan, AS_OF)), summary(task_states(self.plan, AS_OF))
        )
        self.assertEqual(plan_duties(self.plan), expected_reporters(self.plan.tasks.all()))

    def moves(self, action) -> bool:
        """Remember the figures, run the action, check them; whether the counter moved."""
        self.assert_fresh()
        before = revision.current()
        action()
        self.assert_fresh()
        return revision.current() != before

    def post_report(self, action, percent="35"):
        self.client.login(request=HttpRequest(), username="staff", password=PASSWORD)
        report = ProgressReport.objects.filter(
            task=self.task, department=self.drc, period_key="2022-W20"
        ).first()
        response = self.client.post(
            reverse("tasks:report", args=["2022", "7"]) + "?period=2022-W20",
            {
                "progress": "项目完成土地征收。",
                "problems": "",
                "next_steps": "继续推进。",
                "percent": percent,
                "version": report.version if report else 0,
                "action": action,
            },
        )
        self.assertEqual(response.status_code, 302)
        return ProgressReport.objects.get(
            task=self.task, department=self.drc, period_key="2022-W20"
        )


@override_settings(AS_OF_DATE="2022-05-18")
class FreshFiguresTests(FreshBase):
    def test_the_reporting_flow_moves_it_at_every_step_that_counts_and_not_for_drafts(self):
        self.assertFalse(self.moves(lambda: self.post_report("save")))
        self.assertFalse(self.moves(lambda: self.post_report("save", percent="36")))
        self.assertTrue(self.moves(lambda: self.post_report("submit")))
        report = ProgressReport.objects.get(task=self.task, department=self.drc)
        self.assertEqual(plan_task_states(self.plan, AS_OF)[self.task.pk].latest.pk, report.pk)
        self.assertTrue(self.moves(lambda: reporting.approve(report, self.head)))
        self.assertTrue(self.moves(lambda: reporting.accept(report, self.office)))
        report.refresh_from_db()
        self.assertTrue(self.moves(lambda: reporting.return_report(report, self.office, "补充")))
        self.assertFalse(self.moves(lambda: self.post_report("save", percent="50")))
        self.assertTrue(self.moves(lambda: self.post_report("submit", percent="50")))
        self.assertEqual(plan_task_states(self.plan, AS_OF)[self.task.pk].completion, 50.0)

    def test_after_a_submission_the_hot_figures_are_kept_already_for_every_worker(self):
        from tasks import figures

        self.post_report("submit")  # the request computed them after its commit
        for as_of in figures.hot_as_of(self.plan):
            with CaptureQueriesContext(connection) as queries:
                plan_task_states(self.plan, as_of)
                plan_duties(self.plan)
            self.assertEqual(len(queries), 2, as_of)  # the revision, twice: nothing computed
        report = ProgressReport.objects.get(task=self.task, department=self.drc)
        reporting.return_report(report, self.office, "补充")  # outside a request (a job)
        with CaptureQueriesContext(connection) as queries:
            plan_task_states(self.plan, AS_OF)
        self.assertGreater(len(queries), 1)  # not computed ahead: computed here, once

    def test_a_changed_indicator_value_or_target_moves_it(self):
        self.post_report("submit")
        report = ProgressReport.objects.get(task=self.task, department=self.drc)
        indicator = self.task.indicators.first()
        self.assertIsNotNone(indicator, "task 7 has indicators")
        self.assertTrue(
            self.moves(lambda: report.values.create(indicator=indicator, actual=Decimal("10")))
        )
        self.assertTrue(
            self.moves(
                lambda: report.values.update_or_create(
                    indicator=indicator, defaults={"actual": Decimal("20")}
                )
            )
        )

        def double_target():
            changed = Indicator.objects.get(pk=indicator.pk)
            changed.target = (changed.target or Decimal("1")) * 2
            changed.save()

        self.assertTrue(self.moves(double_target))
        self.assertTrue(self.moves(lambda: report.values.all().delete()))

    def test_changes_to_who_is_responsible_move_it(self):
        town = Department.objects.get(name="堂邑镇")
        link = TaskUnit.objects.filter(task=self.task).first()
        self.assertTrue(
            self.moves(
                lambda: TaskUnit.objects.create(
                    task=self.task, department=town, role=TaskUnit.Role.COOPERATING, position=99
                )
            )
        )
        group = UnitGroup.objects.first()
        self.assertTrue(self.moves(lambda: group.members.remove(group.members.first())))
        self.assertTrue(self.moves(lambda: link.delete()))

        def change_deadline():
            task = Task.objects.get(pk=self.task.pk)
            task.deadline = datetime.date(2022, 5, 31)
            task.save()

        self.assertTrue(self.moves(change_deadline))

    def test_a_remembered_page_runs_fewer_queries_and_shows_the_same(self):
        leader = Leader.objects.get(name="张娅")
        make_user("zhangya", leader=leader)
        self.client.login(request=HttpRequest(), username="zhangya", password=PASSWORD)
        url = reverse("leaders:portfolio", args=[leader.pk])
        self.client.get(url)  # renews the session; not counted below
        revision.forget()
        with CaptureQueriesContext(connection) as cold:
            first = self.client.get(url)
        with CaptureQueriesContext(connection) as warm:
            second = self.client.get(url)
        # Kept: task states (tasks with their latest report id, indicators, node plans: 3; no
        # report to load here), the trend (the plan's tasks, their reports, their node plans:
        # 3), the portfolio's rows (the leader's tasks, their leaders, their units: 3), the
        # leader's plans (1): 10 fewer. The page itself is rendered for each request (no HTML
        # is kept). The revision is read once per request, warm or cold; the new 落实情况 are
        # never kept.
        self.assertEqual(len(cold) - len(warm), 10)
        self.assertEqual(without_csrf(first.content), without_csrf(second.content))

    def test_a_request_reads_the_revision_once_and_a_job_at_every_use(self):
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        url = reverse("home") + "?plan=2022&period=2022-W20"
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)  # states now and last period, duties: three remembered figures
        reads = [q for q in queries if 'FROM "tasks_datarevision"' in q["sql"]]
        self.assertEqual(len(reads), 1)
        with CaptureQueriesContext(connection) as queries:  # outside a request (a Celery job)
            plan_task_states(self.plan, AS_OF)
            plan_duties(self.plan)
        reads = [q for q in queries if 'FROM "tasks_datarevision"' in q["sql"]]
        self.assertEqual(len(reads), 2)

    def test_a_remembered_portfolio_shows_a_new_report_at_once(self):
        leader = Leader.objects.get(name="张娅")
        self.assertTrue(self.task.leader_links.filter(leader=leader).exists())
        make_user("zhangya", leader=leader)
        self.client.login(request=HttpRequest(), username="zhangya", password=PASSWORD)
        url = reverse("leaders:portfolio", args=[leader.pk]) + "?period=2022-W20"
        before = self.client.get(url).content.decode()
        self.assertEqual(without_csrf(before.encode()), without_csrf(self.client.get(url).content))
        self.client.logout()
        self.post_report("submit", percent="35")
        self.client.login(request=HttpRequest(), username="zhangya", password=PASSWORD)
        after = self.client.get(url).content.decode()
        self.assertIn("项目完成土地征收。", after)
        self.assertNotIn("项目完成土地征收。", before)

    def test_a_remembered_export_changes_with_the_plan_and_not_otherwise(self):
        from io import BytesIO

        from openpyxl import load_workbook

        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        url = reverse("tasks:list") + "?plan=2022&_export=xlsx"
        # Renews the session, keeps the plan (tasks.lookups.kept_plan_or_404: by the key the
        # address names) and the list's figures; not counted below.
        self.client.get(reverse("tasks:list"), {"plan": "2022"})

        def cells():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            data = b"".join(response.streaming_content)
            rows = load_workbook(BytesIO(data), read_only=True).active.iter_rows(values_only=True)
            return [list(r) for r in rows], len(queries)

        first, cold = cells()
        second, warm = cells()
        self.assertEqual(first, second)
        # The rows come from the list's kept figures (tasks.plan_rows, kept by the first page
        # above): building the file reads no query, so remembering it saves time, not queries.
        self.assertEqual(cold - warm, 0)
        self.post_report("save")  # a draft: the list has no report in it, nothing moves
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        self.assertEqual(cells()[0], first)
        self.client.login(request=HttpRequest(), username="staff", password=PASSWORD)
        self.assertLess(len(cells()[0]), len(first))  # a unit's export: its own tasks only
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        task = Task.objects.get(pk=self.task.pk)
        task.text = "改写后的任务内容：" + task.text
        task.save()
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        changed, _ = cells()
        self.assertNotEqual(changed, first)
        self.assertTrue(any("改写后的任务内容" in str(c) for row in changed for c in row))


@override_settings(AS_OF_DATE="2022-05-18")
class PerPlanTests(FreshBase):
    """One counter per plan (tasks.models.PlanRevision) beside the shared one: a change to a
    plan's data moves that plan's figures only, a change to what plans share moves them all;
    either way, no plan's figures are ever older than its data."""

    def setUp(self):
        super().setUp()
        from .synthetic import build_plan

        self.other = build_plan(
            slug="2022-b",
            year=2022,
            tasks=8,
            reports_for=self.drc,
            period_key="2022-W19",
            author=self.staff,
        )
        revision.bump()  # bulk_create sends no signals

    def plans(self):
        return (self.plan, self.other)

    def assert_all_fresh(self):
        for plan in self.plans():
            kept = {
                pk: (s.status, s.latest and s.latest.pk)
                for pk, s in plan_task_states(plan, AS_OF).items()
            }
            fresh = {
                pk: (s.status, s.latest and s.latest.pk)
                for pk, s in task_states(plan, AS_OF).items()
            }
            self.assertEqual(kept, fresh, plan.slug)
            self.assertEqual(plan_duties(plan), expected_reporters(plan.tasks.all()), plan.slug)

    def keys(self):
        return {
            plan.slug: revision.key_of("task_states", (plan.pk, AS_OF), plan=plan.pk)
            for plan in self.plans()
        }

    def computes(self, plan) -> bool:
        """Whether reading the plan's states computes them (more than the revision's query)."""
        with CaptureQueriesContext(connection) as queries:
            plan_task_states(plan, AS_OF)
        return len(queries) > 1

    def test_a_report_moves_its_plan_and_leaves_the_other_plan_kept(self):
        self.assert_all_fresh()
        before = self.keys()
        self.post_report("submit")  # on task 7 of the 2022 plan
        after = self.keys()
        self.assertNotEqual(after["2022"], before["2022"])
        self.assertEqual(after["2022-b"], before["2022-b"])
        self.assertFalse(self.computes(self.other))  # still kept: nothing of it changed
        self.assert_all_fresh()
        report = ProgressReport.objects.get(task=self.task, department=self.drc)
        self.assertEqual(plan_task_states(self.plan, AS_OF)[self.task.pk].latest.pk, report.pk)

    def test_a_change_to_the_other_plan_moves_only_the_other_plan(self):
        self.assert_all_fresh()
        before = self.keys()
        task = self.other.tasks.order_by("sort_order").first()
        link = task.unit_links.filter(role=TaskUnit.Role.LEAD).first()
        link.department = Department.objects.exclude(pk=link.department_id).first()
        link.save()  # the task's lead unit changes: its duties do
        after = self.keys()
        self.assertEqual(after["2022"], before["2022"])
        self.assertNotEqual(after["2022-b"], before["2022-b"])
        self.assert_all_fresh()
        report = ProgressReport.objects.filter(task__plan=self.other).first()
        report.percent = Decimal("99")
        report.save()  # a counted report of the other plan
        self.assertEqual(self.keys()["2022"], before["2022"])
        self.assert_all_fresh()

    def test_a_shared_change_moves_every_plan(self):
        self.assert_all_fresh()
        before = self.keys()
        self.drc.name = "区发展和改革局（改）"
        self.drc.save()
        after = self.keys()
        self.assertNotEqual(after["2022"], before["2022"])
        self.assertNotEqual(after["2022-b"], before["2022-b"])
        self.assert_all_fresh()
        towns = UnitGroup.objects.get(name="各镇政府（街道办事处）")
        before = self.keys()
        towns.members.remove(towns.members.first())
        after = self.keys()
        self.assertTrue(all(after[k] != before[k] for k in after))
        self.assert_all_fresh()

    def test_a_deleted_row_moves_every_plan(self):
        self.assert_all_fresh()
        before = self.keys()
        self.other.tasks.order_by("sort_order").first().leader_links.first().delete()
        after = self.keys()
        self.assertTrue(all(after[k] != before[k] for k in after))
        self.assert_all_fresh()

    def test_a_plan_change_inside_a_transaction_is_private_until_it_commits(self):
        self.assert_all_fresh()
        before = self.keys()
        try:
            with transaction.atomic():
                self.task.text = "改写：" + self.task.text
                self.task.save()
                inside = self.keys()
                self.assertNotEqual(inside["2022"], before["2022"])
                self.assertEqual(inside["2022-b"], before["2022-b"])
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        self.assertEqual(self.keys(), before)
        self.assert_all_fresh()


@override_settings(AS_OF_DATE="2022-05-18")
class SettledTests(FreshBase):
    """A period's 进展停滞 list reads its own reports and earlier ones only: kept under the
    plan's settled counter once the period is over, a report of this period (2022-W20) keeps
    it, a change to an older report or to the plan's structure moves it; it is never older
    than the data. It is computed after the writer's response (tasks.figures.warm_after)."""

    def setUp(self):
        super().setUp()
        from django.utils import timezone

        from tasks.periods import parse_period_key

        self.last = parse_period_key("2022-W19")
        for key in ("2022-W18", "2022-W19"):  # the same words twice: W19's is stale
            period = parse_period_key(key)
            ProgressReport.objects.create(
                task=self.task,
                department=self.drc,
                role=TaskUnit.Role.LEAD,
                period_key=key,
                period_start=period.start,
                period_end=period.end,
                state=ProgressReport.State.SUBMITTED,
                progress="完成项目前期手续办理，推进土地征收和施工准备工作。",
                percent=Decimal("30"),
                submitted_at=timezone.now(),
                created_by=self.staff,
                updated_by=self.staff,
            )

    def stale(self):
        from tasks.stale import kept_stale_rows

        return kept_stale_rows(self.plan, self.last)

    def fresh(self):
        from tasks.stale import stale_rows

        return stale_rows(self.plan, self.last)

    def computes(self) -> bool:
        with CaptureQueriesContext(connection) as queries:
            self.stale()
        return len(queries) > 1  # more than the revision's query

    def test_this_periods_report_keeps_the_last_periods_list(self):
        self.assertEqual(len(self.stale()), 1)
        self.assertEqual(self.stale(), self.fresh())
        self.post_report("submit")  # 2022-W20: its response is delivered, warm_after ran
        self.assertFalse(self.computes())
        self.assertEqual(self.stale(), self.fresh())

    def test_a_change_to_a_last_period_report_moves_it(self):
        self.assertEqual(self.stale(), self.fresh())
        report = (
            ProgressReport.objects.filter(
                task__plan=self.plan, period_key="2022-W19", state__in=ProgressReport.State.COUNTED
            )
            .order_by("pk")
            .first()
        )
        report.progress = "与上周完全不同的新进展：" + "新" * 40
        report.save()
        self.assertTrue(self.computes())
        self.assertEqual(self.stale(), self.fresh())
        self.assertEqual(self.stale(), [])  # no longer the same words

    def test_a_change_to_the_plans_structure_moves_it(self):
        self.assertEqual(self.stale(), self.fresh())
        self.task.text = "改写：" + self.task.text
        self.task.save()
        self.assertTrue(self.computes())
        self.assertEqual(self.stale(), self.fresh())

    def test_a_settled_change_inside_a_transaction_moves_it_with_the_commit(self):
        self.assertEqual(self.stale(), self.fresh())
        with transaction.atomic():
            self.post_report("submit")  # recent: the settled counter stays
            report = ProgressReport.objects.filter(
                task__plan=self.plan, period_key="2022-W19", state__in=ProgressReport.State.COUNTED
            ).first()
            report.progress = "另一段全新的进展。" + "改" * 30
            report.save()  # settled: moves it, privately until the commit
            self.assertEqual(self.stale(), self.fresh())
        self.assertEqual(self.stale(), self.fresh())

    def test_the_writers_request_leaves_the_last_periods_list_to_after_its_response(self):
        from tasks import figures

        calls = []
        original = figures.warm_after

        def spy(**kwargs):
            calls.append(kwargs)
            return original(**kwargs)

        from tasks.signals import figures_moved_after

        figures_moved_after.disconnect(dispatch_uid="revision-warm-after")
        figures_moved_after.connect(spy, dispatch_uid="test-warm-after")
        try:
            self.post_report("submit")
        finally:
            figures_moved_after.disconnect(dispatch_uid="test-warm-after")
            figures_moved_after.connect(original, dispatch_uid="revision-warm-after")
        self.assertEqual([c["plan"] for c in calls], [self.plan.pk])
