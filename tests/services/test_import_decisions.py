"""What an import asks instead of guessing: a session recorded as "no specific action" that also
lists actions, and two sessions in one month (in the file, or one already recorded). The answer
comes from the record's ``import_decision`` or from the command line; until then nothing is
imported."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import func, select

from models.action import Action
from models.audit import Actor, ActorKind
from models.case import Case, CaseOutcome
from services.commands import Commands
from services.import_records import read_board_papers
from services.importer import import_sessions
from services.inbox import Inbox
from tests.factories import add_board
from tests.helpers import eventually
from tests.report_fixtures import demo_records

IMPORTER = Actor(kind=ActorKind.importer, name="Import of the test file")


def record(ref: str, month: str = "2024-05", **fields: Any) -> dict[str, Any]:
    return {
        "id": ref,
        "board_month": month,
        "status": "held",
        "theme": f"Theme of {ref}",
        "said": "Residents described long waits.",
        "actions": [{"text": "Write to every GP practice", "owner": "Primary care"}],
        "outcome": "Letters went to every practice.",
        **fields,
    }


def test_no_specific_action_with_actions_listed_asks_which_it_is():
    october = next(r for r in demo_records() if r["id"] == "AR-2023-10")
    [item] = read_board_papers([october], board="tht")
    assert item.errors == []
    [question] = item.questions
    assert question.startswith(
        "recorded as no specific action (its outcome says so) but lists 1 action(s). Decide: "
        "'no_action' (held, no specific action agreed: the listed items are kept as noted, not "
        "tracked); 'held' (the board agreed these actions: import them as the session's actions)."
    )
    assert question.endswith("--decide AR-2023-10=no_action")

    [noted] = read_board_papers([october], board="tht", decisions={"AR-2023-10": "no_action"})
    assert noted.questions == [] and noted.body is not None
    assert noted.body.outcome is CaseOutcome.no_action and noted.body.actions == []
    assert noted.noted == [
        "Board expressed desire to visit the BBBC in future (owner as recorded: THT Board)"
    ]
    assert noted.action_gaps == [] and noted.owner_emails == []

    [kept] = read_board_papers([{**october, "import_decision": "held"}], board="tht")
    assert kept.questions == [] and kept.body is not None
    assert kept.body.outcome is CaseOutcome.held and len(kept.body.actions) == 1


def test_a_no_action_status_with_actions_asks_and_without_actions_is_taken_as_it_is():
    [asks] = read_board_papers([record("R1", status="no_action")], board="tht")
    assert asks.errors == [] and "status 'no_action'" in asks.questions[0]
    quiet = record("R2", actions=[], outcome="NB: no specific action from this session.")
    [taken] = read_board_papers([quiet], board="tht")
    assert taken.questions == [] and taken.body is not None
    assert taken.body.outcome is CaseOutcome.no_action
    assert any("imported as held, no specific action agreed" in g for g in taken.gaps)


def test_a_decision_that_is_not_one_is_refused_by_field():
    [item] = read_board_papers([record("R1", import_decision="maybe")], board="tht")
    assert item.errors == [
        "import_decision: 'maybe' is not a decision; use one of held, no_action, same_meeting, skip"
    ]


def test_two_sessions_in_one_month_ask_until_both_are_decided():
    withdrawn = record("R1", status="withdrawn", actions=[], said=None)
    deferred = record("R2", status="deferred", actions=[], said=None)
    items = read_board_papers([withdrawn, deferred], board="tht")
    assert all(len(i.questions) == 1 for i in items)
    assert (
        items[0]
        .questions[0]
        .startswith(
            "May 2024 has 2 sessions in this file: R1 (record 1), R2 (record 2). Decide: "
            "'same_meeting' (both are real sessions of that month's meeting: import both); 'skip'"
        )
    )
    both = read_board_papers(
        [withdrawn, deferred], board="tht", decisions={"R1": "same_meeting", "R2": "same_meeting"}
    )
    assert [i.questions for i in both] == [[], []]
    one = read_board_papers([withdrawn, deferred], board="tht", decisions={"R2": "skip"})
    assert [i.questions for i in one] == [[], []] and one[1].skipped
    # Two sessions with their own days in one month are two meetings: nothing to ask.
    days = read_board_papers(
        [
            {**withdrawn, "meeting_date": "2024-05-02"},
            {**deferred, "meeting_date": "2024-05-30"},
        ],
        board="tht",
    )
    assert [i.questions for i in days] == [[], []]


async def test_a_month_already_recorded_asks_and_a_skipped_record_is_left_out(
    ts_env, ts_worker, sessions, task_queue
):
    add_board(sessions)
    commands = Commands(sessions, Inbox(sessions, ts_env.client, task_queue=task_queue))

    def count(table: Any) -> int:
        with sessions() as session:
            return int(session.exec(select(func.count()).select_from(table)).one())

    first = await import_sessions(
        commands,
        read_board_papers([record("R1")], board="tht"),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert first.ok
    await eventually(lambda: count(Case) == 1 and count(Action) == 1, timeout=30)

    later = [copy.deepcopy(record("R9")), record("R10", month="2024-06")]
    asked = await import_sessions(
        commands, read_board_papers(later, board="tht"), board="tht", actor=IMPORTER, dry_run=True
    )
    assert [i.source_ref for i in asked.undecided] == ["R9"]
    assert (
        asked.undecided[0]
        .questions[0]
        .startswith(
            "May 2024 already has a session recorded: Theme of R1 (May 2024, R1). Decide: "
            "'same_meeting'"
        )
    )
    done = await import_sessions(
        commands,
        read_board_papers(later, board="tht", decisions={"R9": "skip"}),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert done.ok and [i.status for i in done.sessions] == ["skipped, as decided", "imported"]
    await eventually(lambda: count(Case) == 2, timeout=30)
    with sessions() as session:
        refs = sorted(c.source_ref or "" for c in session.exec(select(Case)))
        june = session.exec(select(Case).where(Case.source_ref == "R10")).one()
    assert refs == ["R1", "R10"]
    assert june.meeting_month_only
