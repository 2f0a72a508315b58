import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from common.filters import BaseFilterSet
from common.widgets import FastSelect
from departments.models import Department

from . import roles

ROLE_CHOICES = [(r, label) for r, label in roles.ROLE_LABELS.items()]
_ROLE_FILTERS = {
    roles.UNIT_STAFF: Q(profile__is_reporter=True, profile__department__isnull=False),
    roles.UNIT_HEAD: Q(profile__is_unit_head=True, profile__department__isnull=False),
    roles.OFFICE: Q(profile__is_office=True),
    roles.LEADER: Q(leader__isnull=False),
    roles.ADMIN: Q(is_superuser=True),
}


class AccountFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    department = django_filters.ModelChoiceFilter(
        label="单位",
        field_name="profile__department",
        queryset=Department.objects.all(),
        widget=FastSelect,
    )
    role = django_filters.ChoiceFilter(
        label="角色", choices=ROLE_CHOICES, method="by_role", widget=FastSelect
    )

    class Meta:
        model = get_user_model()
        fields = ["q", "department", "role"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(profile__phone__icontains=value)
        )

    def by_role(self, queryset, name, value):
        return queryset.filter(_ROLE_FILTERS[value])
