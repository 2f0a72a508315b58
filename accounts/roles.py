"""Who a logged-in person is: roles, unit and leader record, read in one query per request.

Every permission decision starts here (tasks.access builds the task scopes on top of it);
views never look at profiles or flags themselves.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from departments.models import Department
from leaders.models import Leader

from .models import Profile

UNIT_STAFF = "unit_staff"
UNIT_HEAD = "unit_head"
LEADER = "leader"
OFFICE = "office"
ADMIN = "admin"

ROLE_LABELS = {
    UNIT_STAFF: "填报员",
    UNIT_HEAD: "单位负责人",
    LEADER: "区领导",
    OFFICE: "督查室",
    ADMIN: "管理员",
}
ROLE_BY_LABEL = {label: role for role, label in ROLE_LABELS.items()}


@dataclass(frozen=True)
class Person:
    user: object
    profile: Profile | None
    leader: Leader | None

    @property
    def roles(self) -> frozenset[str]:
        roles = set()
        if self.user.is_superuser:
            roles.add(ADMIN)
        if self.profile is not None:
            if self.profile.is_office:
                roles.add(OFFICE)
            if self.profile.department_id and self.profile.is_reporter:
                roles.add(UNIT_STAFF)
            if self.profile.department_id and self.profile.is_unit_head:
                roles.add(UNIT_HEAD)
        if self.leader is not None:
            roles.add(LEADER)
        return frozenset(roles)

    @property
    def is_office(self) -> bool:
        """The supervision office; administrators may do everything the office does."""
        return bool(self.roles & {OFFICE, ADMIN})

    @property
    def unit(self) -> Department | None:
        """The department whose tasks this person reads and reports, if any."""
        if self.roles & {UNIT_STAFF, UNIT_HEAD}:
            return self.profile.department
        return None

    @property
    def role_labels(self) -> list[str]:
        return [
            ROLE_LABELS[r]
            for r in (ADMIN, OFFICE, LEADER, UNIT_HEAD, UNIT_STAFF)
            if r in self.roles
        ]


def person_of(user) -> Person:
    """The Person behind request.user, cached on the user object (one query per request)."""
    cached = getattr(user, "_person", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        person = Person(user=user, profile=None, leader=None)
    elif (model := get_user_model()).profile.is_cached(user) and model.leader.is_cached(user):
        # Loaded with the user by accounts.backends.AccountBackend: no query needed (a missing
        # one is cached as absent: getattr's default, as below).
        person = Person(
            user=user,
            profile=getattr(user, "profile", None),
            leader=getattr(user, "leader", None),
        )
    else:
        loaded = (
            get_user_model().objects.select_related("profile__department", "leader").get(pk=user.pk)
        )
        person = Person(
            user=user,
            profile=getattr(loaded, "profile", None),
            leader=getattr(loaded, "leader", None),
        )
    user._person = person
    return person


def _office(user) -> bool:
    """The supervision office, administrators included (an anonymous user has no role)."""
    return person_of(user).is_office


# What the office (and administrators) alone may do: one test, under names that say what each
# permits, so a view asks the question it means and a change of the rule is made here once.
can_manage_accounts = _office  # accounts, onboarding, roles
can_configure_channels = _office  # group robots, SMS numbers, the gateway, the channel rules
can_issue_bulletins = _office  # 督查通报: preview and issue
can_use_dashboard = _office  # the office dashboard (/)
can_generate_reports = _office  # the weekly workbook: generate, retry a job
can_remind = _office  # 催办 and the reminder log
can_track_instructions = _office  # published instructions and the units yet to read them
can_review = _office  # accept or return submissions (tasks.reporting)
can_edit_indicators = _office  # correct a task's indicators (指标)
can_import_plans = _office  # upload and load plan documents
can_edit_nodes = _office  # set a task's node plan (时间节点), decide a lead unit's proposal


def can_read_reports(user) -> bool:
    """The office runs the reports (weekly workbooks, figures); leaders read them."""
    person = person_of(user)
    return person.is_office or person.leader is not None


def can_view_portfolio(user, leader: Leader) -> bool:
    """The office sees every leader's portfolio; a leader sees his or her own."""
    person = person_of(user)
    return person.is_office or (person.leader is not None and person.leader.pk == leader.pk)


def can_read_bulletins(user) -> bool:
    """Issued bulletins go to leaders and to every unit: anyone with a role reads them."""
    person = person_of(user)
    return person.is_office or person.leader is not None or person.unit is not None


def approving_unit(user) -> Department | None:
    """The unit whose submissions this person approves: a unit head's own unit, else None."""
    person = person_of(user)
    return person.unit if UNIT_HEAD in person.roles else None


def start_url(user) -> str:
    """Where a person lands after login: office → dashboard, leader → portfolio, unit → my tasks."""
    person = person_of(user)
    if person.is_office:
        return reverse("home")
    if person.leader is not None:
        return reverse("leaders:portfolio", args=[person.leader.pk])
    if person.unit is not None:
        return reverse("tasks:mine")
    return reverse("accounts:no_role")
