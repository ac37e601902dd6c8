"""ActionWorkflow: one agreed action, from naming its owner to closing it.

A child of the case workflow. It sleeps until the next of its timers or until a command
arrives, applies what is due, and records each step through one idempotent activity. It ends
when the action closes, telling its case; it continues as new when its history grows long.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    import workflows.action_rules as rules
    from models.commands import ActionCommand, ActionCommandSignal
    from models.erasure import ErasePresenter
    from models.messages import ActionClosed, ActionInput, ActionResult, ActionState
    from models.report import UpdateRequest
    from workflows.base import apply_once, new_step, record, should_continue_as_new, sleep_until
    from workflows.erasure import scrub_action
    from workflows.step import Step


@workflow.defn
class ActionWorkflow:
    def __init__(self) -> None:
        self.inbox: list[ActionCommand] = []
        self.update_requests: list[UpdateRequest] = []
        self.state: ActionState | None = None
        self.erasures: list[ErasePresenter] = []

    @workflow.run
    async def run(self, input: ActionInput) -> ActionResult:
        self.state = s = input.state
        self.inbox[:0] = input.inbox
        self.update_requests[:0] = input.update_requests
        first = not input.continued
        recorded_timers: list[tuple[str, datetime]] | None = None
        while True:
            now = workflow.now()
            step = new_step(s.step, now, s.record.case_id, s.record.id)
            if first:
                rules.on_start(s, step)
                first = False
            while self.inbox:
                command = self.inbox.pop(0)
                at = min(command.received_at, now)  # when it was sent, not when it arrived
                with step.happening_at(at):
                    apply_once(s, command, now, step, rules.apply)
                    rules.refresh_rag(s, at, step)
            while self.update_requests:
                rules.request_update(s, self.update_requests.pop(0), step)
            self._fire_due(now, step)
            rules.refresh_rag(s, now, step)
            pending = rules.pending_timers(s)
            signature = [(t.key, t.due_at) for t in pending]
            if signature != recorded_timers:
                step.record.timers = pending
            if not step.record.is_empty():
                s.record.updated_at = now
                step.record.actions = [s.record.model_copy()]
                s.step += 1
                await record(step.record)
                recorded_timers = signature
            if s.record.closed_at is not None and not (self.inbox or self.update_requests):
                break
            erased = bool(self.erasures)
            while self.erasures:
                self.state = s = await self._erase(s)
            if erased or should_continue_as_new(input.history_limit):
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    ActionInput(
                        state=s,
                        parent_workflow_id=input.parent_workflow_id,
                        continued=True,
                        history_limit=input.history_limit,
                        inbox=self.inbox,
                        update_requests=self.update_requests,
                    )
                )
            await sleep_until(
                pending, lambda: bool(self.inbox or self.update_requests or self.erasures)
            )
        await self._tell_case(input.parent_workflow_id)
        r = s.record
        return ActionResult(
            action_id=r.id, status=r.status, closed_at=r.closed_at, closed_on_time=r.closed_on_time
        )

    @workflow.signal
    def submit(self, signal: ActionCommandSignal) -> None:
        """A command from the inbox relay. Duplicates (a relay retry) are ignored when applied."""
        self.inbox.append(signal.command)

    @workflow.signal
    def request_update(self, request: UpdateRequest) -> None:
        """From the quarterly report workflow at its cut-off: ask the owner for an update."""
        self.update_requests.append(request)

    @workflow.signal
    def erase_presenter(self, erasure: ErasePresenter) -> None:
        """Scrub a presenter from this workflow's state, then continue as new."""
        self.erasures.append(erasure)

    @workflow.query
    def get_state(self) -> ActionState:
        if self.state is None:
            raise ApplicationError("not started yet")
        return self.state

    async def _erase(self, s: ActionState) -> ActionState:
        erasures, self.erasures = self.erasures, []
        s, self.inbox = scrub_action(s, self.inbox, erasures)
        step = new_step(s.step, workflow.now(), s.record.case_id, s.record.id)
        step.record.actions = [s.record.model_copy()]
        s.step += 1
        await record(step.record)
        return s

    def _fire_due(self, now: object, step: Step) -> None:
        s = self.state
        assert s is not None
        while True:
            due = [t for t in rules.pending_timers(s) if t.due_at <= now]  # type: ignore[operator]
            if not due:
                return
            with step.happening_at(due[0].due_at):
                rules.fire(s, due[0], step)
                rules.refresh_rag(s, due[0].due_at, step)

    async def _tell_case(self, parent_workflow_id: str) -> None:
        s = self.state
        assert s is not None and s.record.closed_at is not None
        handle = workflow.get_external_workflow_handle(parent_workflow_id)
        await handle.signal(
            "action_closed",
            ActionClosed(
                action_id=s.record.id, status=s.record.status, closed_at=s.record.closed_at
            ),
        )
