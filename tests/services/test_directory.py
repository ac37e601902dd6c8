"""Partner names are one name in any case or Unicode form, on SQLite and PostgreSQL alike
(SQLite's ``lower()`` folds ASCII only: the check must not lean on it)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.db import session_factory
from models.partner import Partner, PartnerCreate
from services import directory
from services.errors import InvalidInput

SAME_NAMES = [
    ("Ärzte Verein", "Ärzte Verein"),  # the same non-ASCII capital twice
    ("Ärzte Verein", "ÄRZTE VEREIN"),
    ("Straße Trust", "STRASSE TRUST"),  # casefold, not lower
    ("Ｂａｒｔｓ Health", "barts  health"),  # full-width letters (NFKC), spaces collapsed
]


@pytest.mark.parametrize(("first", "second"), SAME_NAMES)
def test_a_partner_named_again_in_another_case_is_refused_by_field(db_engine, first, second):
    sessions = session_factory(db_engine)
    with sessions() as session:
        directory.create_partner(session=session, body=PartnerCreate(name=first))
    with sessions() as session, pytest.raises(InvalidInput) as refused:
        directory.create_partner(session=session, body=PartnerCreate(name=second))
    assert refused.value.errors[0].field == "name"
    assert "is in the directory already" in refused.value.errors[0].message
    with sessions() as session:
        assert len(session.exec(select(Partner)).all()) == 1


def test_renaming_a_partner_onto_another_in_another_case_is_refused(db_engine):
    sessions = session_factory(db_engine)
    with sessions() as session:
        directory.create_partner(session=session, body=PartnerCreate(name="Ärzte Verein"))
        other = directory.create_partner(session=session, body=PartnerCreate(name="Ürgent Care"))
    with sessions() as session, pytest.raises(InvalidInput):
        directory.update_partner(
            session=session, partner_id=other.id, body=PartnerCreate(name="ÄRZTE verein")
        )
    with sessions() as session:  # renaming in its own case is fine, and keeps the key in step
        directory.update_partner(
            session=session, partner_id=other.id, body=PartnerCreate(name="ÜRGENT CARE")
        )
        assert session.get(Partner, other.id).name_key == "ürgent care"


def test_the_database_refuses_a_same_named_partner_that_skipped_the_check(db_engine):
    """Two requests at once both pass the check: the unique key refuses the second, and the
    service answers it as the same refusal (never a 500)."""
    sessions = session_factory(db_engine)
    with sessions() as session:
        session.add(Partner(name="Ärzte Verein"))
        session.commit()
    with sessions() as session, pytest.raises(InvalidInput):
        session.add(Partner(name="ÄRZTE VEREIN"))
        directory._commit_partner(session, "ÄRZTE VEREIN")
