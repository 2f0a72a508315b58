"""Events of the reporting workflow that other apps act on (tasks never imports reports)."""

import django.dispatch

# Sent after a report was returned to its unit, with `report` and `reason`.
report_returned = django.dispatch.Signal()
