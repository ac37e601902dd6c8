"""The names check page: the Community Voice Lead sees each place the public text names someone,
decides it, adds a name to the report's list, and only then can approve (the real app, SQLite)."""

from __future__ import annotations

import re

from models.db import SessionFactory
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board
from tests.public_text_fixtures import report_naming_people


def choices(html: str) -> dict[str, str]:
    """Each place's radio name and the text it is about, as the page lists them."""
    return dict(re.findall(r'id="place-(\d+)">\d+\. “([^”]+)”', html))


async def test_the_lead_decides_each_place_then_approves(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    report_id, _ = report_naming_people(sessions)
    url = f"/reports/{report_id}/names"
    lead = await staff("cv_lead")
    report_page = (await lead.get(f"/reports/{report_id}")).text
    assert "5 of 6 places in the public text" in report_page and f'href="{url}"' in report_page
    refused = await lead.submit(
        f"/reports/{report_id}/approve", {}, form_page=f"/reports/{report_id}"
    )
    assert refused.status_code == 409 and "cannot be approved yet" in refused.text

    page = await lead.get(url)
    places = choices(page.text)
    assert set(places.values()) == {
        "Amina Begum",
        "Rachel Vincent",
        "Hasina",
        "RV",
        "rachel.vincent@example.org",
        "020 7946 0018",
    }
    by_text = {text: n for n, text in places.items()}
    assert f'name="decision-{by_text["Rachel Vincent"]}" type="radio" value="consent"' not in (
        page.text
    ), "no consent recorded: keeping her name is not offered"

    # Adding a name to the report's list finds it too.
    added = await lead.submit(f"{url}/people", {"name": "Olu Owner"}, form_page=url)
    assert added.status_code == 303
    places = choices((await lead.get(url)).text)
    assert "Olu Owner" in places.values()
    by_text = {text: n for n, text in places.items()}

    empty = await lead.submit(
        url,
        {
            f"decision-{by_text['Rachel Vincent']}": "describe",
            f"replacement-{by_text['Rachel Vincent']}": "",
        },
    )
    assert (
        empty.status_code == 422 and "Write what to say instead of ‘Rachel Vincent’" in empty.text
    )

    form = {}
    for text, n in by_text.items():
        if text == "Amina Begum":
            continue
        form[f"decision-{n}"] = "remove" if "@" in text or text[0].isdigit() else "describe"
        form[f"replacement-{n}"] = "a local resident"
    saved = await lead.submit(url, form)
    assert saved.status_code == 303
    report_page = (await lead.get(f"/reports/{report_id}")).text
    assert "Every place that names a person or gives contact details (7) has a decision" in (
        report_page
    )
    approved = await lead.submit(
        f"/reports/{report_id}/approve", {}, form_page=f"/reports/{report_id}"
    )
    assert approved.status_code == 303
