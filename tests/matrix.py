"""The permission matrix's runner, shared by tests/test_permissions.py and each feature's own
tests/test_permissions_<part>.py.

A matrix is a list of rows; a row is a tuple whose first three items are the label, the method
and the URL and whose last item is the expected status per role (`row(...)`); what lies between
(form data, a state to set first) is the feature's, read by its `send`.
"""

from django.urls import resolve

ROLES = ["anon", "nobody", "staff", "head", "town", "leader", "office", "admin"]


def row(*statuses) -> dict[str, int]:
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


def users_by_role(case) -> dict:
    """The person of each role in tests.base.BaseTestCase (None: not logged in)."""
    people = [case.nobody, case.staff, case.head, case.town_staff]
    people += [case.leader, case.office, case.admin]
    return dict(zip(ROLES, [None, *people], strict=True))


def failures(case, rows, send, *, rows_first: bool = False) -> list[str]:
    """Every cell of the matrix that did not get its expected status, as readable lines.

    Roles in turn, each through every row (or, with rows_first, each row through every role in
    turn, for matrices whose rows change what the next row finds). `send(row)` makes the
    request with case.client, logged in as the cell's role, and returns the response.
    """
    users = users_by_role(case)
    cells = [(role, r) for r in rows for role in ROLES] if rows_first else None
    cells = cells or [(role, r) for role in ROLES for r in rows]
    found, logged_in = [], object()
    for role, r in cells:
        if role != logged_in:
            case.client.logout()
            if users[role] is not None:
                case.client.force_login(users[role])
            logged_in = role
        label, method, expected = r[0], r[1], r[-1][role]
        status = send(r).status_code
        if status != expected:
            found.append(f"{role} {method} {label}: {status} != {expected}")
    return found


def url_names(rows) -> set[str]:
    """The URL names the rows request (namespace:name)."""
    names = set()
    for r in rows:
        match = resolve(r[2])
        names.add(f"{match.namespace}:{match.url_name}")
    return names
