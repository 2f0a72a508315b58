"""`{% portfolio_table portfolio plan.year %}`: the portfolio's table from its kept rows
(leaders.portfolio_table)."""

from django import template

from leaders.portfolio_table import table_html

register = template.Library()


@register.simple_tag
def portfolio_table(portfolio, year: int):
    return table_html(portfolio, year)
