"""A presenter gives, then withdraws, consent to be named from their own signed link (the real
app over HTTP, a real signed link, the case started on the Temporal test server)."""

from __future__ import annotations

from sqlmodel import col, select

from models.audit import AuditEvent
from models.consent import ConsentAnswer, ConsentRoute, PresenterConsent
from tests.api.pages.conftest import LinkSite, submit


async def test_a_presenter_gives_then_withdraws_consent_from_their_link(site: LinkSite) -> None:
    presenter = site.presenter()
    link = site.links.presenter_url(site.case_id, presenter.id) + "/consent"
    async with site.browser() as browser:
        page = await browser.get(link)
        assert page.status_code == 200
        assert "You are not named in the board&#39;s public papers." in page.text
        assert site.count(PresenterConsent) == 0, "opening the page changed nothing"

        missing = await submit(browser, link, link, named_in_public="yes")
        assert missing.status_code == 422 and 'href="#contact_about_outcomes"' in missing.text

        given = await submit(
            browser, link, link, named_in_public="yes", contact_about_outcomes="yes"
        )
        assert given.status_code == 303
        page = await browser.get(given.headers["location"])
        assert "You have agreed to be named in the board&#39;s public papers since" in page.text
        with site.sessions() as session:
            record = session.get(PresenterConsent, presenter.id)
            assert record is not None and record.named_in_public is ConsentAnswer.yes
            assert record.given_how is ConsentRoute.email_link and record.given_at is not None
            assert record.contact_about_outcomes is ConsentAnswer.yes

        withdrawn = await submit(
            browser, link, link, named_in_public="no", contact_about_outcomes="yes"
        )
        page = await browser.get(withdrawn.headers["location"])
        assert "You withdrew your agreement to be named on" in page.text

        bad = await browser.post(link, data={"named_in_public": "yes"})
        assert bad.status_code == 403, "a form without this browser's token changes nothing"
    with site.sessions() as session:
        record = session.get(PresenterConsent, presenter.id)
        assert record is not None and record.named_in_public is ConsentAnswer.no
        assert record.withdrawn_at is not None and record.given_at is not None
        verbs = [
            e.verb
            for e in session.exec(
                select(AuditEvent)
                .where(AuditEvent.case_id == site.case_id)
                .order_by(col(AuditEvent.at))
            ).all()
            if e.verb.startswith("presenter.consent")
        ]
    assert verbs == ["presenter.consent_recorded", "presenter.consent_withdrawn"]
