"""The privacy notice says what is held, why, for how long, and how to ask for it or have it
erased (the real app over HTTP)."""

from __future__ import annotations

import httpx2

from tests.live import LiveApp


async def test_the_privacy_notice_answers_the_questions_people_ask(live_app: LiveApp) -> None:
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        page = await http.get("/privacy")
    assert page.status_code == 200
    for heading in (
        "What we hold",
        "Why we hold it",
        "What is published",
        "How long we keep it",
        "Asking for your information, correcting it or having it erased",
    ):
        assert f">{heading}</h2>" in page.text, heading
    assert "12 months after the last action from their session closes" in page.text
    assert "named only if they agreed to be" in page.text
    assert "Presenter 3, May 2024" in page.text
