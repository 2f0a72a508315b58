"""办结申请 / 销号 (tasks.closure): each step, its refusals, the audit trail, the notices, the
data revision, and a closed task refusing every change until the office reopens it."""

import datetime
import importlib
from unittest import mock

from django.apps import apps as django_apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from common.once import new_token
from notifications.models import Notification
from tasks import closure
from tasks.models import (
    ClosureApplication,
    ClosureEvidence,
    ReportEvent,
    TaskEvent,
    TaskUnit,
)
from tasks.progress import task_states
from tasks.status import Status

from .base import BaseTestCase
from .test_weekly_report import add_report

MAY_18 = datetime.date(2022, 5, 18)


def pdf(name="验收报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 closure evidence", content_type="application/pdf")


@override_settings(AS_OF_DATE="2022-05-18", CLOSURE_LEADER_CONFIRM=False)
class ClosureStepsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.t15 = cls.task["15"]  # led by 区发展和改革局, lead leader 张娅; not the towns'
        cls.apply_url = reverse("tasks:closure_apply", args=["2022", "15"])
        cooperating = TaskUnit.objects.filter(department=cls.drc, role="cooperating").first()
        cls.cooperated = cooperating.task

    def post(self, user, url, data=None, **extra):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data or {}, **extra)

    def apply(self, user=None, summary="已建成投用，经验收合格。", files=()):
        return self.post(
            user or self.staff, self.apply_url, {"summary": summary, "attachments": list(files)}
        )

    def pending(self):
        return ClosureApplication.objects.get(task=self.t15, state__in=["office", "leader"])

    def kinds(self):
        return list(
            TaskEvent.objects.filter(task=self.t15).order_by("pk").values_list("kind", flat=True)
        )

    def test_the_lead_unit_applies_with_evidence_and_the_office_closes_the_task_that_day(self):
        response = self.apply(files=[pdf()])
        self.assertRedirects(
            response, self.t15.get_absolute_url() + "#closure", fetch_redirect_response=False
        )
        application = self.pending()
        self.assertEqual((application.state, application.department), ("office", self.drc))
        self.assertEqual(application.files.get().original_name, "验收报告.pdf")
        self.assertTrue(
            Notification.objects.filter(user=self.office, title__contains="办结申请").exists()
        )

        response = self.post(self.office, reverse("tasks:closure_approve", args=[application.pk]))
        self.assertEqual(response.status_code, 302)
        self.t15.refresh_from_db()
        self.assertEqual(self.t15.closed_on, MAY_18)
        application.refresh_from_db()
        self.assertEqual((application.state, application.decided_by), ("closed", self.office))
        self.assertEqual(self.kinds(), ["closure.applied", "closure.closed"])
        closed = TaskEvent.objects.get(task=self.t15, kind="closure.closed")
        self.assertEqual(closed.changes, {"办结日期": [None, "2022-05-18"]})
        self.assertTrue(
            Notification.objects.filter(user=self.staff, title__contains="已办结").exists()
        )
        state = task_states(self.t15.plan, MAY_18)[self.t15.pk]
        self.assertEqual((state.status, state.label), (Status.DONE, "已办结 2022-05-18"))
        page = self.client.get(self.t15.get_absolute_url())
        self.assertContains(page, "已办结 2022-05-18")
        self.assertNotContains(page, "填报本期进展")

    def test_the_evidence_file_is_read_by_whoever_reads_the_task_and_nobody_else(self):
        self.apply(files=[pdf()])
        evidence = ClosureEvidence.objects.get()
        url = reverse("tasks:closure_file", args=[evidence.pk])
        self.client.force_login(self.leader)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 closure evidence")
        self.client.force_login(self.town_staff)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_office_returns_it_with_a_reason_and_the_unit_applies_again(self):
        self.apply()
        application = self.pending()
        url = reverse("tasks:closure_return", args=[application.pk])
        response = self.post(self.office, url, {"reason": "  "})
        self.assertContains(response, "退回重办须填写理由", status_code=400)
        self.assertEqual(self.pending(), application)
        response = self.post(self.office, url, {"reason": "缺少竣工验收报告"})
        self.assertEqual(response.status_code, 302)
        application.refresh_from_db()
        self.assertEqual(
            (application.state, application.return_reason), ("returned", "缺少竣工验收报告")
        )
        notice = Notification.objects.get(user=self.staff, title__contains="退回重办")
        self.assertIn("缺少竣工验收报告", notice.body)
        self.assertIsNone(closed_on_of(self.t15))
        self.assertEqual(self.apply(summary="已补充竣工验收报告。").status_code, 302)
        self.assertEqual(self.pending().summary, "已补充竣工验收报告。")
        self.assertEqual(self.kinds(), ["closure.applied", "closure.returned", "closure.applied"])
        self.assertEqual(TaskEvent.objects.get(kind="closure.returned").reason, "缺少竣工验收报告")

    def test_a_closure_without_a_summary_is_refused_and_nothing_is_written(self):
        response = self.apply(summary="   ", files=[pdf()])
        self.assertContains(response, "请填写办结情况说明", status_code=400)
        self.assertFalse(ClosureApplication.objects.exists())
        self.assertFalse(ClosureEvidence.objects.exists())
        self.assertEqual(self.kinds(), [])

    def test_forbidden_and_oversize_files_are_refused_with_their_names(self):
        exe = SimpleUploadedFile(
            "setup.exe", b"MZ\x90\x00", content_type="application/octet-stream"
        )
        self.assertContains(self.apply(files=[exe]), "“setup.exe”的类型不允许", status_code=400)
        fake = SimpleUploadedFile("scan.pdf", b"MZ not a pdf")
        self.assertContains(self.apply(files=[fake]), "内容与扩展名 .pdf 不符", status_code=400)
        with override_settings(ATTACHMENT_MAX_BYTES=10):
            self.assertContains(
                self.apply(files=[pdf("big.pdf")]), "“big.pdf”过大", status_code=400
            )
        self.assertFalse(ClosureApplication.objects.exists())

    def test_a_file_stored_before_a_failure_is_removed_with_the_rolled_back_application(self):
        stored = []
        real_save = ClosureEvidence.save

        def remember(evidence, *args, **kwargs):
            stored.append(evidence.file.name)
            return real_save(evidence, *args, **kwargs)

        with (
            mock.patch.object(ClosureEvidence, "save", remember),
            mock.patch("tasks.closure.audit.record", side_effect=RuntimeError("disk")),
            self.assertRaises(RuntimeError),
        ):
            closure.apply(self.t15, self.staff, "已完成", [pdf()])
        self.assertEqual(len(stored), 1)
        self.assertFalse(default_storage.exists(stored[0]))
        self.assertFalse(ClosureApplication.objects.exists())

    def test_only_the_lead_unit_may_apply_and_another_units_task_is_not_found(self):
        url = reverse("tasks:closure_apply", args=["2022", self.cooperated.number])
        response = self.post(self.staff, url, {"summary": "完成"})
        self.assertContains(response, "只有该任务的牵头单位可以申请办结", status_code=403)
        self.assertEqual(self.apply(user=self.town_staff).status_code, 404)
        self.assertContains(self.apply(user=self.office), "只有该任务的牵头单位", status_code=403)
        self.assertEqual(self.apply(user=self.head).status_code, 302)  # the unit head may too
        self.assertEqual(ClosureApplication.objects.get().applicant, self.head)

    def test_a_second_pending_application_is_refused(self):
        self.apply()
        response = self.apply(user=self.head, summary="再次申请")
        self.assertContains(response, "已有一份待审核的办结申请", status_code=400)
        self.assertEqual(ClosureApplication.objects.count(), 1)

    def test_a_double_click_applies_once(self):
        token = new_token()
        for _ in range(2):
            response = self.post(self.staff, self.apply_url, {"summary": "完成", "_once": token})
            self.assertEqual(response.status_code, 302)
        self.assertEqual(ClosureApplication.objects.count(), 1)
        self.assertEqual(self.kinds(), ["closure.applied"])

    def test_deciding_an_application_not_at_your_step_is_refused(self):
        self.apply()
        application = self.pending()
        approve = reverse("tasks:closure_approve", args=[application.pk])
        self.assertEqual(self.post(self.staff, approve).status_code, 403)
        self.assertEqual(self.post(self.head, approve).status_code, 403)
        self.assertContains(self.post(self.leader, approve), "不在您的办理环节", status_code=400)
        self.assertEqual(self.post(self.office, approve).status_code, 302)
        response = self.post(self.office, approve)
        self.assertContains(response, "已办结，不能再办理", status_code=400)
        back = reverse("tasks:closure_return", args=[application.pk])
        self.assertContains(
            self.post(self.office, back, {"reason": "再看看"}), "不能再办理", status_code=400
        )
        self.assertEqual(self.kinds(), ["closure.applied", "closure.closed"])

    def test_forged_ids_are_not_found(self):
        for name in ("tasks:closure_approve", "tasks:closure_return"):
            self.assertEqual(self.post(self.office, reverse(name, args=[987654])).status_code, 404)
        self.client.force_login(self.office)
        self.assertEqual(
            self.client.get(reverse("tasks:closure_file", args=[987654])).status_code, 404
        )
        response = self.post(self.staff, reverse("tasks:closure_apply", args=["2022", "no-such"]))
        self.assertEqual(response.status_code, 404)

    @override_settings(CLOSURE_LEADER_CONFIRM=True)
    def test_with_leader_confirmation_the_office_verifies_and_a_lead_leader_closes(self):
        self.apply()
        application = self.pending()
        approve = reverse("tasks:closure_approve", args=[application.pk])
        self.assertEqual(self.post(self.office, approve).status_code, 302)
        application.refresh_from_db()
        self.assertEqual(application.state, "leader")
        self.assertIsNone(closed_on_of(self.t15))
        self.assertTrue(
            Notification.objects.filter(user=self.leader, title__contains="待您确认").exists()
        )
        self.assertContains(self.post(self.office, approve), "不在您的办理环节", status_code=400)
        self.client.force_login(self.leader)
        listing = self.client.get(reverse("tasks:closure_list"))
        self.assertContains(listing, self.t15.short_text)
        self.assertEqual(self.post(self.leader, approve).status_code, 302)
        self.assertEqual(closed_on_of(self.t15), MAY_18)
        self.assertEqual(self.kinds(), ["closure.applied", "closure.verified", "closure.closed"])

    @override_settings(CLOSURE_LEADER_CONFIRM=True)
    def test_the_leader_may_return_it_too_and_a_leader_of_other_tasks_may_not_decide(self):
        self.apply()
        application = self.pending()
        self.post(self.office, reverse("tasks:closure_approve", args=[application.pk]))
        from .base import make_user

        other = make_user("other-leader", leader=self.meiyongjie)
        back = reverse("tasks:closure_return", args=[application.pk])
        self.assertEqual(self.post(other, back, {"reason": "不行"}).status_code, 403)
        self.assertEqual(
            self.post(self.leader, back, {"reason": "请补充成效材料"}).status_code, 302
        )
        application.refresh_from_db()
        self.assertEqual(application.state, "returned")
        self.assertIn("牵头领导", TaskEvent.objects.get(kind="closure.returned").summary)

    def test_a_closed_task_refuses_every_change_until_the_office_reopens_it(self):
        self.apply()
        self.post(self.office, reverse("tasks:closure_approve", args=[self.pending().pk]))
        self.client.force_login(self.staff)
        report_form = reverse("tasks:report", args=["2022", "15"])
        self.assertContains(self.client.get(report_form), "该任务已办结", status_code=403)
        response = self.post(self.staff, report_form, {"progress": "x", "action": "submit"})
        self.assertContains(response, "该任务已办结", status_code=403)
        self.client.force_login(self.office)
        indicators = reverse("tasks:indicators", args=["2022", "15"])
        self.assertContains(self.client.get(indicators), "该任务已办结", status_code=403)
        self.assertContains(self.apply(), "该任务已办结", status_code=400)
        with self.assertRaisesMessage(closure.ClosureError, "该任务已办结"):
            closure.ensure_open(fresh(self.t15))

        reopen = reverse("tasks:closure_reopen", args=["2022", "15"])
        self.assertEqual(self.post(self.staff, reopen, {"reason": "x"}).status_code, 403)
        self.assertContains(
            self.post(self.office, reopen, {"reason": ""}), "重新打开须填写理由", status_code=400
        )
        self.assertEqual(closed_on_of(self.t15), MAY_18)
        self.assertEqual(
            self.post(self.office, reopen, {"reason": "验收发现问题，需整改"}).status_code, 302
        )
        self.assertIsNone(closed_on_of(self.t15))
        event = TaskEvent.objects.get(kind="task.reopened")
        self.assertEqual((event.actor, event.reason), (self.office, "验收发现问题，需整改"))
        self.assertEqual(event.changes, {"办结日期": ["2022-05-18", None]})
        self.assertTrue(
            Notification.objects.filter(user=self.staff, title__contains="重新打开").exists()
        )
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(report_form).status_code, 200)
        self.assertContains(
            self.post(self.office, reopen, {"reason": "再次"}), "尚未办结", status_code=400
        )

    def test_every_step_moves_the_data_revision(self):
        # (The counter itself moves on commit: tests/test_revision.py, a TransactionTestCase.)
        def moved(action) -> bool:
            with mock.patch("tasks.revision.bump") as bump:
                action()
            return bump.called

        self.assertTrue(moved(lambda: self.apply()))
        back = reverse("tasks:closure_return", args=[self.pending().pk])
        self.assertTrue(moved(lambda: self.post(self.office, back, {"reason": "补充"})))
        self.apply()
        approve = reverse("tasks:closure_approve", args=[self.pending().pk])
        self.assertTrue(moved(lambda: self.post(self.office, approve)))
        reopen = reverse("tasks:closure_reopen", args=["2022", "15"])
        self.assertTrue(moved(lambda: self.post(self.office, reopen, {"reason": "整改"})))
        self.assertFalse(moved(lambda: self.post(self.office, reopen, {"reason": "整改"})))

    def test_the_office_lists_pending_applications_and_units_may_not(self):
        self.apply()
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:closure_list"))
        self.assertContains(response, "待办结审核（1）")
        self.assertContains(response, self.t15.short_text)
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(reverse("tasks:closure_list")).status_code, 403)
        rows = closure.pending_rows(self.t15.plan)
        self.assertEqual(
            [(r["kind"], r["number"], r["unit"], r["state"]) for r in rows],
            [("办结申请", "15", "区发展和改革局", "待督查室审核")],
        )


