"""Security headers on every page family (``api.headers``): staff, owner link, presenter link,
feedback link, public, errors, docs, static and the API; the CSP allows exactly the one inline
script the NHS.UK template has; signed-link pages are never indexed."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx2

from api.headers import RESOURCE_POLICY
from tests.api.pages.conftest import LinkSite, form_fields
from tests.staff import signed_in

FRAMING = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
HTML = {"Accept": "text/html"}


def _check(response: httpx2.Response, *, page: bool, indexable: bool = False) -> None:
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    for name, value in FRAMING.items():
        assert response.headers.get(name) == value, (where, name)
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, where
    if page:
        assert "default-src 'self'" in csp and "script-src 'self' 'sha256-" in csp, where
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, where
    else:
        assert csp == RESOURCE_POLICY, where
    robots = response.headers.get("x-robots-tag")
    assert robots is None if indexable else robots == "noindex, nofollow", where


async def test_every_page_family_carries_the_security_headers(site: LinkSite) -> None:
    links = site.links
    presenter = site.presenter()
    owner_link = site.owner_link()
    presenter_link = links.presenter_url(site.case_id, presenter.id)
    feedback_link = links.feedback_url(site.action_id, presenter.id)
    staff = await signed_in(site.live.base_url, site.sessions, "cv_lead")
    try:
        for path in ("/", f"/cases/{site.case_id}", "/escalations", "/rag-board", "/reports"):
            answer = await staff.get(path)
            assert answer.status_code == 200, path
            _check(answer, page=True)
    finally:
        await staff.client.aclose()
    async with site.browser() as browser:
        for link in (owner_link, f"{owner_link}/update", presenter_link, feedback_link):
            answer = await browser.get(link)
            assert answer.status_code in (200, 409, 410), link  # feedback waits for "done"
            _check(answer, page=True)
        tampered = await browser.get(owner_link[:-3] + "xyz")
        assert tampered.status_code == 403
        _check(tampered, page=True)
        for path in ("/public/tht", "/accessibility", "/privacy"):
            _check(await browser.get(path), page=True, indexable=True)
        for path in ("/sign-in", "/docs", "/dev/mail"):
            _check(await browser.get(path), page=True)
        not_found = await browser.get("/no/such/page", headers=HTML)
        assert not_found.status_code == 404
        _check(not_found, page=True)
        _check(await browser.get("/static/app/app.css"), page=False)
        _check(await browser.get("/static/nhsuk/nhsuk-frontend.min.js"), page=False)
        _check(await browser.get("/api/v1/cases"), page=False)  # 401 JSON
        _check(await browser.get("/api/v1/openapi.json"), page=False)
        _check(await browser.get("/no/such/page"), page=False)  # JSON 404


async def test_the_csp_hash_is_the_inline_script_each_page_has(site: LinkSite) -> None:
    async with site.browser() as browser:
        answer = await browser.get(site.owner_link())
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", answer.text, re.S)
    assert len(inline) == 1, "one inline script: the NHS.UK template's js-enabled line"
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in answer.headers["content-security-policy"]
    assert "style=" not in answer.text and "<style" not in answer.text, "no inline styles"


async def test_a_signed_link_form_takes_its_token_from_the_body_only(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        fields = form_fields((await owner.get(link)).text)
        token = fields.pop("csrf_token")
        refused = await owner.post(f"{link}/acknowledge?csrf_token={token}", data=fields)
    assert refused.status_code == 403 and "This form has expired" in refused.text
    assert site.action().status.value == "awaiting_acknowledgement"
