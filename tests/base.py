"""A shared base with the shipped data and a user in every role (after Healthchecks)."""

import time

from django.contrib.auth import get_user_model
from django.test import TestCase

from accounts.middleware import SessionRenewalMiddleware
from accounts.models import Profile
from departments.models import Department
from leaders.models import Leader
from tasks.models import Task

from .helpers import ALL_FIXTURES

PASSWORD = "correct-horse-42"


def make_user(
    username,
    *,
    unit=None,
    reporter=False,
    head=False,
    office=False,
    leader=None,
    superuser=False,
    must_change=False,
):
    user = get_user_model().objects.create_user(
        username,
        password=PASSWORD,
        first_name=username,
        is_superuser=superuser,
        is_staff=superuser,
    )
    Profile(
        user=user,
        department=unit,
        is_reporter=reporter,
        is_unit_head=head,
        is_office=office,
        must_change_password=must_change,
    ).save()
    if leader is not None:
        leader.user = user
        leader.save()
    return user


class BaseTestCase(TestCase):
    fixtures = ALL_FIXTURES

    def login_renewed(self, user):
        """force_login, with the session's expiry renewed just now: the next requests do not
        renew it (SessionRenewalMiddleware), so query counts do not depend on the clock."""
        self.client.force_login(user)
        session = self.client.session
        session[SessionRenewalMiddleware.KEY] = int(time.time())
        session.save()

    @classmethod
    def setUpTestData(cls):
        cls.drc = Department.objects.get(name="区发展和改革局")
        cls.town = Department.objects.get(name="堂邑镇")
        cls.zhangya = Leader.objects.get(name="张娅")
        cls.meiyongjie = Leader.objects.get(name="梅永杰")
        cls.staff = make_user("staff", unit=cls.drc, reporter=True)
        cls.head = make_user("head", unit=cls.drc, head=True)
        cls.town_staff = make_user("town", unit=cls.town, reporter=True)
        cls.leader = make_user("leader", leader=cls.zhangya)
        cls.office = make_user("office", office=True)
        cls.admin = make_user("root", superuser=True)
        cls.nobody = make_user("nobody")
        cls.task = {n: Task.objects.get(plan__year=2022, number=n) for n in ("1", "15", "125")}