def fresh(task):
    return type(task).objects.get(pk=task.pk)


def closed_on_of(task):
    return fresh(task).closed_on


MIGRATION = importlib.import_module("tasks.migrations.0011_close_tasks_accepted_at_full")


class DataMigrationTests(BaseTestCase):
    """Plans that already have "100 % and accepted" lead reports: closed on the acceptance day."""

    def accepted_at(self, report, when):
        ReportEvent.objects.create(report=report, action="accepted", actor=self.office, at=when)

    def test_tasks_whose_latest_lead_report_is_accepted_at_100_are_closed_on_that_day(self):
        done = self.task["15"]
        report = add_report(done, self.drc, self.staff, period="2022-W40", percent=100)
        self.accepted_at(report, datetime.datetime(2022, 10, 9, 1, tzinfo=datetime.UTC))
        # 100 % but only submitted: a claim, stays open.
        claimed = self.task["125"]
        add_report(claimed, self.drc, self.staff, period="2022-W40", percent=100, state="submitted")
        # Accepted at 100 % once, then a later report says less: judged by the latest, open.
        later = self.task["1"]
        add_report(later, self.drc, self.staff, period="2022-W30", percent=100)
        add_report(later, self.drc, self.staff, period="2022-W31", percent=90)

        MIGRATION.close_accepted_full(django_apps, None)

        self.assertEqual(closed_on_of(done), datetime.date(2022, 10, 9))
        self.assertIsNone(closed_on_of(claimed))
        self.assertIsNone(closed_on_of(later))
        event = TaskEvent.objects.get()
        self.assertEqual((event.task, event.kind, event.actor), (done, "closure.migrated", None))
        self.assertEqual(event.changes, {"办结日期": [None, "2022-10-09"]})
        self.assertIn("重新打开", event.reason)

        MIGRATION.undo(django_apps, None)
        self.assertIsNone(closed_on_of(done))
        self.assertFalse(TaskEvent.objects.exists())

    def test_without_an_acceptance_record_the_report_date_is_the_closure_date(self):
        report = add_report(self.task["15"], self.drc, self.staff, period="2022-W40", percent=100)
        moment = timezone.make_aware(datetime.datetime(2022, 10, 12, 9))
        type(report).objects.filter(pk=report.pk).update(updated_at=moment)
        MIGRATION.close_accepted_full(django_apps, None)
        self.assertEqual(closed_on_of(self.task["15"]), datetime.date(2022, 10, 12))
