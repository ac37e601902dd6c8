"""What happens to a case: pure functions over ``CaseState``, one module per concern.

``CaseWorkflow`` calls them and records the ``Step`` they fill; nothing here does I/O. The
workflow uses what this package exports; no export shares its name with a module here (the
sandbox's pass-through import sets each module on the package).

| module | owns |
|---|---|
| ``timers`` | when each timer rule fires (presenter contact), and what it does |
| ``lifecycle`` | recording the session, thanking the presenters; closing with its actions |
| ``commands`` | applying a command: confirming contact, adding an action, a note |
| ``presenter_answers`` | the presenters' answers from their links |
| ``escalations`` | raising and resolving escalations, by rule, by hand, or on a bounce |
| ``context`` | what the case passes to its actions' workflows and into its messages |
"""

from workflows.case_rules.commands import apply
from workflows.case_rules.context import action_input
from workflows.case_rules.lifecycle import action_closed, on_start
from workflows.case_rules.timers import fire, pending_timers
from workflows.refused import Refused

__all__ = [
    "Refused",
    "action_closed",
    "action_input",
    "apply",
    "fire",
    "on_start",
    "pending_timers",
]
