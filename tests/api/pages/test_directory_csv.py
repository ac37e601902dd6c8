"""The directory as CSV: import with a dry run, per-row errors and idempotence, and an export
that imports as no change (real SQLite)."""

from __future__ import annotations

from sqlmodel import select

from models.db import SessionFactory
from models.partner import Owner, Partner
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_owner
from tests.staff import text_of

CSV = """partner,partner_kind,owner_name,owner_email,job_title
Barts Health NHS Trust,NHS trust,Priya Shah,priya.shah@example.nhs.uk,Head of patient experience
London Borough of Tower Hamlets,Council,Jo Miah,jo.miah@example.gov.uk,
London Borough of Tower Hamlets,Council,Sam Patel,sam.patel@example.gov.uk,Housing lead
Healthwatch Tower Hamlets,Healthwatch,,,
"""


def _partners(sessions: SessionFactory) -> list[Partner]:
    with sessions() as session:
        return list(session.exec(select(Partner).order_by(Partner.name)).all())


def _owners(sessions: SessionFactory) -> list[Owner]:
    with sessions() as session:
        return list(session.exec(select(Owner).order_by(Owner.name)).all())


async def test_csv_dry_run_then_import_then_nothing_to_do(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    lead = await staff("engagement_lead")
    dry = await lead.submit("/directory/import", {"csv_text": CSV, "intent": "check"})
    assert dry.status_code == 200
    words = text_of(dry.text)
    assert (
        "Adds the partner Barts Health NHS Trust; "
        "adds the owner Priya Shah <priya.shah@example.nhs.uk>" in words
    )
    assert "Import 4 changes" in words
    assert _partners(sessions) == []  # a dry run writes nothing

    done = await lead.submit("/directory/import", {"csv_text": CSV, "intent": "import"})
    assert done.headers["location"] == "/directory/partners?done=imported"
    assert [p.name for p in _partners(sessions)] == [
        "Barts Health NHS Trust",
        "Healthwatch Tower Hamlets",
        "London Borough of Tower Hamlets",
    ]
    assert [o.email for o in _owners(sessions)] == [
        "jo.miah@example.gov.uk",
        "priya.shah@example.nhs.uk",
        "sam.patel@example.gov.uk",
    ]

    again = await lead.submit("/directory/import", {"csv_text": CSV, "intent": "check"})
    assert text_of(again.text).count("No change: already in the directory") == 4
    assert "Import 0 changes" in text_of(again.text)


async def test_the_directory_export_imports_as_no_change(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_owner(sessions, name="Priya Shah", partner="Barts Health NHS Trust")
    add_owner(sessions, name="Jo Miah", partner="London Borough of Tower Hamlets")
    lead = await staff("engagement_lead")
    exported = await lead.get("/directory/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines()[0] == "partner,partner_kind,owner_name,owner_email,job_title"
    check = await lead.submit("/directory/import", {"csv_text": exported.text, "intent": "check"})
    assert text_of(check.text).count("No change: already in the directory") == 2


async def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_owner(
        sessions, name="Olu Owner", email="olu@example.nhs.uk", partner="Barts Health NHS Trust"
    )
    lead = await staff("engagement_lead")
    bad = (
        "partner,owner_name,owner_email\n"
        "New Partner,Ann Lee,ann@example.org\n"
        ",Ben Ode,ben@example.org\n"
        "New Partner,Cal Roy,not-an-email\n"
        "New Partner,Dee Fox,ann@example.org\n"
        "Another Partner,Olu Owner,olu@example.nhs.uk\n"
    )
    response = await lead.submit("/directory/import", {"csv_text": bad, "intent": "import"})
    assert response.status_code == 422
    words = text_of(response.text)
    assert "Line 3: Enter the partner" in words
    assert "Line 4: owner_email must be an email address in the correct format" in words
    assert "Line 5: owner_email: ann@example.org is on line 2 already" in words
    assert "Line 6: owner_email: olu@example.nhs.uk is Olu Owner at Barts Health NHS Trust" in words
    for line in (3, 4, 5, 6):
        assert f'href="#row-{line}"' in response.text and f'id="row-{line}"' in response.text
    assert "Import" not in [b.strip() for b in response.text.split("</button>")]
    assert [p.name for p in _partners(sessions)] == ["Barts Health NHS Trust"]
    assert "ann@example.org" in response.text  # the CSV is still in the box


async def test_a_file_upload_and_a_file_that_is_not_a_directory(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    lead = await staff("engagement_lead")
    form_page = await lead.get("/directory/import")
    from tests.staff import csrf_token

    token = csrf_token(form_page.text)
    uploaded = await lead.client.post(
        "/directory/import",
        data={"csrf_token": token, "intent": "check"},
        files={"csv_file": ("directory.csv", CSV.encode("utf-8-sig"), "text/csv")},
    )
    assert uploaded.status_code == 200
    assert "Import 4 changes" in text_of(uploaded.text)
    wrong = await lead.client.post(
        "/directory/import",
        data={"csrf_token": token, "intent": "check"},
        files={"csv_file": ("photo.csv", b"\xff\xd8\xff\xe0 not text", "text/csv")},
    )
    assert wrong.status_code == 422
    assert "The file must be a CSV file saved as UTF-8" in text_of(wrong.text)
    headerless = await lead.submit("/directory/import", {"csv_text": "name,email\nA,b@c.org\n"})
    assert "The header row lacks partner, owner_name, owner_email" in text_of(headerless.text)
    empty = await lead.submit("/directory/import", {"csv_text": ""})
    assert "Choose a CSV file, or paste the CSV into the box" in text_of(empty.text)
