"""The fast paths kept (common/widgets.py FastSelect and SpacedSelect, common/templatetags/
table_rows.py) produce exactly what the library paths they replace produce (SpacedSelect byte
for byte); the period picker's options."""

import inspect
import re

import django_tables2 as tables
from django import forms
from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.utils.html import format_html

from common.tables import BaseTable, _presigned
from common.widgets import FastSelect, SpacedSelect
from tasks.models import Task
from tasks.tables import TaskTable

from .helpers import ALL_FIXTURES


def _squash(html: str) -> str:
    """Markup with the whitespace between tags removed (templates indent, Python does not)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


class FastSelectTests(SimpleTestCase):
    CHOICES = [
        ("", "---------"),
        ("1", "区发展和改革局"),
        ("2", 'A & B <"引号">'),
        ("组", [("3", "堂邑镇"), ("4", "闫寺街道")]),
    ]

    def test_it_renders_what_djangos_select_renders(self):
        for value in (None, "", "2", "4", ["bad"]):
            for attrs in (None, {"id": "id_unit", "disabled": True, "data-x": 'a"b'}):
                with self.subTest(value=value, attrs=attrs):
                    slow = forms.Select(choices=self.CHOICES).render("unit", value, attrs)
                    fast = FastSelect(choices=self.CHOICES).render("unit", value, attrs)
                    self.assertEqual(_squash(fast), _squash(slow))

    def test_spaced_it_renders_djangos_select_byte_for_byte(self):
        for value in (None, "", "2", "4", ["bad"]):
            for attrs in (None, {"id": "id_unit", "disabled": True, "data-x": 'a"b'}):
                with self.subTest(value=value, attrs=attrs):
                    slow = forms.Select(choices=self.CHOICES).render("unit", value, attrs)
                    fast = SpacedSelect(choices=self.CHOICES).render("unit", value, attrs)
                    self.assertEqual(fast, slow)

    def test_it_escapes_labels(self):
        html = FastSelect(choices=self.CHOICES).render("unit", "2")
        self.assertIn(
            '<option value="2" selected>A &amp; B &lt;&quot;引号&quot;&gt;</option>', html
        )


class _LightTable(TaskTable):
    """A table with row-dependent td attributes, as some lists could have."""

    class Meta(TaskTable.Meta):
        attrs = {"class": "table", "td": {"data-n": lambda record: record.number}}
        row_attrs = {"data-id": lambda record: record.pk}


class TableRowsTests(TestCase):
    fixtures = ALL_FIXTURES

    def _tbody(self, table, template: str) -> str:
        request = RequestFactory().get("/tasks/", {"sort": "-number"})
        tables.RequestConfig(request, paginate={"per_page": 20}).configure(table)
        html = Template("{% load django_tables2 %}{% render_table table '" + template + "' %}")
        rendered = html.render(Context({"table": table, "request": request}))
        return _squash(re.search(r"<tbody.*?</tbody>", rendered, re.S).group(0))

    def test_its_rows_equal_the_stock_template_rows(self):
        for table_class in (TaskTable, _LightTable):
            with self.subTest(table=table_class.__name__):
                stock = self._tbody(table_class(Task.objects.all()), "django_tables2/table.html")
                ours = self._tbody(table_class(Task.objects.all()), "common/table.html")
                self.assertEqual(ours.count("<tr "), 20)
                # Ours adds each cell's column name for the phone cards (data-label); apart from
                # that the markup is the stock template's.
                self.assertEqual(ours.count(' data-label="'), ours.count("<td "))
                without_labels = re.sub(r' ?data-label="[^"]*"', "", ours)
                self.assertEqual(
                    without_labels.replace("<td >", "<td>"), stock.replace("<td >", "<td>")
                )

    def test_an_empty_table_shows_its_empty_text(self):
        table = TaskTable(Task.objects.none(), empty_text="没有任务")
        html = self._tbody(table, "common/table.html")
        self.assertIn(format_html('<td colspan="{}">没有任务</td>', len(table.columns)), html)


class PeriodPickerTests(SimpleTestCase):
    def test_it_lists_every_period_and_selects_the_shown_one(self):
        from tasks.periods import period_label, plan_periods

        periods = plan_periods(2022, "weekly")
        html = Template('{% include "tasks/_period_picker.html" %}').render(
            Context({"periods": periods, "period": periods[19], "plan": {"slug": "2022"}})
        )
        self.assertEqual(html.count("<option "), len(periods))
        self.assertEqual(html.count(" selected"), 1)
        self.assertIn(
            format_html(
                '<option value="{}" selected>{}</option>',
                periods[19].key,
                period_label(periods[19]),
            ),
            html,
        )


class PresignedColumnTests(SimpleTestCase):
    """Each column's render()/value() carries its signature, so django-tables2 learns which
    arguments to pass without inspecting the function on every cell."""

    class Table(BaseTable):
        name = tables.Column()
        both = tables.Column(empty_values=())
        anything = tables.Column(empty_values=())

        def render_both(self, value, record):
            return f"{record['name']}:{value}"

        def value_both(self, record):
            return record["name"].upper()

        def render_anything(self, **kwargs):
            return ",".join(sorted(kwargs))

    ROWS = [{"name": "甲", "both": 1}, {"name": "乙", "both": 2}]

    def test_cells_get_the_arguments_their_methods_name(self):
        table = self.Table(self.ROWS)
        rows = list(table.rows)
        self.assertEqual(rows[0].get_cell("both"), "甲:1")
        self.assertEqual(rows[1].get_cell_value("both"), "乙")
        self.assertEqual(rows[0].get_cell("name"), "甲")
        self.assertIn("bound_column", rows[0].get_cell("anything").split(","))

    def test_the_signature_is_the_methods_own_and_computed_once_per_function(self):
        first, second = self.Table(self.ROWS), self.Table(self.ROWS)
        for name in ("name", "both", "anything"):
            with self.subTest(column=name):
                column = first.columns[name]
                self.assertTrue(hasattr(column.render, "__signature__"))
                self.assertEqual(
                    inspect.signature(column.render),
                    inspect.signature(getattr(first, f"render_{name}", column.column.render)),
                )
                self.assertIs(
                    inspect.signature(column.render),
                    inspect.signature(second.columns[name].render),
                )
        self.assertEqual(
            list(inspect.signature(first.columns["both"].render).parameters), ["value", "record"]
        )

    def test_a_callable_object_is_left_as_it_is(self):
        class Render:
            def __call__(self, value):
                return value

        render = Render()
        self.assertIs(_presigned(render), render)


class _DirectTable(BaseTable):
    """Cells that table_rows renders by calling render(record[, table]) directly."""

    name = tables.Column(empty_values=())
    both = tables.Column(empty_values=())
    valued = tables.Column()  # default empty_values: through get_cell ("—" when empty)

    def render_name(self, record):
        return format_html("<b>{}</b>", record["name"])

    def render_both(self, record, table):
        return f"{record['name']} & {type(table).__name__}"


class DirectCellTests(SimpleTestCase):
    ROWS = [{"name": "甲", "valued": ""}, {"name": "<乙>", "valued": 2}]

    def _tbody(self, template: str) -> str:
        table = _DirectTable(self.ROWS)
        html = Template("{% load django_tables2 %}{% render_table table '" + template + "' %}")
        rendered = html.render(Context({"table": table, "request": RequestFactory().get("/")}))
        return _squash(re.search(r"<tbody.*?</tbody>", rendered, re.S).group(0))

    def test_direct_cells_equal_the_stock_template_cells(self):
        stock = self._tbody("django_tables2/table.html")
        ours = re.sub(r' ?data-label="[^"]*"', "", self._tbody("common/table.html"))
        self.assertEqual(ours.replace("<td >", "<td>"), stock.replace("<td >", "<td>"))
        self.assertIn("&lt;乙&gt; &amp; _DirectTable", ours)


class DateTimeTextColumnTests(SimpleTestCase):
    def test_it_writes_what_datetimecolumn_writes(self):
        import datetime

        from django.utils import timezone

        from common.tables import DateTimeTextColumn

        class Stock(BaseTable):
            at = tables.DateTimeColumn(format="m-d H:i")

        class Ours(BaseTable):
            at = DateTimeTextColumn(format="m-d H:i")

        aware = timezone.make_aware(datetime.datetime(2022, 5, 16, 23, 30), datetime.UTC)
        rows = [{"at": aware}, {"at": None}]
        for row in range(2):
            stock, ours = list(Stock(rows).rows)[row], list(Ours(rows).rows)[row]
            self.assertEqual(str(ours.get_cell("at")), str(stock.get_cell("at")))
            self.assertEqual(ours.get_cell_value("at"), stock.get_cell_value("at"))
        self.assertEqual(str(list(Ours(rows).rows)[0].get_cell("at")), "05-17 07:30")


class CountedPageDataTests(TestCase):
    fixtures = ALL_FIXTURES

    def test_the_page_and_its_count_come_in_one_query(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from common.tables import CountedPageData

        def page_of(data, page):
            request = RequestFactory().get("/tasks/", {"page": page})
            table = TaskTable(data)
            with CaptureQueriesContext(connection) as queries:
                tables.RequestConfig(request, paginate={"per_page": 20}).configure(table)
                records = [row.record.pk for row in table.page.object_list]
            return records, table.paginator.count, len(queries)

        for page in ("1", "3", "99"):
            with self.subTest(page=page):
                plain = page_of(Task.objects.all(), page)
                counted = page_of(CountedPageData(Task.objects.all()), page)
                self.assertEqual(counted[:2], plain[:2])
                if page != "99":  # past the end: counted, then the last page read as usual
                    self.assertEqual(counted[2], plain[2] - 1)  # no COUNT query
