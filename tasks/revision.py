"""Derived figures kept in a shared store, under the data revision they were computed at.

A task's status (tasks.progress.task_states), who owes reports (tasks.duties) and the status
trend lines are computed from the counted reports, the indicators and the plan's structure.
They are kept in Django's cache framework (the "figures" cache: Redis when REDIS_URL is set,
otherwise files under VAR_DIR; config/settings.py), shared by every worker and host, under the
values of counters in the database which move with every change that can alter them
(tasks.receivers, and revision.bump() by any writer that sends no signals):

- one shared counter (DataRevision) and one per plan (PlanRevision): a plan's figures
  (memo(..., plan=)) are kept under the shared value and their plan's, so a change to one
  plan's data (a county's report, at province scale) moves that plan's figures and no other
  plan's, while a change to what plans share (a unit's name, a group, a leader) or a deletion
  moves the shared one and with it every figure; a figure of no one plan is kept under every
  counter. All counters are read in one query written once per process (_query; a
  province's 160 plans: 161 small rows);
- a plan's settled counter moves with everything its counter moves but a counted report of a
  period that ended a day ago or later (recent): figures of settled periods alone
  (memo(..., settled=day), e.g. last week's 进展停滞 list) are kept under it, so this week's
  reports do not throw them away (is_settled keeps a day's margin either side); figures that
  read no report at all (settled=NO_REPORTS; with no plan, under every plan's settled
  counter) are kept across every report of an open period;
- the counter is read, then the data: a figure is stored under the counter value read
  before its data, so it can only be newer than its key, never older;
- inside a transaction, bump() moves the counter at once, to a new random value that only this
  transaction sees until it commits: what the transaction computes after its change is kept
  under that private value (others still read the old one), a rollback restores the old value
  with the rest (nothing visible moves), and the commit publishes value and data together;
  a later bump of the same transaction writes nothing unless a figure was kept under its
  value since (then it moves again: what was kept so far does not show the later change);
- ordinary TestCase tests, which run inside a transaction, therefore use the same kept path
  as production; a counter's row stays locked from a transaction's first bump to its end, so
  writing transactions that move the same plan's figures take turns (they are short: a
  report, a review), those of different plans do not;
- drafts (and returned reports) count nowhere, so saving one moves nothing;
- after a web request's commit that moved it, the hot figures (of the plan that moved, or of
  every hot plan) are computed once into the shared store, so the first page after a change
  reads them like any other, in every worker: those every page reads (today's states, the
  duties) in the request, after its commit (signal tasks.signals.figures_moved with `plan`),
  the others (earlier periods' states, the stale lists, the trend) after its response was
  delivered (figures_moved_after; tasks.figures, leaders.receivers), off the writer's time;
- as a last guard against a change that got past all this, nothing is kept longer than
  FIGURES_SECONDS.

Values come out of the store (unpickled) for each request: callers may not share them across
requests, and changing one changes nothing kept.
"""

import datetime
import hashlib
import logging
import pickle
import secrets
import threading
import zlib
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from . import clock

_MISSING = object()
# The shape of what is kept: part of every key, moved when a kept figure changes shape (a
# deploy then never unpickles what older code kept). 2: TaskState holds plain rows
# (tasks.state_rows), status_history is kept as columns.
FORMAT = 2
logger = logging.getLogger(__name__)

# Per thread: the request's revision and what it read from the store (a web request reads
# each figure once, as of its start); the private values this thread's open transactions set.
_local = threading.local()


def _store():
    return caches[settings.FIGURES_CACHE_ALIAS]


def _reset() -> None:
    _local.counters = {}  # using -> the counters read in this request
    _local.seen = {}
    _local.unsure = False  # a bump inside a transaction: the value may yet roll back


def request_started(**kwargs) -> None:
    _local.active = True
    _reset()


def request_finished(**kwargs) -> None:
    """The response has been delivered (Django's request_finished: the WSGI server closed it):
    the figures that the request's commits moved and only some pages read are computed now,
    off the writer's time (tasks.signals.figures_moved_after)."""
    pending = getattr(_local, "pending", None) or {}
    _local.pending = {}
    if pending:
        from .signals import figures_moved_after

        _local.seen = {}
        for using, plan in pending:
            for receiver, error in figures_moved_after.send_robust(
                sender=None, using=using, plan=plan
            ):
                if isinstance(error, Exception):
                    logger.error(
                        "figures not computed after the response by %s", receiver, exc_info=error
                    )
    _local.active = False
    _reset()


_SQL = {}


