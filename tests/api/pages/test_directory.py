"""The directory pages: partners and owners added, edited and deactivated (plain CRUD on real
SQLite). CSV import and export are tested in ``test_directory_csv``."""

from __future__ import annotations

from sqlmodel import select

from models.db import SessionFactory
from models.partner import Owner, Partner
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_owner
from tests.staff import text_of


def _partners(sessions: SessionFactory) -> list[Partner]:
    with sessions() as session:
        return list(session.exec(select(Partner).order_by(Partner.name)).all())


def _owners(sessions: SessionFactory) -> list[Owner]:
    with sessions() as session:
        return list(session.exec(select(Owner).order_by(Owner.name)).all())


async def test_adding_a_partner_and_an_owner(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    lead = await staff("engagement_lead")
    response = await lead.submit("/directory/partners/new", {"name": "", "kind": "CVS"})
    assert response.status_code == 422
    assert "Enter the organisation name" in text_of(response.text)
    assert 'value="CVS"' in response.text

    response = await lead.submit(
        "/directory/partners/new", {"name": "Tower Hamlets CVS", "kind": "CVS"}
    )
    assert response.headers["location"] == "/directory/partners?done=partner-added"
    (partner,) = _partners(sessions)

    bad = {"name": "Ali Khan", "email": "ali-at-cvs", "partner_id": str(partner.id)}
    response = await lead.submit("/directory/owners/new", bad)
    assert response.status_code == 422
    assert "Email address must be an email address in the correct format" in text_of(response.text)
    assert 'value="Ali Khan"' in response.text
    response = await lead.submit(
        "/directory/owners/new", {"name": "Ali Khan", "email": "ali@cvs.org"}
    )
    assert "Choose the owner's organisation" in text_of(response.text)

    await lead.submit("/directory/owners/new", {**bad, "email": "Ali@CVS.org"})
    (owner,) = _owners(sessions)
    assert (owner.name, owner.email, owner.partner_id) == ("Ali Khan", "ali@cvs.org", partner.id)
    words = text_of((await lead.get("/directory/partners?done=owner-added")).text)
    assert "The owner is added." in words and "Ali Khan" in words and "ali@cvs.org" in words

    response = await lead.submit("/directory/owners/new", {**bad, "email": "ali@cvs.org"})
    assert "ali@cvs.org is in the directory already" in text_of(response.text)


async def test_editing_and_deactivating(staff: BrowserFactory, sessions: SessionFactory) -> None:
    owner = add_owner(sessions, name="Olu Owner")
    lead = await staff("engagement_lead")
    path = f"/directory/owners/{owner.id}"
    response = await lead.submit(
        path,
        {
            "name": "Olu Owner-Smith",
            "email": owner.email,
            "job_title": "Lead",
            "partner_id": str(owner.partner_id),
        },
    )
    assert response.status_code == 303
    assert _owners(sessions)[0].name == "Olu Owner-Smith"

    assert "Olu Owner-Smith, Barts Health NHS Trust" in (await lead.get("/cases/new")).text
    response = await lead.submit(f"{path}/active", {"active": "no"}, form_page=path)
    assert response.headers["location"] == "/directory/partners?done=owner-deactivated"
    assert _owners(sessions)[0].active is False
    assert "Olu Owner-Smith, Barts Health" not in (await lead.get("/cases/new")).text

    partner_path = f"/directory/partners/{owner.partner_id}"
    await lead.submit(f"{partner_path}/active", {"active": "no"}, form_page=partner_path)
    assert _partners(sessions)[0].active is False
    assert "Deactivated" in text_of((await lead.get("/directory/partners")).text)
    await lead.submit(f"{partner_path}/active", {"active": "yes"}, form_page=partner_path)
    assert _partners(sessions)[0].active is True


async def test_a_viewer_sees_the_directory_but_no_edit_links(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_owner(sessions)
    viewer = await staff("viewer")
    page = (await viewer.get("/directory/partners")).text
    assert "Barts Health NHS Trust" in page
    assert "Add a partner" not in page and "/directory/owners/" not in page
