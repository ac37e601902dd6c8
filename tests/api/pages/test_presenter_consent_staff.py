"""The engagement lead records consent for a presenter without email (the real app, SQLite)."""

from __future__ import annotations

from sqlmodel import select

from models.audit import AuditEvent
from models.consent import ConsentAnswer, ConsentRoute, PresenterConsent
from models.db import SessionFactory
from models.presenter import Presenter
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board
from tests.public_text_fixtures import report_naming_people


async def test_the_engagement_lead_records_consent_given_on_paper(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    report_naming_people(sessions)
    with sessions() as session:
        rachel = session.exec(select(Presenter).where(Presenter.name == "Rachel Vincent")).one()
    url = f"/cases/{rachel.case_id}/presenters/{rachel.id}/consent"
    viewer = await staff("viewer")
    assert (await viewer.get(url)).status_code == 403
    lead = await staff("engagement_lead")
    case_page = (await lead.get(f"/cases/{rachel.case_id}")).text
    assert f'href="{url}"' in case_page and "Not asked yet" in case_page
    wrong = await lead.submit(url, {"named_in_public": "maybe"})
    assert wrong.status_code == 422 and 'href="#named_in_public"' in wrong.text
    saved = await lead.submit(
        url, {"named_in_public": "yes", "contact_about_outcomes": "no", "given_how": "paper"}
    )
    assert saved.status_code == 303
    case_page = (await lead.get(f"/cases/{rachel.case_id}")).text
    assert "Yes, given " in case_page and "on a paper form" in case_page
    with sessions() as session:
        record = session.get(PresenterConsent, rachel.id)
        assert record is not None and record.named_in_public is ConsentAnswer.yes
        assert record.given_how is ConsentRoute.paper
        assert record.contact_about_outcomes is ConsentAnswer.no
        assert lead.user is not None and record.recorded_by == lead.user.name
        [event] = session.exec(
            select(AuditEvent).where(AuditEvent.verb == "presenter.consent_recorded")
        ).all()
        assert event.actor_kind.value == "staff" and event.case_id == rachel.case_id
