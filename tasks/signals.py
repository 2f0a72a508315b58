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
# Sent after a step of a 督办单 (reports.escalation_flow) with `task`, `step` ("issued",
# "replied", "resolved"), `title`, `body`, `url`, and who must hear of it: `unit_ids` (their
# staff and heads), `leader_ids` (区领导 copied), `office` (the office), `office_leader` (the
# name of the office's own leader, copied on red notices; "" for none).
escalation_step = django.dispatch.Signal()
# Sent after a step of a closure application (tasks.closure) was committed, with
# `application`, `step` ("applied", "verified", "closed", "returned", "reopened") and `actor`:
# whoever must act next (or the unit, when it is over) is told.
closure_step = django.dispatch.Signal()

# Sent after a deadline extension application was filed or moved a step (tasks.extensions),
# with `application`: whoever acts next (or the applicant, once decided) is told.
extension_moved = django.dispatch.Signal()
# Sent after a commit (or an autocommit write) moved the data revision (tasks.revision), with
# `using` and `plan` (the id of the plan whose figures moved; None: every plan's): receivers
# compute the hot figures once into the shared store (tasks.figures).
figures_moved = django.dispatch.Signal()
# Sent with the same arguments once the response of the request that moved it has been
# delivered (tasks.revision.request_finished): the hot figures that only some pages read.
figures_moved_after = django.dispatch.Signal()
