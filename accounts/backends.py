from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from departments.models import Department
from leaders.models import Leader

from .models import Profile

# Scalar subqueries loaded with the user: attribute name -> builder(using, the user id's
# column) of an SQL expression; each value lands on the user under its name. Filled by the
# apps above accounts in their ready() (imports go downwards only), read when the query is
# first built, after every app is ready.
LOADED_WITH_USER: dict[str, Callable[[str, str], str]] = {}


class AccountBackend(ModelBackend):
    """Django's model backend, loading the user's profile, unit and leader record with the user.

    Every page needs them (accounts.roles.person_of). They come in one query written once per
    process from the models' fields (LEFT JOINs: the profile, its department, the leader
    record), each row made an instance by Model.from_db: the ORM's select_related of the same
    query compiled it again on every request, 0.67 ms of CPU against 0.2 ms here (measured,
    benchmarks/request_costs.py /__floor__ 1.29 -> 0.8 ms with the Redis client kept).

    An app above this one may load a figure of its own in the same row (LOADED_WITH_USER,
    registered in its AppConfig.ready()): the header's unread count is a scalar subquery on the
    notifications' (user, read_at) index, so GET pages show it without a query of their own
    (notifications.context_processors).
    """

    _sql = {}

    @staticmethod
    def _parts():
        return (
            (get_user_model(), "u", None),
            (Profile, "p", ("user_id", "u", "id")),
            (Department, "d", ("id", "p", "department_id")),
            (Leader, "l", ("user_id", "u", "id")),
        )

    def _query(self, using: str) -> tuple[str, tuple[str, ...]]:
        """The statement, and the names of the values loaded with the user (in its order)."""
        if using not in self._sql:
            quote = connections[using].ops.quote_name
            columns, joins = [], []
            for model, alias, join in self._parts():
                columns += [f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields]
                table = f"{quote(model._meta.db_table)} {alias}"
                if join is None:
                    joins.append(table)
                else:
                    here, there, column = join
                    joins.append(
                        f"LEFT JOIN {table} ON {alias}.{quote(here)} = {there}.{quote(column)}"
                    )
            pk = quote(get_user_model()._meta.pk.column)
            extra = tuple(LOADED_WITH_USER)
            columns += [LOADED_WITH_USER[name](using, f"u.{pk}") for name in extra]
            self._sql[using] = (
                f"SELECT {', '.join(columns)} FROM {' '.join(joins)} WHERE u.{pk} = %s",
                extra,
            )
        return self._sql[using]

    def get_user(self, user_id):
        from .roles import Person

        model = get_user_model()
        using = router.db_for_read(model)
        sql, extra = self._query(using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        loaded, start = [], 0
        for part, _alias, _join in self._parts():
            fields = [f.attname for f in part._meta.concrete_fields]
            values = row[start : start + len(fields)]
            start += len(fields)
            loaded.append(None if values[0] is None else part.from_db(using, fields, values))
        user, profile, department, leader = loaded
        for name, value in zip(extra, row[start:], strict=True):
            setattr(user, name, value)
        if profile is not None:
            user.profile = profile
            if department is not None:
                profile.department = department
        if leader is not None:
            user.leader = leader
        user._person = Person(user=user, profile=profile, leader=leader)
        return user if self.user_can_authenticate(user) else None
