"""Signals of the leaders app, for apps that must not be imported from here (reports).

instruction_published: sent once when an instruction is published, after the transaction that
published it has committed. Keyword argument: ``instruction`` (leaders.models.Instruction).
Receivers find whom to tell with ``leaders.instructions.published_recipients(instruction)``.
"""

import django.dispatch

instruction_published = django.dispatch.Signal()
