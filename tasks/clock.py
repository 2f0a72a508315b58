"""The one place "now" is read. Everything below takes explicit dates.

AS_OF_DATE (settings/env) lets a demonstration or a training session run as if it were a day
of the plan's year: the date is replaced, the time of day stays real.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def _fixed_date() -> datetime.date | None:
    value = getattr(settings, "AS_OF_DATE", "")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"AS_OF_DATE={value!r} is not a date (YYYY-MM-DD).") from None


def now() -> datetime.datetime:
    current = timezone.localtime()
    fixed = _fixed_date()
    if fixed is None:
        return current
    return current.replace(year=fixed.year, month=fixed.month, day=fixed.day)


def today() -> datetime.date:
    return now().date()
