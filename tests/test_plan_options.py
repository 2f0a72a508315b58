"""The plan and period pickers' options ({% plan_options %}, {% period_options %}) are what the
template loops rendered."""

from types import SimpleNamespace

from django.template import Context, Template
from django.test import SimpleTestCase

LOOP = (
    '{% for p in plans %}<option value="{{ p.slug }}"{% if p.pk == plan.pk %} selected'
    "{% endif %}>{{ p.year }}年 · {{ p.title|truncatechars:24 }}</option>{% endfor %}"
)
TAG = "{% load periods %}{% plan_options plans plan %}"


class PlanOptionsTests(SimpleTestCase):
    def test_options_match_the_template_loop_for_instances_and_dicts(self):
        rows = [
            {"pk": 1, "slug": "2022", "year": 2022, "title": "东昌府区2022年政府工作报告重点任务分工方案（全文）"},
            {"pk": 2, "slug": "a<b", "year": 2023, "title": "短<标题>&"},
            {"pk": 3, "slug": "2024", "year": 2024, "title": "恰好二十四个字" * 3 + "字字字"},
        ]  # fmt: skip
        for plans in (rows, [SimpleNamespace(**r) for r in rows]):
            context = {"plans": plans, "plan": SimpleNamespace(pk=2)}
            expected = Template(LOOP).render(Context(context))
            self.assertEqual(Template(TAG).render(Context(context)), expected)
            self.assertIn("selected", expected)
            self.assertIn("a&lt;b", expected)


PERIOD_LOOP = (
    '{% load periods %}{% for p in periods %}<option value="{{ p.key }}"'
    "{% if p == period %} selected{% endif %}>{{ p|period_label }}</option>{% endfor %}"
)
PERIOD_TAG = "{% load periods %}{% period_options periods period %}"


class PeriodOptionsTests(SimpleTestCase):
    def test_options_match_the_template_loop_for_weeks_and_months(self):
        from tasks.periods import plan_periods

        for year, cycle, shown in (
            (2022, "weekly", 19),
            (2021, "weekly", 52),
            (2022, "monthly", 4),
        ):
            periods = plan_periods(year, cycle)
            for period in (periods[shown], None):
                context = {"periods": periods, "period": period}
                expected = Template(PERIOD_LOOP).render(Context(context))
                self.assertEqual(Template(PERIOD_TAG).render(Context(context)), expected)
                self.assertEqual(expected.count(" selected"), period is not None)
