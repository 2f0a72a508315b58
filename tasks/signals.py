"""Events of the reporting workflow that other apps act on (tasks never imports reports)."""

import django.dispatch

# Sent after a report was returned to its unit, with `report` and `reason`.
report_returned = django.dispatch.Signal()

# Sent after a unit handed a report in (submitted), with `report`: its head has one to 审核.
report_submitted = django.dispatch.Signal()

# Sent after a step of a closure application (tasks.closure) was committed, with
# `application`, `step` ("applied", "verified", "closed", "returned", "reopened") and `actor`:
# whoever must act next (or the unit, when it is over) is told.
closure_step = django.dispatch.Signal()

# Sent after a deadline extension application was filed or moved a step (tasks.extensions),
# with `application`: whoever acts next (or the applicant, once decided) is told.
extension_moved = django.dispatch.Signal()
