"""Per-cell overhead of django-tables2, removed without changing what it renders.

django-tables2 calls inspect.signature() on a column's render()/value() for every cell to learn
which keyword arguments it takes. On a 50-row page that is hundreds of signature computations
per request (about a tenth of a list page's time, a sixth of an export's). A function's
signature never changes, so it is computed once per function and remembered.
"""

import weakref

from django_tables2 import utils

_original_signature = utils.signature
_cache: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def cached_signature(fn):
    """utils.signature(fn), remembered per underlying function (and bound or not).

    A bound method's signature leaves out `self`, so bound and plain calls of one function are
    remembered apart. Anything that is not a plain function or bound method (partials, callable
    objects) is not cached: its signature could depend on its state.
    """
    func = getattr(fn, "__func__", fn)
    if not hasattr(func, "__code__"):
        return _original_signature(fn)
    bound = func is not fn
    try:
        per_function = _cache.setdefault(func, {})
    except TypeError:  # not weak-referenceable
        return _original_signature(fn)
    if bound not in per_function:
        per_function[bound] = _original_signature(fn)
    return per_function[bound]


def install() -> None:
    utils.signature = cached_signature
