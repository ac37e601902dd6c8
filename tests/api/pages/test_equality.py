"""Equality monitoring pages: a presenter answers from their own signed link (real app, real
time-skipping Temporal behind it, SQLite); staff record answers for a presenter and read the
report, where fewer than 5 is never shown as a number."""

from __future__ import annotations

from sqlmodel import select

from models.db import SessionFactory
from models.equality import EqualityResponse
from tests.api.pages.conftest import BrowserFactory, LinkSite
from tests.personal_data import hasina_world
from tests.staff import csrf_token, text_of


async def test_a_presenter_describes_themselves_from_their_link(site: LinkSite) -> None:
    url = site.links.presenter_url(site.case_id, site.presenter().id) + "/about-you"
    path = url.removeprefix(site.live.base_url)
    async with site.browser() as browser:
        confirm = await browser.get(path.removesuffix("/about-you"))
        assert 'href="' + path + '"' in confirm.text, "the presenter's page links to it"
        page = await browser.get(path)
        assert page.status_code == 200
        words = text_of(page.text)
        assert "Black, Black British, Black Welsh, Caribbean or African" in words
        assert "for example Somali" in words and "Every question is optional" in words
        assert "BAME" not in page.text and "BME" not in page.text
        saved = await browser.post(
            path,
            data={
                "csrf_token": csrf_token(page.text),
                "ethnicity": "African",
                "ethnicity_described": "Somali",
                "age_band": "Prefer not to say",
            },
        )
        assert saved.status_code == 200 and "Your answers are saved" in saved.text
        forged = await browser.post(
            path, data={"csrf_token": csrf_token(page.text), "ethnicity": "BAME"}
        )
        assert forged.status_code == 422
    with site.sessions() as session:
        [row] = session.exec(select(EqualityResponse)).all()
        assert (row.ethnicity, row.ethnicity_described, row.age_band) == (
            "African",
            "Somali",
            "Prefer not to say",
        )
        assert row.recorded_by == "the presenter"


async def test_staff_record_answers_and_the_report_suppresses_small_numbers(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    her_id, case_id = hasina_world(sessions)
    lead = await staff("engagement_lead")
    base = f"/cases/{case_id}/presenters/{her_id}/equality"
    assert f'href="{base}"' in (await lead.get(f"/cases/{case_id}")).text
    assert (await lead.get(base)).status_code == 200
    done = await lead.submit(base, {"ethnicity": "Bangladeshi", "religion": "Muslim"})
    assert done.status_code == 303
    report = text_of((await lead.get("/equality-monitoring")).text)
    assert "Bangladeshi fewer than 5" in report and "Muslim fewer than 5" in report
    assert "Presenters who answered or declined fewer than 5" in report
    assert " 1 " not in f" {report} "
