"""我的任务's filter bar with nothing chosen (tasks.unit_todo_filters.UnchosenBar) is the markup
UnitTodoFilterSet's form gives, unbound or bound to empty values; with a value chosen the page
uses the filter set itself."""

from django.http import QueryDict
from django.template import engines

from tasks import unit_figures
from tasks.models import Plan
from tasks.unit_todo_filters import UnchosenBar, UnitTodoFilterSet, filter_bar

from .base import BaseTestCase

BAR = "{% for field in filter.form %}<label>{{ field.label }} {{ field }}</label>{% endfor %}"


class UnchosenBarTests(BaseTestCase):
    def setUp(self):
        self.plan = Plan.objects.get(year=2022)
        self.options = unit_figures.plan_rows(self.plan)["options"]

    def render(self, bar) -> str:
        return engines["django"].from_string(BAR).render({"filter": bar})

    def test_it_is_the_markup_of_the_filter_sets_form(self):
        unchosen = self.render(UnchosenBar(self.options))
        self.assertIn('<option value="" selected>全部</option>', unchosen)
        for data in (None, QueryDict("plan=2022&period=2022-W20"), QueryDict("q=&unit=&leader=")):
            with self.subTest(data=data):
                full = UnitTodoFilterSet(data, plan=self.plan, options=self.options)
                self.assertIsNone(full.chosen_ids(lambda: self.plan.tasks.all()))
                self.assertEqual(self.render(full), unchosen)
                self.assertIsInstance(
                    filter_bar(data, plan=self.plan, options=self.options), UnchosenBar
                )

    def test_a_value_chosen_takes_the_filter_set(self):
        for query in ("q=项目", "section=1", "leader=abc", "unit=5&optional=1"):
            with self.subTest(query=query):
                bar = filter_bar(QueryDict(query), plan=self.plan, options=self.options)
                self.assertIsInstance(bar, UnitTodoFilterSet)
