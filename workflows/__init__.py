"""Temporal workflows: one ``CaseWorkflow`` per session, one child ``ActionWorkflow`` per action.

Keep this package free of side effects: the workflow sandbox re-imports its modules.
"""

TASK_QUEUE = "community-voice"


def case_workflow_id(case_id: object) -> str:
    return f"case-{case_id}"


def action_workflow_id(action_id: object) -> str:
    return f"action-{action_id}"
