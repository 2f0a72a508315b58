"""The permission matrix's runner (tests/matrix.py) reports every cell that differs."""

from types import SimpleNamespace

from django.test import SimpleTestCase

from .matrix import ROLES, failures, row


class FakeClient:
    def __init__(self):
        self.user = None

    def logout(self):
        self.user = None

    def force_login(self, user):
        self.user = user


class MatrixRunnerTests(SimpleTestCase):
    def case(self):
        people = {name: f"user-{name}" for name in ROLES[1:]}
        return SimpleNamespace(
            client=FakeClient(),
            nobody=people["nobody"],
            staff=people["staff"],
            head=people["head"],
            town_staff=people["town"],
            leader=people["leader"],
            office=people["office"],
            admin=people["admin"],
        )

    def test_each_cell_is_sent_logged_in_as_its_role_and_a_wrong_status_is_named(self):
        case = self.case()
        seen = []

        def send(cell):
            seen.append((cell[0], case.client.user))
            status = 200 if case.client.user == "user-office" else 403
            return SimpleNamespace(status_code=status)

        cells = [("page", "get", "/x/", row(403, 403, 403, 403, 403, 403, 200, 200))]
        self.assertEqual(failures(case, cells, send), ["admin get page: 403 != 200"])
        self.assertEqual([user for _, user in seen], [None] + [f"user-{r}" for r in ROLES[1:]])

    def test_rows_first_sends_each_row_to_every_role_before_the_next_row(self):
        case = self.case()
        seen = []

        def send(cell):
            seen.append(cell[0])
            return SimpleNamespace(status_code=200)

        cells = [(name, "get", "/x/", row(*[200] * 8)) for name in ("a", "b")]
        self.assertEqual(failures(case, cells, send, rows_first=True), [])
        self.assertEqual(seen, ["a"] * 8 + ["b"] * 8)
