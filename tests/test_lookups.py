"""The look-ups views share (tasks/lookups.py): a plan or a period a request names, or a 404."""

import pytest
from django.http import Http404

from tasks.lookups import period_or_404, plan_or_404
from tasks.models import Plan
from tasks.periods import MONTHLY, WEEKLY, parse_period_key

PLAN_2022 = Plan(slug="2022", year=2022, title="2022年", cycle=WEEKLY)


def test_a_named_period_is_that_period():
    assert period_or_404(PLAN_2022, "2022-W20") == parse_period_key("2022-W20")


@pytest.mark.parametrize(
    ("key", "reason"),
    [("2022-W99", "没有第99周"), ("2022-05", "报送周期不符"), ("本周", "无法识别")],
)
def test_a_period_that_cannot_be_read_is_a_404_that_says_why(key, reason):
    with pytest.raises(Http404, match=reason):
        period_or_404(PLAN_2022, key)


def test_a_monthly_plan_reads_months():
    plan = Plan(slug="m", year=2022, title="月报", cycle=MONTHLY)
    assert period_or_404(plan, "2022-05").key == "2022-05"


@pytest.mark.django_db
def test_no_plan_at_all_and_an_unknown_plan_are_404s():
    with pytest.raises(Http404, match="尚未导入任何方案"):
        plan_or_404(None)
    Plan.objects.create(slug="2021", year=2021, title="2021年", is_active=False)
    active = Plan.objects.create(slug="2022", year=2022, title="2022年")
    assert plan_or_404("") == active
    assert plan_or_404("2021").slug == "2021"
    with pytest.raises(Http404, match="未找到该方案"):
        plan_or_404("2030")
