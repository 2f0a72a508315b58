"""The province generator's SQL (benchmarks/province_sql.py) names every column the schema
requires: a migration that adds a NOT NULL column must fail here, not in a 7-minute run."""

import re

from django.apps import apps
from django.db.models import NOT_PROVIDED
from django.test import SimpleTestCase

from benchmarks import province_sql

INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)", re.S)


def statements() -> list[str]:
    found = [v for v in vars(province_sql).values() if isinstance(v, str)]
    for value in vars(province_sql).values():
        if isinstance(value, list):
            found += [item[1] for item in value if isinstance(item, tuple) and len(item) > 1]
    return found


def required_columns(table: str) -> set[str]:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            return {
                field.column
                for field in model._meta.concrete_fields
                if not field.null and not field.primary_key and field.db_default is NOT_PROVIDED
            }
    raise AssertionError(f"no model has the table {table}")


class ProvinceSqlTests(SimpleTestCase):
    def test_every_insert_names_every_not_null_column_of_its_table(self):
        inserts = [m for sql in statements() for m in INSERT.finditer(sql)]
        self.assertIn("tasks_progressreport", {m.group(1) for m in inserts})
        for match in inserts:
            table = match.group(1)
            named = {c.strip().strip('"') for c in match.group(2).split(",")}
            with self.subTest(table=table):
                self.assertEqual(required_columns(table) - named, set())
