"""Events of the reporting workflow that other apps act on (tasks never imports reports)."""

import django.dispatch

# Sent after a report was returned to its unit, with `report` and `reason`.
report_returned = django.dispatch.Signal()

# Sent after a unit handed a report in (submitted), with `report`: its head has one to 审核.
report_submitted = django.dispatch.Signal()

# Sent after a 需协调事项 changed (committed), with `item` and `step` ("opened", "replied",
# "answered", "closed", "reopened"): whoever must act next is told (tasks.coordination).
coordination_changed = django.dispatch.Signal()
# Sent after a lead unit proposed a node plan, with `proposal`: the office has one to decide.
nodes_proposed = django.dispatch.Signal()

# Sent after the office approved or refused a node plan proposal, with `proposal`.
nodes_decided = django.dispatch.Signal()
