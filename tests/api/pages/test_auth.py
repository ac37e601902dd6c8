"""Signing in and out of the staff pages: secure cookies, lockout, sign-out that really ends the
session. Real app over HTTP, real SQLite, passwords hashed with pwdlib (Argon2)."""

from __future__ import annotations

from datetime import timedelta

import httpx2

from models.base import utcnow
from models.db import SessionFactory
from models.staff import StaffUser
from services.signin import MAX_FAILURES
from tests.api.pages.conftest import Anonymous
from tests.live import LiveApp
from tests.staff import PASSWORD, add_staff, csrf_token, text_of


async def test_signing_in_sets_an_httponly_samesite_session_cookie_and_goes_home(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "cv_lead", name="Cara Lead")
    b = anonymous()
    response = await b.sign_in(user.email)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("cvt_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    home = await b.get("/")
    assert home.status_code == 200
    assert "Cara Lead (Community Voice Lead)" in text_of(home.text)
    assert home.headers["x-frame-options"] == "DENY"
    assert home.headers["cache-control"] == "no-store"


async def test_the_session_cookie_is_secure_behind_https(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "viewer")
    b = anonymous()
    form = await b.get("/sign-in")
    response = await b.client.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(form.text)},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 303
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("cvt_session=")
    )
    assert "Secure" in cookie


async def test_a_wrong_password_says_so_and_keeps_the_email(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "viewer")
    b = anonymous()
    response = await b.sign_in(user.email, "not the password")
    assert response.status_code == 401
    assert "The email address or password is not right." in text_of(response.text)
    assert f'value="{user.email}"' in response.text
    assert "not the password" not in response.text
    assert "cvt_session" not in b.client.cookies


async def test_an_empty_form_names_both_fields(anonymous: Anonymous) -> None:
    response = await anonymous().submit("/sign-in", {"email": "", "password": ""})
    assert response.status_code == 422
    words = text_of(response.text)
    assert "Enter your email address" in words and "Enter your password" in words
    assert 'href="#email"' in response.text and 'href="#password"' in response.text


async def test_repeated_failures_lock_the_account_for_pages_and_api_alike(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "engagement_lead")
    b = anonymous()
    for _ in range(MAX_FAILURES):
        await b.sign_in(user.email, "guess")
    locked = await b.sign_in(user.email, PASSWORD)  # the right password, too late
    assert locked.status_code == 401
    assert "locked for 15 minutes" in text_of(locked.text)
    api = await b.client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert api.status_code == 401
    # The same answer as for an address with no account: a lock tells no one it exists.
    nobody = await b.client.post(
        "/api/v1/auth/token", data={"username": "nobody@example.org", "password": PASSWORD}
    )
    assert (nobody.status_code, nobody.json()) == (api.status_code, api.json())

    with sessions() as session:  # the lock runs out
        row = session.get(StaffUser, user.id)
        assert row is not None and row.locked_until is not None
        row.locked_until = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
    assert (await b.sign_in(user.email, PASSWORD)).status_code == 303


async def test_failures_through_the_api_count_towards_the_lock(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "viewer")
    async with httpx2.AsyncClient(base_url=live_app.base_url) as api:
        for _ in range(MAX_FAILURES):
            await api.post("/api/v1/auth/token", data={"username": user.email, "password": "x"})
    response = await anonymous().sign_in(user.email)  # the right password, locked
    assert response.status_code == 401
    with sessions() as session:
        row = session.get(StaffUser, user.id)
        assert row is not None and row.locked_until is not None


async def test_signing_out_ends_the_session_even_for_a_copied_cookie(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "cv_lead")
    b = anonymous()
    await b.sign_in(user.email)
    copied = b.client.cookies["cvt_session"]
    token = (
        await b.client.post(
            "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
        )
    ).json()["access_token"]

    response = await b.submit("/sign-out", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?signed_out=1"
    assert "You have signed out." in text_of((await b.get(response.headers["location"])).text)

    async with httpx2.AsyncClient(
        base_url=live_app.base_url, cookies={"cvt_session": copied}
    ) as thief:
        again = await thief.get("/cases")
        assert again.status_code == 303
        assert again.headers["location"] == "/sign-in?next=/cases"
        api = await thief.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 401


async def test_the_header_sign_out_link_leads_to_a_form_with_its_token_in_the_body(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    """Without JavaScript: the header links to the sign-out page, whose form carries the CSRF
    token in its body. A token in the address (as the header's form once sent) is refused."""
    user = add_staff(sessions, "viewer")
    b = anonymous()
    await b.sign_in(user.email)
    home = (await b.get("/")).text
    assert 'href="/sign-out"' in home
    assert "csrf_token=" not in home  # no token in any address on the page
    token = csrf_token((await b.get("/sign-out")).text)

    in_address = await b.client.post(f"/sign-out?csrf_token={token}")
    assert in_address.status_code == 403
    assert (await b.get("/")).status_code == 200  # still signed in

    response = await b.client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert (await b.get("/")).status_code == 303


async def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "viewer")
    b = anonymous()
    asked = await b.get("/rag-board?rag=red")
    assert asked.headers["location"] == "/sign-in?next=/rag-board%3Frag%3Dred"
    response = await b.submit(
        "/sign-in",
        {"email": user.email, "password": PASSWORD, "next": "/rag-board?rag=red"},
        form_page=asked.headers["location"],
    )
    assert response.headers["location"] == "/rag-board?rag=red"

    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = await anonymous().submit(
            "/sign-in", {"email": user.email, "password": PASSWORD, "next": evil}
        )
        assert response.headers["location"] == "/"


async def test_a_deactivated_account_cannot_sign_in(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "viewer")
    with sessions() as session:
        row = session.get(StaffUser, user.id)
        assert row is not None
        row.active = False
        session.add(row)
        session.commit()
    response = await anonymous().sign_in(user.email)
    assert response.status_code == 401
    assert "not right" in text_of(response.text)


async def test_a_form_from_another_site_is_refused(
    anonymous: Anonymous, sessions: SessionFactory, live_app: LiveApp
) -> None:
    user = add_staff(sessions, "viewer")
    async with httpx2.AsyncClient(base_url=live_app.base_url) as outsider:
        response = await outsider.post(
            "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
        )
    assert response.status_code == 403
    assert "Your form could not be sent" in text_of(response.text)
    assert "cvt_session" not in response.headers.get("set-cookie", "")
