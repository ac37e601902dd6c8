"""Personal data pages (administrators): find a presenter, download everything held about her,
reach the erasure page. Real app over HTTP, real SQLite."""

from __future__ import annotations

import io
import json
import zipfile

from models.db import SessionFactory
from tests.api.pages.conftest import BrowserFactory
from tests.personal_data import NAME, hasina_world
from tests.staff import text_of


async def test_an_admin_finds_a_presenter_and_downloads_her_data(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    her_id, _ = hasina_world(sessions)
    admin = await staff("admin")
    found = await admin.get("/personal-data?q=chowdhury")
    assert found.status_code == 200
    assert f"{NAME} (Presenter, 1) Presenter hasina.c@example.com" in text_of(found.text)
    person = await admin.get(f"/personal-data/presenters/{her_id}")
    words = text_of(person.text)
    assert "Download their data" in words and "Erase this presenter" in words

    download = await admin.get(f"/personal-data/presenters/{her_id}/archive.zip")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert f"subject-access-presenter-{her_id}.zip" in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as zipped:
        data = json.loads(zipped.read("data.json"))
    assert data["person"]["name"] == NAME and "presenter" in data["tables"]

    confirm = await admin.get(f"/personal-data/presenters/{her_id}/erase")
    assert "This cannot be undone" in text_of(confirm.text)
