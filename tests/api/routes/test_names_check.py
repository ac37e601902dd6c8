"""The names check over real HTTP (uvicorn, SQLite): approval is refused while the public text
names someone without a decision; once decided, the public page and every download (text
extracted from HTML, Word, PDF and CSV) name nobody but the presenter who agreed; and when she
withdraws her consent they stop naming her while the staff copy stays as approved."""

from __future__ import annotations

import html

import httpx2
from sqlmodel import select

from models.audit import ActorKind
from models.consent import ConsentAnswer, ConsentRoute, ConsentWrite
from models.presenter import Presenter
from services import consent
from tests.factories import add_board, staff_headers
from tests.public_text_fixtures import COMMENT, NEVER_PUBLIC, report_naming_people, text_of

FORMATS = ("html", "docx", "pdf", "csv")


async def public_texts(http: httpx2.AsyncClient, report_id: object) -> dict[str, str]:
    page = await http.get(f"/public/tht/reports/{report_id}")
    assert page.status_code == 200
    texts = {"page": " ".join(html.unescape(page.text).split())}
    for fmt in FORMATS:
        got = await http.get(f"/public/tht/reports/{report_id}/download.{fmt}")
        assert got.status_code == 200, fmt
        texts[fmt] = " ".join(html.unescape(text_of(fmt, got.content)).split())
    return texts


async def test_approval_refused_until_every_name_is_decided_then_public_output_names_nobody(
    live_app, sessions
) -> None:
    add_board(sessions)
    report_id, amina_id = report_naming_people(sessions)
    cv_lead = staff_headers(sessions, live_app.settings, "cv_lead")
    async with httpx2.AsyncClient(base_url=live_app.base_url, timeout=60) as http:
        refused = await http.post(f"/api/v1/reports/{report_id}/approve", headers=cv_lead)
        assert refused.status_code == 409
        message = refused.json()["detail"]
        for listed in (
            "'Rachel Vincent' (a presenter's name) in the Comment column of March 2024",
            "'Hasina' (a presenter's name) in the Comment column",
            "'RV' (a presenter's name) in the Comment column",
            "'rachel.vincent@example.org' (an email address)",
            "'020 7946 0018' (a phone number)",
        ):
            assert listed in message, listed
        assert message.startswith("This report cannot be approved yet: 5 places")
        assert "Amina" not in message, "the Presented by line follows her recorded consent"

        check = (await http.get(f"/api/v1/reports/{report_id}/names-check", headers=cv_lead)).json()
        found = {f["text"]: f for f in check["findings"]}
        assert check["unresolved"] == 5
        assert found["Amina Begum"]["decision"] == "consent"
        assert found["Hasina"]["suggestion"] == "Carers Centre"
        assert found["Rachel Vincent"]["suggestion"] == "a local resident"

        # Rachel's name cannot be kept: she has not agreed to be named.
        keep = {"decisions": [{"id": found["Rachel Vincent"]["id"], "decision": "consent"}]}
        wrong = await http.put(
            f"/api/v1/reports/{report_id}/names-check", json=keep, headers=cv_lead
        )
        assert wrong.status_code == 422
        assert "no consent to be named is recorded" in wrong.text

        decisions = [
            {"id": found["Rachel Vincent"]["id"], "decision": "describe"},
            {"id": found["Hasina"]["id"], "decision": "describe", "replacement": "a carer"},
            {"id": found["RV"]["id"], "decision": "describe", "replacement": "The presenter"},
            {"id": found["rachel.vincent@example.org"]["id"], "decision": "remove"},
            {"id": found["020 7946 0018"]["id"], "decision": "remove"},
        ]
        put = await http.put(
            f"/api/v1/reports/{report_id}/names-check",
            json={"decisions": decisions},
            headers=cv_lead,
        )
        assert put.status_code == 200 and put.json()["unresolved"] == 0
        approved = await http.post(f"/api/v1/reports/{report_id}/approve", headers=cv_lead)
        assert approved.status_code == 200 and approved.json()["status"] == "approved"

        texts = await public_texts(http, report_id)
        for where, text in texts.items():
            for secret in NEVER_PUBLIC:
                assert secret not in text, (where, secret)
            assert "Amina Begum" in text, where
            assert "A local resident asked for the survey results; a carer said" in text, where
        assert "Contact or." in texts["csv"], "what was removed leaves no stray space"

        # Amina withdraws her consent after approval.
        with sessions() as session:
            consent.record(
                session=session,
                presenter_id=amina_id,
                body=ConsentWrite(
                    named_in_public=ConsentAnswer.no,
                    contact_about_outcomes=ConsentAnswer.yes,
                    given_how=ConsentRoute.recorded_by_staff,
                ),
                by="Eve Engagement",
                actor_kind=ActorKind.staff,
            )
        for where, text in (await public_texts(http, report_id)).items():
            assert "Amina" not in text and "Begum" not in text, where
            assert "Tenants' Forum" in text, where
        staff = (await http.get(f"/api/v1/reports/{report_id}", headers=cv_lead)).json()
        assert staff["rows"][0]["comment"] == COMMENT, "the staff record stays as approved"
        assert "Presented by: Amina Begum" in staff["rows"][0]["community_voice"]
        with sessions() as session:
            assert session.exec(select(Presenter).where(Presenter.name == "Amina Begum")).one()
