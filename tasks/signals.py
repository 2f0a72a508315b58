"""Events of the reporting workflow that other apps act on (tasks never imports reports)."""

import django.dispatch

# Sent after a report was returned to its unit, with `report` and `reason`.
report_returned = django.dispatch.Signal()

# Sent after a unit handed a report in (submitted), with `report`: its head has one to 审核.
report_submitted = django.dispatch.Signal()

# Sent after a deadline extension application was filed or moved a step (tasks.extensions),
# with `application`: whoever acts next (or the applicant, once decided) is told.
extension_moved = django.dispatch.Signal()