def _query(using: str) -> str:
    """Every counter in one query, written once per process from the models: the ORM's union
    of the same compiled it again at every request (0.6 ms of CPU against 0.05 here)."""
    if using not in _SQL:
        from .models import DataRevision, PlanRevision

        quote = connections[using].ops.quote_name

        def column(model, name):
            return quote(model._meta.get_field(name).column)

        _SQL[using] = (
            f"SELECT NULL, {column(DataRevision, 'value')}, 0 "
            f"FROM {quote(DataRevision._meta.db_table)} WHERE {column(DataRevision, 'id')} = 1 "
            f"UNION ALL SELECT {column(PlanRevision, 'plan')}, {column(PlanRevision, 'value')}, "
            f"{column(PlanRevision, 'settled')} FROM {quote(PlanRevision._meta.db_table)}"
        )
    return _SQL[using]


def _read(using: str) -> dict | None:
    """Every counter, in one query: {None: the shared one, plan id: (the plan's, its settled
    one)}; None when there is no shared row (nothing is kept)."""
    with connections[using].cursor() as cursor:
        cursor.execute(_query(using))
        rows = cursor.fetchall()
    counters = {plan: value if plan is None else (value, settled) for plan, value, settled in rows}
    return counters if None in counters else None


def _counters(using: str) -> dict | None:
    """The counters as this connection sees them: within a web request read once (until the
    request moves one); elsewhere (Celery jobs, commands, shells) read each time."""
    if not getattr(_local, "active", False) or getattr(_local, "unsure", False):
        return _read(using)
    counters = getattr(_local, "counters", None)
    if counters is None:
        counters = _local.counters = {}
    if using not in counters:
        counters[using] = _read(using)
    return counters[using]


def current(using: str = DEFAULT_DB_ALIAS, plan: int | None = None, settled: bool = False):
    """The revision of a plan's figures (plan: its id): the shared counter and the plan's (its
    settled one for figures of settled periods alone); of figures of no one plan (plan None),
    every counter (the shared one and every plan's settled one, with settled). None: no
    counter row."""
    counters = _counters(using)
    if counters is None:
        return None
    if plan is not None:
        return (counters[None], counters.get(plan, (0, 0))[1 if settled else 0])
    items = sorted(counters.items(), key=lambda item: item[0] or 0)
    if settled:
        return tuple((p, value if p is None else value[1]) for p, value in items)
    return tuple(items)


# memo(..., settled=NO_REPORTS): the figure reads no report and no indicator value at all (a
# plan's tasks, units, instructions): kept under the settled counters whatever the day, so
# that no report of an open period moves it (我的任务's panels, its rows before their lights).
NO_REPORTS = datetime.date.min


def is_settled(day: datetime.date) -> bool:
    """Figures of periods that ended by `day` alone may be kept under a plan's settled counter:
    it ended more than two days ago, and a report moves the settled counter unless its
    period ended a day ago or later (receivers.recent): a day's margin either side of
    midnight, so that no write still in flight can count as recent for a settled figure."""
    return day < clock.today() - datetime.timedelta(days=2)


def recent(period_end: datetime.date) -> bool:
    """A report of a period that ended a day ago or later: its changes leave the plan's
    settled counter alone (see is_settled)."""
    return period_end >= clock.today() - datetime.timedelta(days=1)


def _write(using: str, plan: int | None, value: int, settled: int | None) -> None:
    from .models import DataRevision, PlanRevision

    if plan is None:
        rows, where, fields = DataRevision.objects.using(using), {"pk": 1}, {"value": value}
    else:
        rows, where = PlanRevision.objects.using(using), {"plan_id": plan}
        fields = {"value": value} if settled is None else {"value": value, "settled": settled}
    if not rows.filter(**where).update(**fields):
        if plan is not None:
            fields.setdefault("settled", secrets.randbits(62))
        rows.update_or_create(**where, defaults=fields)


def _private() -> dict:
    if not hasattr(_local, "private"):
        _local.private = {}
    return _local.private


def _kept_since_bump() -> dict:
    if not hasattr(_local, "kept"):
        _local.kept = {}
    return _local.kept


