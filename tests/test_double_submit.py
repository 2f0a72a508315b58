"""Every state-changing POST happens once: under a double click (the same form, hence the same
one-time token, sent twice), two identical requests one after the other, and two requests at
once (threads against PostgreSQL, each with its own connection, released by a barrier).

Each scenario counts the rows and the notifications it made, and checks that no response is a
5xx and that the second one is a normal page (a redirect with a message, or a 4xx form page).
"""

import io
import os
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from accounts import throttle
from common.once import FIELD, new_token
from departments.models import Department
from leaders.instructions import published_recipients
from leaders.models import Acknowledgement, Instruction, InstructionResponse, Leader
from notifications.models import Notification, Reminder
from reports.models import ReportJob
from tasks import clock
from tasks.models import Plan, ProgressReport, ReportEvent, Task

from .base import make_user
from .helpers import ALL_FIXTURES, ROOT
from .test_accounts import xlsx

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent requests need PostgreSQL (CI sets DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]
ON_TIME = override_settings(AS_OF_DATE="2022-05-18")
REPORT = {
    "progress": "完成地区生产总值季度分析。",
    "problems": "",
    "next_steps": "继续跟踪。",
    "percent": "40",
    "version": 0,
}


@pytest.fixture
def world():
    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    drc = Department.objects.get(name="区发展和改革局")
    plan = Plan.objects.get(year=2022)
    users = {
        "staff": make_user("staff", unit=drc, reporter=True),
        "head": make_user("head", unit=drc, head=True),
        "leader": make_user("leader", leader=Leader.objects.get(name="张娅")),
        "office": make_user("office", office=True),
    }
    task19 = Task.objects.select_related("plan").get(plan=plan, number="19")
    # Somebody in each unit that must read an instruction on task 19, to be notified.
    from leaders.instructions import _units_by_task

    for i, unit in enumerate(_units_by_task([task19.pk])[task19.pk]):
        make_user(f"reader{i}", unit=unit, reporter=True)
    return {"plan": plan, "drc": drc, "task19": task19, **users}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_once(*calls):
    """Run the calls in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def statuses(responses):
    return sorted(r.status_code for r in responses)


def assert_no_5xx(responses):
    assert all(r.status_code < 500 for r in responses), statuses(responses)


def twice(client, url, data, *, concurrent: bool, token: bool = True, second_client=None):
    """The same POST sent twice (same token: one form), at once or one after the other."""
    if token:
        data = {**data, FIELD: new_token()}
    other = second_client or client
    if concurrent:
        responses = at_once(lambda: client.post(url, data), lambda: other.post(url, data))
    else:
        responses = [client.post(url, data), other.post(url, data)]
    assert_no_5xx(responses)
    return responses


def message_texts(client, response) -> list[str]:
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return [str(m) for m in page.context["messages"]] if page.context else []


# --- every POST form carries the token ---------------------------------------------------------


def test_every_post_form_in_the_templates_carries_the_one_time_token():
    forms = 0
    for path in (ROOT / "templates").rglob("*.html"):
        for form in re.findall(r'<form[^>]*method="post".*?</form>', path.read_text(), re.S):
            forms += 1
            if path.name == "login.html":
                continue  # signing in changes nothing a double click could repeat
            assert "{% submit_once %}" in form, f"{path.relative_to(ROOT)}: {form[:80]}"
    assert forms >= 20


def test_a_rendered_form_has_a_fresh_token_each_time(world):
    client = client_for(world["staff"])
    url = reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20"
    with override_settings(AS_OF_DATE="2022-05-18"):
        pages = [client.get(url).content.decode() for _ in range(2)]
    tokens = [re.findall(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', p) for p in pages]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]


# --- publishing an instruction -----------------------------------------------------------------


def _instruction_notifications():
    return Notification.objects.filter(kind=Notification.Kind.INSTRUCTION).count()


@pytest.mark.parametrize(
    ("concurrent", "token"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_publishing_an_instruction_twice_publishes_and_notifies_once(world, concurrent, token):
    task = world["task19"]
    url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
    data = {"text": "请抓紧推进，按期完成。", "action": "publish", "confirm": "1"}
    responses = twice(
        client_for(world["leader"]),
        url,
        data,
        concurrent=concurrent,
        token=token,
        second_client=client_for(world["leader"]),
    )
    instruction = Instruction.objects.get()  # exactly one
    assert instruction.state == "published"
    assert statuses(responses) == [302, 302]
    recipients = published_recipients(instruction)
    assert recipients and _instruction_notifications() == len(recipients)


def test_publishing_a_draft_twice_publishes_it_once(world):
    task = world["task19"]
    leader = client_for(world["leader"])
    url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
    leader.post(url, {"text": "草稿内容", "action": "save"})
    draft = Instruction.objects.get()
    for concurrent in (True, False):
        Instruction.objects.filter(pk=draft.pk).update(state="draft", published_at=None)
        Notification.objects.all().delete()
        data = {"text": "草稿内容", "action": "publish", "confirm": "1", "id": draft.pk}
        responses = twice(leader, url, data, concurrent=concurrent, token=False)
        assert statuses(responses) == [302, 302]
        assert Instruction.objects.count() == 1
        assert _instruction_notifications() == len(published_recipients(draft))


# --- the first save / submit of a report -------------------------------------------------------


@ON_TIME
@pytest.mark.parametrize(("action", "state"), [("submit", "submitted"), ("save", "draft")])
@pytest.mark.parametrize(
    ("concurrent", "token"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_the_first_save_of_a_report_twice_makes_one_report(world, action, state, concurrent, token):
    url = reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20"
    staff = client_for(world["staff"])
    responses = twice(
        staff, url, {**REPORT, "action": action}, concurrent=concurrent, token=token,
        second_client=client_for(world["staff"]),
    )  # fmt: skip
    report = ProgressReport.objects.get()  # exactly one
    assert (report.state, report.version) == (state, 1)
    assert ReportEvent.objects.count() == (1 if action == "submit" else 0)
    assert statuses(responses) == [302, 302]


@ON_TIME
def test_a_different_second_save_from_another_tab_is_a_conflict_not_a_500(world):
    url = reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20"
    a, b = client_for(world["staff"]), client_for(world["staff"])
    responses = at_once(
        lambda: a.post(url, {**REPORT, "action": "save"}),
        lambda: b.post(url, {**REPORT, "progress": "另一版本", "action": "save"}),
    )
    assert statuses(responses) == [302, 409]
    assert ProgressReport.objects.count() == 1


# --- account creation ---------------------------------------------------------------------------

ACCOUNTS = [
    ("区发展和改革委员会", "王一", "wangyi", "填报员", "13800000001"),
    ("堂邑镇", "李二", "lier", "填报员、单位负责人", "13800000002"),
]


@pytest.mark.parametrize(
    ("concurrent", "token"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_creating_accounts_twice_creates_them_once(world, concurrent, token):
    office = client_for(world["office"])
    url = reverse("accounts:import")
    checked = office.post(url, {"step": "check", "file": io.BytesIO(xlsx(ACCOUNTS))})
    assert "检查通过" in checked.content.decode()
    # A double click: the same browser (session) sends the confirmation twice.
    second = Client()
    second.cookies = office.cookies
    before = get_user_model().objects.count()
    responses = twice(
        office, url, {"step": "create"}, concurrent=concurrent, token=token, second_client=second
    )
    assert get_user_model().objects.count() == before + 2
    downloads = [r for r in responses if "attachment" in r.get("Content-Disposition", "")]
    assert len(downloads) == 1  # the passwords are handed out once
    other = next(r for r in responses if r is not downloads[0])
    assert other.status_code in (302, 409)


# --- the sweep: every other state-changing POST ------------------------------------------------


def _submitted_report(world, number="1"):
    staff = client_for(world["staff"])
    url = reverse("tasks:report", args=["2022", number]) + "?period=2022-W20"
    assert staff.post(url, {**REPORT, "action": "submit"}).status_code == 302  # under ON_TIME
    return ProgressReport.objects.get(task__number=number)


@ON_TIME
@pytest.mark.parametrize("concurrent", [True, False])
def test_approve_accept_and_return_happen_once(world, concurrent):
    report = _submitted_report(world)
    head, office = client_for(world["head"]), client_for(world["office"])

    def action(name):
        return reverse("tasks:report_action", args=[report.pk, name])

    responses = twice(head, action("approve"), {}, concurrent=concurrent)
    assert statuses(responses) == [302, 302]
    assert ReportEvent.objects.filter(action="approved").count() == 1
    twice(office, action("accept"), {}, concurrent=concurrent)
    assert ReportEvent.objects.filter(action="accepted").count() == 1
    before = Notification.objects.filter(kind=Notification.Kind.RETURNED).count()
    responses = twice(office, action("return"), {"reason": "请补充数据"}, concurrent=concurrent)
    assert statuses(responses) == [302, 302]
    assert ReportEvent.objects.filter(action="returned").count() == 1
    returned = Notification.objects.filter(kind=Notification.Kind.RETURNED).count() - before
    unit_accounts = get_user_model().objects.filter(profile__department=world["drc"]).count()
    assert unit_accounts >= 2 and returned == unit_accounts  # each account of the unit, once
    report.refresh_from_db()
    assert report.state == "returned"
    # Without a token (two tabs): the second is refused with a message, not done again.
    responses = twice(office, action("return"), {"reason": "再次退回"}, concurrent=concurrent,
                      token=False)  # fmt: skip
    assert ReportEvent.objects.filter(action="returned").count() == 1


@pytest.mark.parametrize(
    ("concurrent", "token"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_the_first_publish_click_twice_keeps_one_draft_and_asks_to_confirm(
    world, concurrent, token
):
    task = world["task19"]
    url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
    data = {"text": "请抓紧推进，按期完成。", "action": "publish"}  # no confirm yet
    responses = twice(client_for(world["leader"]), url, data, concurrent=concurrent, token=token)
    draft = Instruction.objects.get()  # exactly one, still a draft
    assert draft.state == "draft"
    assert statuses(responses) == [302, 302]
    assert {r["Location"] for r in responses} == {f"{url}?id={draft.pk}&confirm=1"}
    assert _instruction_notifications() == 0


@pytest.mark.parametrize(
    ("concurrent", "token"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_writing_the_same_response_twice_records_it_once(world, concurrent, token):
    task = world["task19"]
    leader = client_for(world["leader"])
    url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
    leader.post(url, {"text": "请抓紧推进。", "action": "publish", "confirm": "1"})
    instruction = Instruction.objects.get()
    respond = reverse("leaders:instruction_respond", args=[instruction.pk])
    data = {"text": "已召开专题会议，5月底前完成。"}
    responses = twice(client_for(world["staff"]), respond, data, concurrent=concurrent, token=token)
    assert statuses(responses) == [302, 302]
    assert InstructionResponse.objects.count() == 1
    assert Acknowledgement.objects.filter(instruction=instruction).count() == 1


@pytest.mark.parametrize("concurrent", [True, False])
def test_acknowledging_twice_records_once(world, concurrent):
    task = world["task19"]
    leader = client_for(world["leader"])
    url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
    leader.post(url, {"text": "请抓紧推进。", "action": "publish", "confirm": "1"})
    instruction = Instruction.objects.get()
    reader = get_user_model().objects.get(username="reader0")
    ack = reverse("leaders:instruction_acknowledge", args=[instruction.pk])
    for token in (True, False):
        Acknowledgement.objects.all().delete()
        responses = twice(client_for(reader), ack, {}, concurrent=concurrent, token=token)
        assert statuses(responses) == [302, 302]
        assert Acknowledgement.objects.count() == 1


@ON_TIME
@pytest.mark.parametrize("concurrent", [True, False])
def test_one_click_reminders_twice_remind_once(world, concurrent):
    office = client_for(world["office"])
    # The confirmation page's form: what it posts once the office has seen the count.
    data = {"plan": world["plan"].pk, "period": "2022-W20", "confirm": "1"}
    for token in (True, False):
        Reminder.objects.all().delete()
        Notification.objects.all().delete()
        data["seen"] = clock.now().isoformat()
        twice(office, reverse("notify:send_reminders"), data, concurrent=concurrent, token=token)
        units = Reminder.objects.count()
        assert units > 0
        assert Reminder.objects.values("department").distinct().count() == units
        # One notification per recipient per unit, never two.
        assert Notification.objects.count() == sum(r.recipients for r in Reminder.objects.all())


@ON_TIME
@pytest.mark.parametrize("concurrent", [True, False])
def test_generating_a_workbook_twice_queues_one_job(world, concurrent):
    from config.celery import app

    office = client_for(world["office"])
    data = {"plan": world["plan"].pk, "period": "2022-W20"}
    try:
        for token in (True, False):
            ReportJob.objects.all().delete()
            responses = twice(office, reverse("reports:generate"), data,
                              concurrent=concurrent, token=token)  # fmt: skip
            job = ReportJob.objects.get()  # exactly one, sent to the real broker
            assert job.state == "queued", job.last_error
            assert [r["Location"] for r in responses] == [reverse("reports:job", args=[job.pk])] * 2
    finally:  # no worker runs here: drop the messages so that no later worker sees them
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)


def test_unlock_reset_password_and_mark_read_twice(world, caplog):
    office = client_for(world["office"])
    staff = world["staff"]
    stranger = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):  # five wrong passwords from one address lock staff there
        stranger.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert throttle.current_locks() != []
    caplog.clear()
    with caplog.at_level("INFO", logger="accounts.views"):
        responses = twice(
            office, reverse("accounts:unlock"), {"username": "staff"}, concurrent=True
        )
    assert statuses(responses) == [302, 302]
    assert throttle.current_locks() == [] and caplog.text.count("login unlocked") == 1
    old_hash = get_user_model().objects.get(pk=staff.pk).password
    caplog.clear()
    with caplog.at_level("INFO"):
        responses = twice(
            office, reverse("accounts:reset_password", args=[staff.pk]), {}, concurrent=True
        )
    assert statuses(responses) == [302, 302]
    assert caplog.text.count("password reset for user_id") == 1  # one new password, not two
    assert get_user_model().objects.get(pk=staff.pk).password != old_hash
    # Notifications: marking read twice (one, then all) changes each once.
    head = world["head"]  # (staff's password changed: his sessions ended)
    notification = Notification.objects.create(user=head, title="测试")
    reader = client_for(head)
    url = reverse("notify:read", args=[notification.pk])
    assert statuses(twice(reader, url, {"stay": "1"}, concurrent=True)) == [302, 302]
    first_read = Notification.objects.get(pk=notification.pk).read_at
    assert first_read is not None
    twice(reader, reverse("notify:read_all"), {}, concurrent=False)
    assert Notification.objects.get(pk=notification.pk).read_at == first_read
