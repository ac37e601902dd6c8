"""Equality monitoring report: aggregates only, fewer than 5 never shown as a number, the census
groups with their categories, and people's own words (Somali) shown where 5 or more gave them.
Real SQLite, and PostgreSQL when CVT_TEST_POSTGRES_URL is given."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.board import Board
from models.case import Case
from models.db import session_factory
from models.equality import EqualityAnswers
from models.presenter import Presenter
from services import equality
from tests.factories import add_board


def _answer(sessions, n: int, answers: EqualityAnswers) -> None:
    with sessions() as session:
        board = session.exec(select(Board)).one()
        case = Case(board_id=board.id, meeting_date=date(2024, 5, 14))
        session.add(case)
        session.flush()
        for _ in range(n):
            presenter = Presenter(case_id=case.id, name="A resident")
            session.add(presenter)
            session.flush()
            equality.record(session, presenter.id, answers, by="the presenter")


def test_small_numbers_are_suppressed_and_own_words_are_not_masked(db_engine):
    sessions = session_factory(db_engine)
    add_board(sessions)
    _answer(sessions, 5, EqualityAnswers(ethnicity="African", ethnicity_described="somali"))
    _answer(sessions, 1, EqualityAnswers(ethnicity="African", ethnicity_described="Eritrean"))
    _answer(sessions, 2, EqualityAnswers(ethnicity="Bangladeshi", age_band="25 to 34"))
    _answer(sessions, 1, EqualityAnswers(ethnicity="Chinese", declined=True))

    with sessions() as session:
        made = equality.report(session)

    assert (made.responses, made.declined) == ("9", "fewer than 5")
    ethnicity = {line.label: line.count for line in made.sections[0].lines}
    assert ethnicity["Black, Black British, Black Welsh, Caribbean or African"] == "6"
    assert ethnicity["African"] == "6"
    assert ethnicity["Asian, Asian British or Asian Welsh"] == "fewer than 5"
    assert ethnicity["Bangladeshi"] == "fewer than 5"
    assert ethnicity["Chinese"] == "0", "a declined answer counts only as declined"
    assert [(d.label, d.count) for d in made.sections[0].described] == [("Somali", "5")]
    assert made.sections[0].hidden_described == 1  # Eritrean: 1 person, not listed
    age = {line.label: line.count for line in made.sections[1].lines}
    assert age["25 to 34"] == "fewer than 5" and age["Not answered"] == "6"
    words = str(made).lower()
    assert "bame" not in words and "bme" not in words
    counts = {line.count for s in made.sections for line in s.lines}
    assert not counts & {"1", "2", "3", "4"}, "no number below 5 is ever shown"
