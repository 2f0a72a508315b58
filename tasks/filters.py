import django_filters
from django.db.models import Q

from common.filters import BaseFilterSet
from common.widgets import FastSelect
from departments.models import Department
from leaders.models import Leader

from .access import involving_unit
from .models import Section, Task, TaskLeader, TaskUnit

CHOICE_FILTERS = ("section", "leader", "lead_unit", "unit")


class TaskFilterSet(BaseFilterSet):
    # The selects' querysets are callables (django-filter's documented form, given the
    # request): a queryset declared here would be deep-copied with the filters by every filter
    # bar, and each is replaced by the plan's (plan_querysets) or never read.
    q = django_filters.CharFilter(label="搜索", method="search")
    section = django_filters.ModelChoiceFilter(
        label="所属部分", queryset=lambda request: Section.objects.none(), widget=FastSelect
    )
    leader = django_filters.ModelChoiceFilter(
        label="牵头领导",
        queryset=lambda request: Leader.objects.all(),
        method="by_leader",
        widget=FastSelect,
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位",
        queryset=lambda request: Department.objects.all(),
        method="by_lead_unit",
        widget=FastSelect,
    )
    unit = django_filters.ModelChoiceFilter(
        label="涉及单位",
        queryset=lambda request: Department.objects.all(),
        method="by_unit",
        widget=FastSelect,
    )

    class Meta:
        model = Task
        fields = ["q", *CHOICE_FILTERS]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in self.plan_querysets(plan).items():
            self.filters[name].queryset = queryset

    def plan_querysets(self, plan, names=CHOICE_FILTERS) -> dict:
        """The selects' querysets (of `names`): what they offer, and what a value chosen is
        checked against."""

        # Only the plan's leaders and units: a province database holds every county's (about
        # 30,000 options, 6.8 of a 7.5 s page). Subqueries: no query of their own.
        def links():
            return TaskUnit.objects.filter(task__plan=plan)

        build = {
            "section": lambda: Section.objects.filter(plan=plan),
            "leader": lambda: Leader.objects.filter(
                pk__in=TaskLeader.objects.filter(task__plan=plan).values("leader")
            ),
            "lead_unit": lambda: Department.objects.filter(
                pk__in=links().filter(role=TaskUnit.Role.LEAD).values("department")
            ),
            "unit": lambda: Department.objects.filter(
                Q(pk__in=links().values("department")) | Q(pk__in=links().values("group__members"))
            ),
        }
        return {name: build[name]() for name in names}

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(Q(number=value) | Q(text__icontains=value))
        return queryset.filter(
            Q(text__icontains=value)
            | Q(title__icontains=value)
            | Q(unit_links__department__name__icontains=value)
            | Q(leader_links__leader__name=value)
        ).distinct()

    def by_leader(self, queryset, name, value):
        return queryset.filter(leader_links__leader=value).distinct()

    def by_lead_unit(self, queryset, name, value):
        return queryset.filter(
            unit_links__role=TaskUnit.Role.LEAD, unit_links__department=value
        ).distinct()

    def by_unit(self, queryset, name, value):
        return involving_unit(queryset, value)
