"""Events of the reporting workflow that other apps act on (tasks never imports reports)."""

import django.dispatch

# Sent after a report was returned to its unit, with `report` and `reason`.
report_returned = django.dispatch.Signal()

# Sent after a unit handed a report in (submitted), with `report`: its head has one to 审核.
report_submitted = django.dispatch.Signal()

# Sent after a commit (or an autocommit write) moved the data revision (tasks.revision), with
# `using`: receivers compute the hot figures once into the shared store (tasks.figures).
figures_moved = django.dispatch.Signal()
