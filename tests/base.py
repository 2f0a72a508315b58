"""A shared base with the shipped data and a user in every role (after Healthchecks).

The shipped data is loaded once per test database, not per class (tests/shipped.py)."""

import functools
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import TestCase

from accounts.middleware import SessionRenewalMiddleware
from accounts.models import Profile
from departments.models import Department
from leaders.models import Leader
from tasks.models import Task

from . import shipped
from .helpers import ALL_FIXTURES

PASSWORD = "correct-horse-42"


@functools.cache
def _hashed(password: str, hashers: tuple) -> str:
    """One real hash per password and hasher setting: each costs ~0.5 s of CPU (PBKDF2)."""
    return make_password(password)


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
    model = get_user_model()
    # create_user() with the password hashed once (the same encoded value works for everyone).
    user = model.objects.create(
        username=model.normalize_username(username),
        password=_hashed(PASSWORD, tuple(settings.PASSWORD_HASHERS)),
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


class ShippedDataTestCase(TestCase):
    """A TestCase on the shipped data, loaded once per test database (tests/shipped.py).

    `fixtures` still names what the class needs; the shipped files among them are not loaded
    again (any others are, in the class transaction as usual)."""

    fixtures = ALL_FIXTURES

    @classmethod
    def setUpClass(cls):
        if not shipped.available():
            super().setUpClass()  # SQLite: the fixtures are loaded in the class transaction
            return
        shipped.enter(shipped.database())
        declared = cls.fixtures
        cls.fixtures = [name for name in declared if name not in shipped.FIXTURES]
        try:
            super().setUpClass()
        except BaseException:
            shipped.leave()
            raise
        finally:
            cls.fixtures = declared

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shipped.leave()


class BaseTestCase(ShippedDataTestCase):
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
