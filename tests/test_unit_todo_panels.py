"""我的任务's 待办 items ({% todo_entries %}) and 需协调事项 items ({% coordination_rows %}) are the
markup the template loops they replace wrote (kept here), escaping and truncation included."""

import datetime

from django.template import engines
from django.test import SimpleTestCase

from leaders.unit_panels import ItemRow

TODO_LOOP = """{% for entry in entries %}
      <li><a class="button{% if entry.primary %} primary{% endif %}" href="{{ entry.url }}">{{ entry.action }}</a>
        <span class="todo-period">{{ entry.period }}</span>
        任务 {{ entry.task.number }} {{ entry.task.short_text }}
        {% if entry.reason %}<span class="error-text">退回原因：{{ entry.reason }}</span>{% endif %}</li>
      {% endfor %}"""

COORDINATION_LOOP = """{% for row in coordination_items %}{% with i=row.item %}
    <li><a class="button{% if row.to_act %} primary{% endif %}" href="{{ i.url }}">{% if row.to_act %}答复{% else %}查看{% endif %}</a>
      <span class="todo-period">{% if row.to_act %}{{ i.department }}请求协调{% else %}本单位提出 · {{ i.kind_label }}{% endif %}</span>
      任务 {{ i.number }} · {{ i.state_label }}：{{ i.text|truncatechars:50 }}
      <span class="{% if row.overdue %}overdue-text{% else %}muted{% endif %}">时限 {{ i.due|date:"n月j日" }}{% if row.overdue %}（已超期）{% endif %}</span></li>
  {% endwith %}{% endfor %}"""

HOSTILE = "<b>\"甲\" & '乙'</b>"


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


class PanelMarkupTests(SimpleTestCase):
    def test_todo_entries_are_the_loops_markup(self):
        entries = [
            {
                "task": {"number": "7", "short_text": "推进项目建设"},
                "url": "/tasks/2022/7/report/?period=2022-W20",
                "primary": True,
                "action": "修改",
                "period": "第20周（5月16日—5月22日）",
                "reason": HOSTILE,
            },
            {
                "task": {"number": "12-1", "short_text": HOSTILE},
                "url": f"/x/?a=1&b={HOSTILE}",
                "primary": False,
                "action": "填报",
                "period": "第19周（5月9日—5月15日）",
                "reason": "",
            },
        ]
        for shown in (entries, entries[:1], []):
            with self.subTest(n=len(shown)):
                self.assertEqual(
                    render("{% load unit_todo %}{% todo_entries entries %}", entries=shown),
                    render(TODO_LOOP, entries=shown),
                )

    def test_coordination_rows_are_the_loops_markup(self):
        def item(text, due):
            return ItemRow(
                pk=1,
                url=f"/coordination/1/?next={HOSTILE}",
                department=HOSTILE,
                kind_label="部门协调",
                number="7",
                state_label="待答复",
                text=text,
                due=due,
                is_active=True,
            )

        def row(text, due, to_act, overdue):
            return {"item": item(text, due), "to_act": to_act, "overdue": overdue}

        day = datetime.date
        rows = [
            row("请协调用地。", day(2022, 5, 25), True, False),
            row("长" * 60 + HOSTILE, day(2022, 1, 3), True, True),
            row(HOSTILE, day(2022, 12, 31), False, True),
            row("x" * 50, day(2022, 5, 1), False, False),
            # Not NFC (e + a combining acute): truncatechars normalizes it, cut or not.
            row("e\u0301" * 3, day(2022, 5, 1), True, False),
            row("e\u0301" * 40, day(2022, 5, 1), True, False),
        ]
        self.assertEqual(
            render(
                "{% load instruction_panels %}{% coordination_rows coordination_items %}",
                coordination_items=rows,
            ),
            render(COORDINATION_LOOP, coordination_items=rows),
        )
