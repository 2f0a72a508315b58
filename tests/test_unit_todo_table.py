"""我的任务's table body ({% unit_todo_rows %}, tasks.unit_todo_table) is the markup django-tables2
gives for the same cells through its own row and cell API (common/table.html's body), and its
header ({% unit_todo_head %}) common/table.html's."""

from django.template import engines
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig

from tasks.unit_todo_table import UnitTodoTable

from .base import BaseTestCase
from .test_unit_week import make_report

W20 = "2022-W20"
COLUMNS = ("number", "action", "text", "unit_role", "light", "report_state", "due", "lead_units")


def _cell(name):
    def render(self, record):
        return mark_safe(self.cells(record)[name])

    return render


class CellByCell(UnitTodoTable):
    """The same cells, each rendered by django-tables2 (BoundRow.get_cell)."""

    class Meta(UnitTodoTable.Meta):
        template_name = "common/table.html"


for _name in COLUMNS:
    setattr(CellByCell, f"render_{_name}", _cell(_name))


@override_settings(AS_OF_DATE="2022-05-18")
class UnitTodoTableTests(BaseTestCase):
    def test_the_body_is_the_markup_of_django_tables2_cells(self):
        make_report(self, "15", W20, "submitted")
        make_report(self, "1", W20, "returned", return_reason="<补充> & '来源'")
        make_report(self, "3", W20, "draft")
        self.client.force_login(self.staff)
        for params in ({"period": W20}, {"period": W20, "optional": "1", "sort": "-number"}):
            response = self.client.get(reverse("tasks:mine"), params)
            shown = response.context["table"]
            request = response.wsgi_request
            tables = [
                cls(
                    [row.record for row in shown.rows],
                    period=shown.period,
                    due=shown.due_at,
                    can_write=shown.can_write,
                    order_by=shown.order_by,
                )
                for cls in (UnitTodoTable, CellByCell)
            ]
            template = engines["django"].from_string(
                "{% load django_tables2 %}{% render_table t %}"
            )
            html = []
            for table in tables:
                RequestConfig(request, paginate={"per_page": 50}).configure(table)
                html.append(" ".join(template.render({"t": table}, request).split()))
            self.assertEqual(html[0], html[1])
            if "optional" not in params:  # returned first (the page's default order)
                self.assertIn("state-returned", html[0])
