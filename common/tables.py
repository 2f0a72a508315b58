"""The base of every list in the app (after NetBox's BaseTable).

- a `pk` tie-breaker on every ordering, so pages never repeat or skip rows;
- columns declare what they need prefetched, and only visible columns' prefetches run;
- every column renders HTML with render() and plain text with value() (used by exports);
- ?per_page= is kept between 1 and MAX_PER_PAGE;
- each column's render() and value() carry their signature (`_presigned`);
- KeptRowsData: a queryset that filters, sorts, counts and pages in the database while the
  records come from a mapping of plain rows (a kept figure), so a page builds no model instance;
- CountedPageData: the page and the total count in one query;
- DateTimeTextColumn: DateTimeColumn without a template compiled per cell.
"""

import datetime
import inspect

import django_tables2 as tables
from django.db.models import Count, Window
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django_tables2.data import TableData, TableQuerysetData


class _TiebreakQuerysetData(TableQuerysetData):
    def order_by(self, aliases):
        super().order_by(aliases)
        self.data = with_pk_tiebreak(self.data)


class KeptRowsData(_TiebreakQuerysetData):
    """Rows filtered and ordered (order_FOO methods included) as a queryset, whose records are
    `rows[pk]`: one query selects the ids in order, and the count and each page are read
    from that list (a plan's tasks: a few hundred ints). A TableData passed to Table() is
    django-tables2's documented hook for custom containers; the table's columns read the row
    objects (plain values, e.g. tasks.plan_rows.TaskRow) instead of model instances. An id
    missing from `rows` (a row added after they were read) is left out."""

    def __init__(self, queryset, rows):
        super().__init__(with_pk_tiebreak(queryset))
        self.rows = rows
        self._ids = None

    def order_by(self, aliases):
        super().order_by(aliases)
        self._ids = None

    @property
    def ids(self) -> list:
        if self._ids is None:
            rows = self.rows
            self._ids = [pk for pk in self.data.values_list("pk", flat=True) if pk in rows]
        return self._ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self.rows[pk] for pk in self.ids[key]]
        return self.rows[self.ids[key]]

    def __iter__(self):
        return (self.rows[pk] for pk in self.ids)


class CountedPageData(_TiebreakQuerysetData):
    """A queryset whose page and total come in one query: the page's rows carry the count of
    all the rows (COUNT(*) OVER (), a window over the filtered rows before LIMIT/OFFSET),
    instead of a COUNT query then the page. BaseTable.paginate tells it the page asked for
    (`hint`); any other slice, or a page past the end, is read as usual."""

    hint = None  # (offset, per_page) of the page the table will show

    def __init__(self, queryset):
        super().__init__(with_pk_tiebreak(queryset))
        self._page = None

    def order_by(self, aliases):
        super().order_by(aliases)
        self._page = None

    def _page_rows(self) -> list:
        if self._page is None:
            offset, per_page = self.hint
            rows = self.data.annotate(page_total=Window(Count("pk")))[offset : offset + per_page]
            self._page = list(rows)
        return self._page

    def __len__(self):
        if getattr(self, "_length", None) is None:
            rows = self._page_rows() if self.hint else []
            self._length = rows[0].page_total if rows else self.data.count()
        return self._length

    def __getitem__(self, key):
        if (
            self.hint
            and isinstance(key, slice)
            and key.step is None
            and key.start == self.hint[0]
            and 0 <= key.stop - key.start <= self.hint[1]
        ):
            return self._page_rows()[: key.stop - key.start]
        return super().__getitem__(key)


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
    call.__wrapped__ = fn  # functools' convention: callers that need no signature call fn
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
        if isinstance(self.data, CountedPageData) and per_page is not None:
            page = kwargs.get("page", 1)
            number = int(page) if str(page).isdigit() and int(page) > 0 else None
            offset = None if number is None else (number - 1) * per_page
            # ?page=10^20 from the address bar: no OFFSET the database would refuse (the
            # count comes first then, and the paginator shows the last page).
            fits = offset is not None and offset < 2**31
            self.data.hint = (offset, per_page) if fits else None
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


class DateTimeTextColumn(tables.DateTimeColumn):
    """DateTimeColumn's cell written in Python, as its template writes it ({{ value|date:format
    |default:default }}, in the current time zone); the export keeps DateTimeColumn.value. The
    library compiles that one-line template for every cell: 24 % of the review queue's time
    (benchmarks/request_costs.py --profile, 2026-12-01)."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")

    def render(self, value, bound_column):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_filter(value, self.format) or bound_column.default


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
