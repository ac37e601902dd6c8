"""What happens to an action: pure functions over ``ActionState``, one module per concern.

``ActionWorkflow`` calls them and records the ``Step`` they fill. Time comes in as ``now``;
nothing here does I/O. The workflow uses what this package exports; no export shares its name
with a module here (the sandbox's pass-through import sets each module on the package).

| module | owns |
|---|---|
| ``timers`` | when each timer rule fires, and what it does when it fires |
| ``commands`` | the first step, and applying a command (the table of each command's effect) |
| ``ownership`` | naming or changing the owner, acknowledging, handing it back |
| ``progress`` | updates, notes, a new due date, closing it (done, not delivered, withdrawn) |
| ``history`` | an action from past records: taking it on, closing it with what was done |
| ``rag`` | the RAG shown and why, and the Community Voice Lead's override |
| ``escalations`` | raising and resolving escalations, by rule, by hand, or on a bounce |
| ``messages`` | who is told what: the facts in each message, the owner's receipt |
| ``update_requests`` | the quarterly report's request for an update |
"""

from workflows.action_rules.commands import apply, on_start
from workflows.action_rules.rag import rag_facts, refresh_rag
from workflows.action_rules.timers import fire, pending_timers
from workflows.action_rules.update_requests import request_update
from workflows.refused import Refused

__all__ = [
    "Refused",
    "apply",
    "fire",
    "on_start",
    "pending_timers",
    "rag_facts",
    "refresh_rag",
    "request_update",
]