def bump(using: str = DEFAULT_DB_ALIAS, plan: int | None = None, recent: bool = False) -> None:
    """Move a counter: the plan's (plan: its id) for a change to that plan's data alone, with
    its settled one unless the change is a report of a period not settled (recent), else
    the shared one, which moves every figure. At once outside a transaction; inside one, to a
    value private to it until it commits (once per transaction and counter). A new random
    value, not value + 1: after a database restore (or a test's rollback) the counter must not
    walk back through values it had, with other data, before."""
    _local.counters = {}
    _local.seen = {}
    recent = recent and plan is not None
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _write(using, plan, secrets.randbits(62), None if recent else secrets.randbits(62))
        _moved(using, plan)
        return
    scope = (using, plan)
    mine = _private().get(scope)  # (value, settled or None) this transaction wrote
    if mine is not None and not _kept_since_bump().get(scope) and (recent or mine[1] is not None):
        now = _read(using)
        found = None if now is None else now.get(plan)
        if found is not None and (found if plan is None else found[0]) == mine[0]:
            # This transaction moved it already and nothing was kept under that value since
            # (a rollback would have restored another value): figures it keeps from now on
            # see this change too.
            return
    value, settled = secrets.randbits(62), None if recent else secrets.randbits(62)
    _write(using, plan, value, settled)
    _private()[scope] = (value, settled if settled is not None else mine and mine[1])
    _kept_since_bump()[scope] = False
    _local.unsure = True
    transaction.on_commit(partial(_committed, using, plan, value), using=using)


def _committed(using: str, plan: int | None, value: int) -> None:
    if (_private().get((using, plan)) or (None,))[0] == value:
        del _private()[(using, plan)]
    _local.unsure = False
    _local.counters = {}
    _local.seen = {}
    _moved(using, plan)


def _moved(using: str, plan: int | None) -> None:
    """The new revision is everybody's: compute the hot figures once, for every worker, in
    the web request that changed the data (commands and jobs that write in bulk do not pay
    for it at every write: after them the first page computes each figure once, for all)."""
    if not settings.FIGURES_WARM_ON_COMMIT or not getattr(_local, "active", False):
        return
    from .signals import figures_moved

    figures_moved.send(sender=None, using=using, plan=plan)
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {}
    pending[(using, plan)] = True


def key_of(
    name: str, args: tuple, using: str = DEFAULT_DB_ALIAS, plan=None, settled=False
) -> str | None:
    """The store's key of a figure at the current revision (None: no counter row)."""
    value = current(using, plan, settled)
    if value is None:
        return None
    if plan is not None:
        revision = f"{plan}.{'s' if settled else 'v'}{value[0]}.{value[1]}"
    else:
        revision = "s" * settled + hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()
    digest = hashlib.blake2b(repr(args).encode(), digest_size=16).hexdigest()
    database = connections[using].settings_dict["NAME"]  # installations may share one Redis
    return f"{database}:{FORMAT}:{name}:{revision}:{digest}"


def _load(key: str):
    try:
        packed = _store().get(key)
    except Exception:  # the store down: compute (slower pages, never an error page)
        logger.warning("figures store unreachable; computing %s", key, exc_info=True)
        return _MISSING
    return _MISSING if packed is None else pickle.loads(zlib.decompress(packed))


def _keep(key: str, value) -> None:
    """Compressed (a plan's states: 133 KB pickled, about a sixth of that here): the store
    may be the Redis of the Celery broker, whose memory is small (docs/deploy.md)."""
    packed = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
    try:
        _store().set(key, packed, timeout=settings.FIGURES_SECONDS)
    except Exception:
        logger.warning("figures store unreachable; %s not kept", key, exc_info=True)


def memo(name: str, args: tuple, compute, using: str = DEFAULT_DB_ALIAS, plan=None, settled=None):
    """compute(), or what it returned at the current data revision for the same name and args
    (repr(args) must tell arguments apart), from the shared store. plan: the plan (or its id)
    whose data alone the figure is computed from (a change to another plan then keeps it);
    without it, any change moves it. settled: a date when the figure reads, of the plan's
    reports (without plan: of any plan's), only those of periods that ended by it; once that
    is settled (is_settled), newer reports keep it (NO_REPORTS: it reads none)."""
    plan = getattr(plan, "pk", plan)
    key = key_of(name, args, using, plan, bool(settled) and is_settled(settled))
    if key is None:
        return compute()
    if transaction.get_connection(using).in_atomic_block:
        kept = _kept_since_bump()
        for scope in kept:  # a later change in this transaction moves it again
            if scope[0] == using:
                kept[scope] = True
    seen = getattr(_local, "seen", None)
    if seen is None:
        seen = _local.seen = {}
    if key in seen:
        return seen[key]
    found = _load(key)
    if found is _MISSING:
        found = compute()
        _keep(key, found)
    if getattr(_local, "active", False):
        seen[key] = found  # one request: the same object each time it asks
    return found


def forget() -> None:
    """Drop everything kept (tests; never needed for correctness)."""
    _store().clear()
    _reset()
    _private().clear()
    _kept_since_bump().clear()
