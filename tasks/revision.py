"""Figures computed from the plan's data, remembered until that data changes.

A task's status (tasks.progress.task_states), who owes reports (tasks.duties) and the status
trend lines are computed from the counted reports, the indicators and the plan's structure.
Every page showed them by computing them again: the largest part of the dashboard, the
portfolio and 我的任务. Now each web process remembers them under the value of one counter in
the database (DataRevision), which moves after every committed change that can alter them
(tasks.receivers), so a remembered figure is never older than the data:

- the counter is read, then the data: a figure is stored under the counter value read
  before its data, so it can only be newer than its key, never older;
- the counter moves on commit, so a rolled-back change moves nothing, and a transaction that
  changes a thousand rows moves it once;
- drafts (and returned reports) count nowhere, so saving one moves nothing: units typing
  their reports do not throw away everybody's figures;
- bulk writes that send no signals (the importer, the demo generator) call bump() themselves;
- inside a transaction nothing is remembered or served (it may see uncommitted data);
- as a last guard against a change that got past all this, nothing is remembered longer than
  MEMO_SECONDS.

Remembered objects are shared between requests of a process: callers must not change them.
"""

import secrets
import threading
import time
from collections import OrderedDict

from django.db import DEFAULT_DB_ALIAS, transaction

# States of a plan are ~100 KB, a portfolio page's body or an export ~50–80 KB: at most some
# 20 MB a process.
MEMO_ENTRIES = 256
MEMO_SECONDS = 300

_lock = threading.Lock()
_memo: "OrderedDict[tuple, tuple[float, object]]" = OrderedDict()


# Within one web request the revision is read once: the figures of a page are as of its
# start, like the rest of what it reads (and its own writes reset it, see _bump_now).
_request = threading.local()


def request_started(**kwargs) -> None:
    _request.active, _request.value = True, None


def request_finished(**kwargs) -> None:
    _request.active, _request.value = False, None


def _read() -> int:
    from .models import DataRevision

    value = DataRevision.objects.filter(pk=1).values_list("value", flat=True).first()
    return -1 if value is None else value  # -1: no counter row (nothing is served from memory)


def current() -> int:
    if not getattr(_request, "active", False):
        return _read()  # Celery jobs, commands, shells: always the database's value
    if _request.value is None:
        _request.value = _read()
    return _request.value


def _bump_now() -> None:
    """A new random value, not value + 1: after a database restore (or a test's flush) the
    counter must not walk back through values it had, with other data, before."""
    from .models import DataRevision

    value = secrets.randbits(62)
    _request.value = None
    if not DataRevision.objects.filter(pk=1).update(value=value):
        DataRevision.objects.update_or_create(pk=1, defaults={"value": value})


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the counter when the current transaction commits (now, outside a transaction)."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        func is _bump_now for _, func, _ in connection.run_on_commit
    ):
        return  # already moves at this commit
    transaction.on_commit(_bump_now, using=using)


def memo(name: str, args: tuple, compute):
    """compute(), or what it returned before for the same name, args and data revision.

    Inside a transaction nothing is remembered or served: what it reads may include its own
    uncommitted changes, and it must see them. (Web requests run in autocommit; tests that
    run in a transaction therefore always compute.)
    """
    if transaction.get_connection().in_atomic_block:
        return compute()
    value = current()
    if value < 0:  # no counter row: nothing to key on
        return compute()
    key = (name, value, *args)
    now = time.monotonic()
    with _lock:
        found = _memo.get(key)
        if found is not None and now - found[0] < MEMO_SECONDS:
            _memo.move_to_end(key)
            return found[1]
    value = compute()
    with _lock:
        _memo[key] = (now, value)
        _memo.move_to_end(key)
        while len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return value


def forget() -> None:
    """Drop everything remembered (tests; never needed for correctness)."""
    with _lock:
        _memo.clear()
