"""The pure rules of erasure: the pseudonym, the words that name a person, and how text, JSON
and a workflow's state are rewritten."""

from __future__ import annotations

import uuid
from datetime import date

from models.erasure import ErasePresenter, Needles, Scrubber, pseudonym, scrub_presenters
from models.presenter import PresenterRecord

P = "Presenter 3, May 2024"


def test_pseudonym_says_place_and_month():
    assert pseudonym(3, date(2024, 5, 14)) == P


def test_needles_are_full_name_email_parts_and_initials():
    needles = Needles.of("Hasina Chowdhury", "h@example.com")
    assert needles.everywhere() == ["h@example.com", "Hasina Chowdhury"]
    assert needles.in_case() == ["h@example.com", "Hasina Chowdhury", "Hasina", "Chowdhury", "HC"]


def test_full_name_and_email_replaced_everywhere_first_name_only_in_her_case():
    scrub = Scrubber(Needles.of("Hasina Chowdhury", "h@example.com"), P)
    text = "Hasina Chowdhury (h@example.com) spoke. No follow-up for Hasina; HC was told."
    assert (
        scrub.text(text, case_scope=False)
        == f"{P} ({P}) spoke. No follow-up for Hasina; HC was told."
    )
    assert (
        scrub.text(text, case_scope=True) == f"{P} ({P}) spoke. No follow-up for {P}; {P} was told."
    )


def test_words_inside_other_words_and_lower_case_initials_are_kept():
    scrub = Scrubber(Needles.of("Ali Khan", None), "Presenter 1, May 2024")
    assert scrub.text("Quality of care: Ali asked; ak47", case_scope=True) == (
        "Quality of care: Presenter 1, May 2024 asked; ak47"
    )


def test_json_rows_of_her_case_are_scoped_to_her_case():
    case_id = str(uuid.uuid4())
    scrub = Scrubber(Needles.of("Hasina Chowdhury", None), P)
    content = {
        "rows": [
            {"case_id": case_id, "comment": "Hasina told"},
            {"case_id": "x", "comment": "Hasina Ahmed"},
        ]
    }
    assert scrub.json(content, case_scope=False, case_id=case_id) == {
        "rows": [
            {"case_id": case_id, "comment": f"{P} told"},
            {"case_id": "x", "comment": "Hasina Ahmed"},
        ]
    }


def test_a_state_keeps_only_the_pseudonym():
    case_id = uuid.uuid4()
    her = PresenterRecord(
        case_id=case_id, name="Hasina Chowdhury", email="h@example.com", language="Bengali"
    )
    other = PresenterRecord(case_id=case_id, name="Joan Smith", seq=2)
    kept, scrubber = scrub_presenters(
        [her, other], ErasePresenter(presenter_id=her.id, pseudonym=P)
    )
    assert scrubber is not None
    assert kept[0].name == P and kept[0].email is None and kept[0].language is None
    assert kept[1] == other
    _, none = scrub_presenters([other], ErasePresenter(presenter_id=her.id, pseudonym=P))
    assert none is None
