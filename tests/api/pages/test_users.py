"""Staff accounts in the app (administrators): add, change role or status, new password, unlock.
Real app over HTTP, real SQLite, real Argon2 hashing."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models.base import utcnow
from models.db import SessionFactory
from models.staff import Role, StaffUser
from tests.api.pages.conftest import Anonymous, BrowserFactory
from tests.staff import add_staff, text_of

GOOD = "correct horse battery staple"


def _user(sessions: SessionFactory, email: str) -> StaffUser:
    with sessions() as session:
        return session.exec(select(StaffUser).where(StaffUser.email == email)).one()


async def test_an_admin_adds_an_account_that_can_then_sign_in(
    staff: BrowserFactory, anonymous: Anonymous, sessions: SessionFactory
) -> None:
    admin = await staff("admin")
    response = await admin.submit(
        "/users/new",
        {"name": "Rosa Lead", "email": "rosa@example", "role": "", "password": "short"},
    )
    assert response.status_code == 422
    words = text_of(response.text)
    assert "Choose the person's role" in words
    assert "Email address must be an email address in the correct format" in words
    assert "Password must be 12 characters or more" in words
    assert 'value="Rosa Lead"' in response.text and "short" not in response.text

    response = await admin.submit(
        "/users/new",
        {"name": "Rosa Lead", "email": "Rosa@Example.org", "role": "cv_lead", "password": GOOD},
    )
    assert response.headers["location"] == "/users?done=added"
    assert _user(sessions, "rosa@example.org").role is Role.cv_lead
    listing = text_of((await admin.get("/users?done=added")).text)
    assert "rosa@example.org Community Voice Lead Active" in listing

    rosa = anonymous()
    assert (await rosa.sign_in("rosa@example.org", GOOD)).status_code == 303
    assert "Escalation queue" in text_of((await rosa.get("/")).text)

    again = await admin.submit(
        "/users/new",
        {"name": "Rosa Again", "email": "rosa@example.org", "role": "viewer", "password": GOOD},
    )
    assert "rosa@example.org has an account already" in text_of(again.text)


async def test_changing_a_role_or_deactivating_signs_the_person_out(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    admin = await staff("admin")
    lead = await staff("engagement_lead")
    assert lead.user is not None
    path = f"/users/{lead.user.id}"
    response = await admin.submit(path, {"name": "Eve E", "role": "viewer", "active": "yes"})
    assert response.status_code == 303
    assert (await lead.get("/")).status_code == 303  # signed out
    assert _user(sessions, lead.user.email).role is Role.viewer

    await admin.submit(path, {"name": "Eve E", "role": "viewer", "active": "no"})
    assert _user(sessions, lead.user.email).active is False


async def test_an_admin_cannot_demote_or_deactivate_themselves(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    admin = await staff("admin")
    assert admin.user is not None
    path = f"/users/{admin.user.id}"
    response = await admin.submit(path, {"name": "Me", "role": "viewer", "active": "yes"})
    assert response.status_code == 422
    assert "You cannot change your own role or deactivate yourself" in text_of(response.text)
    assert _user(sessions, admin.user.email).role is Role.admin
    response = await admin.submit(path, {"name": "", "role": "nonsense", "active": "maybe"})
    words = text_of(response.text)
    assert "Enter the person's full name" in words and "Choose the person's role" in words


async def test_a_new_password_and_unlocking(
    staff: BrowserFactory, anonymous: Anonymous, sessions: SessionFactory
) -> None:
    admin = await staff("admin")
    user = add_staff(sessions, "viewer")
    with sessions() as session:
        row = session.get(StaffUser, user.id)
        assert row is not None
        row.failed_sign_ins, row.locked_until = 0, utcnow() + timedelta(minutes=10)
        session.add(row)
        session.commit()
    path = f"/users/{user.id}"
    assert "Locked until" in text_of((await admin.get(path)).text)
    response = await admin.submit(f"{path}/unlock", {}, form_page=path)
    assert response.headers["location"] == "/users?done=unlocked"
    assert _user(sessions, user.email).locked_until is None

    response = await admin.submit(f"{path}/password", {"password": "too short"}, form_page=path)
    assert response.status_code == 422
    assert "Password must be 12 characters or more" in text_of(response.text)
    await admin.submit(f"{path}/password", {"password": GOOD}, form_page=path)
    person = anonymous()
    assert (await person.sign_in(user.email)).status_code == 401
    assert (await person.sign_in(user.email, GOOD)).status_code == 303
