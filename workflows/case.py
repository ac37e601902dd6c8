"""CaseWorkflow: one Community Voice session, from the board meeting to the annual report.

It records the session, thanks the presenters, chases presenter contact on its timers, starts
one ``ActionWorkflow`` per action, and closes when every action is closed. It stays open (idle,
costing nothing) until the annual report that includes it is published, so presenters can
still answer and staff can still add an action.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    import workflows.case_rules as rules
    from models.case import CaseStatus
    from models.commands import CaseCommand, CaseCommandSignal
    from models.erasure import ErasePresenter
    from models.messages import ActionClosed, CaseInput, CaseReported, CaseResult, CaseState
    from workflows import action_workflow_id
    from workflows.action import ActionWorkflow
    from workflows.base import apply_once, new_step, record, should_continue_as_new, sleep_until
    from workflows.erasure import scrub_case


@workflow.defn
class CaseWorkflow:
    def __init__(self) -> None:
        self.inbox: list[CaseCommand] = []
        self.closed_actions: list[ActionClosed] = []
        self.state: CaseState | None = None
        self.erasures: list[ErasePresenter] = []
        self.history_limit = CaseInput.model_fields["history_limit"].default

    @workflow.run
    async def run(self, input: CaseInput) -> CaseResult:
        self.state = s = input.state
        self.inbox[:0] = input.inbox
        self.closed_actions[:0] = input.closed_actions
        self.history_limit = input.history_limit
        first = not input.continued
        recorded_timers: list[tuple[str, datetime]] | None = None
        while True:
            now = workflow.now()
            step = new_step(s.step, now, s.record.id, None)
            if first:
                rules.on_start(s, step)
                first = False
            while self.inbox:
                apply_once(s, self.inbox.pop(0), now, step, rules.apply)
            while self.closed_actions:
                rules.action_closed(s, self.closed_actions.pop(0), step)
            while due := [t for t in rules.pending_timers(s) if t.due_at <= now]:
                with step.happening_at(due[0].due_at):
                    rules.fire(s, due[0], step)
            pending = rules.pending_timers(s)
            signature = [(t.key, t.due_at) for t in pending]
            if signature != recorded_timers:
                step.record.timers = pending
            if not step.record.is_empty():
                step.record.case = s.record.model_copy()
                s.step += 1
                await record(step.record)
                recorded_timers = signature
            await self._start_actions()
            if self._finished():
                break
            erased = bool(self.erasures)
            while self.erasures:
                self.state = s = await self._erase(s)
            if erased or should_continue_as_new(input.history_limit):
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    CaseInput(
                        state=s,
                        continued=True,
                        history_limit=input.history_limit,
                        inbox=self.inbox,
                        closed_actions=self.closed_actions,
                    )
                )
            await sleep_until(pending, self._woken)
        return CaseResult(case_id=s.record.id, closed_at=s.record.closed_at)

    @workflow.signal
    def submit(self, signal: CaseCommandSignal) -> None:
        """A command from the inbox relay. Duplicates (a relay retry) are ignored when applied."""
        self.inbox.append(signal.command)

    @workflow.signal
    def action_closed(self, closed: ActionClosed) -> None:
        """Sent by an action's workflow when it closes."""
        self.closed_actions.append(closed)

    @workflow.signal
    def case_reported(self, reported: CaseReported) -> None:
        """Sent when the annual report that includes this case is published."""
        assert self.state is not None
        self.state.reported_in_annual = True
        self.state.annual_report_id = reported.report_id

    @workflow.signal
    def erase_presenter(self, erasure: ErasePresenter) -> None:
        """Scrub a presenter from this workflow's state, then continue as new, so the current
        run holds only their pseudonym (the closed run's history ages out with retention)."""
        self.erasures.append(erasure)

    @workflow.query
    def get_state(self) -> CaseState:
        if self.state is None:
            raise ApplicationError("not started yet")
        return self.state

    def _woken(self) -> bool:
        return bool(self.inbox or self.closed_actions or self.erasures or self._finished())

    def _finished(self) -> bool:
        s = self.state
        assert s is not None
        return (
            s.record.status is CaseStatus.closed
            and s.reported_in_annual
            and not self.inbox
            and not self.closed_actions
        )

    async def _erase(self, s: CaseState) -> CaseState:
        """The state without the erased presenters, its case and presenters written again (a
        step recorded before the erasure reached this workflow may have put them back)."""
        erasures, self.erasures = self.erasures, []
        s, self.inbox = scrub_case(s, self.inbox, erasures)
        step = new_step(s.step, workflow.now(), s.record.id, None)
        step.record.case = s.record.model_copy()
        step.record.presenters = list(s.presenters)
        s.step += 1
        await record(step.record)
        return s

    async def _start_actions(self) -> None:
        s = self.state
        assert s is not None
        parent = workflow.info().workflow_id
        while s.unstarted_actions:
            action = s.unstarted_actions[0]
            await workflow.start_child_workflow(
                ActionWorkflow.run,
                rules.action_input(s, action, parent, self.history_limit),
                id=action_workflow_id(action.id),
                parent_close_policy=ParentClosePolicy.ABANDON,
                static_summary=f"Action {action.seq}: {action.text[:80]}",
            )
            s.unstarted_actions.pop(0)
