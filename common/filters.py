"""The base of every filter bar: a select left empty reads 全部, not Django's "---------"."""

import django_filters

EMPTY_LABEL = "全部"


class BaseFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in self.filters.values():
            if isinstance(item, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                item.extra["empty_label"] = EMPTY_LABEL
