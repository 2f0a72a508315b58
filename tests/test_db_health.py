"""The per-request health check of kept database connections (common.postgresql): a quiet
connection is taken without a query, one the server closed is replaced."""

import select
from unittest import mock

from django.db import connection
from django.db.backends.postgresql import base
from django.test import TestCase


class HealthCheckTests(TestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only")

    def kept(self):
        """Another connection to the test database, as a request would keep it."""
        other = connection.copy()
        other.ensure_connection()
        self.addCleanup(other.close)
        self.assertTrue(other.health_check_enabled)
        return other

    def check(self, other):
        """What Django does when a request first uses the connection."""
        other.health_check_done = False
        other.close_if_health_check_failed()

    def test_a_quiet_connection_is_kept_without_a_query(self):
        other = self.kept()
        raw = other.connection
        with mock.patch.object(base.DatabaseWrapper, "is_usable") as select_one:
            self.check(other)
        select_one.assert_not_called()
        self.assertIs(other.connection, raw)

    def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(self):
        other = self.kept()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        select.select([other.connection.fileno()], [], [], 5)  # the server's word arrives
        self.check(other)
        self.assertIsNone(other.connection)  # closed: the next query connects again
        with other.cursor() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone(), (1,))

    def test_a_connection_inside_a_transaction_gets_djangos_check(self):
        other = self.kept()
        other.connection.execute("BEGIN")
        self.addCleanup(other.connection.execute, "ROLLBACK")
        with mock.patch.object(base.DatabaseWrapper, "is_usable", return_value=True) as full:
            self.check(other)
        full.assert_called_once()
