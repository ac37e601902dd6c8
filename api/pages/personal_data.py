"""Personal data (``/personal-data``, administrators): find a presenter or an owner, download
everything held about them (subject access), erase a presenter (``services/subject_access.py``,
``services/erasure.py``)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import SessionDep, staff_actor
from api.pages.deps import PageNotFound, page_user, parse_id
from api.pages.forms import read_form
from api.pages.render import page
from models.erasure import Erasure
from models.staff import Permission, StaffUser
from services import subject_access
from services.erasure import erase_presenter
from services.errors import NotFound
from services.subject_access import PersonKind

router = APIRouter(include_in_schema=False)
DataManager = Annotated[StaffUser, Depends(page_user(Permission.manage_personal_data))]
KINDS = {"presenters": PersonKind.presenter, "owners": PersonKind.owner}


def _subject(session: Session, kind: PersonKind, person_id: str) -> subject_access.Subject:
    try:
        return subject_access.subject(session, kind, parse_id(person_id))
    except NotFound as error:
        raise PageNotFound(str(error)) from error


@router.get("/personal-data", response_class=HTMLResponse)
def search(request: Request, session: SessionDep, _: DataManager) -> HTMLResponse:
    words = (request.query_params.get("q") or "").strip()[:200]
    found = subject_access.search(session, words) if len(words) >= 2 else []
    rows = [
        {
            "href": f"/personal-data/{kind.value}s/{row.id}",
            "name": row.name or row.organisation if kind is PersonKind.presenter else row.name,
            "kind": "Presenter" if kind is PersonKind.presenter else "Action owner",
            "email": row.email or "None recorded",
        }
        for kind, row in found
    ]
    return page(
        request,
        "personal_data/index.jinja",
        {"page_title": "Personal data", "q": words, "rows": rows, "searched": len(words) >= 2},
    )


def _person_page(
    request: Request, session: Session, kind: PersonKind, person_id: str
) -> HTMLResponse:
    who = _subject(session, kind, person_id)
    erased = session.get(Erasure, who.id) if kind is PersonKind.presenter else None
    base = f"/personal-data/{kind.value}s/{who.id}"
    return page(
        request,
        "personal_data/person.jinja",
        {
            "page_title": who.label,
            "kind": "Presenter" if kind is PersonKind.presenter else "Action owner",
            "archive_url": f"{base}/archive.zip",
            "erase_url": f"{base}/erase" if kind is PersonKind.presenter else None,
            "erased": erased,
            "done": request.query_params.get("done") in ("erased", "erased-partly"),
            "partly": request.query_params.get("done") == "erased-partly",
            "back_link": {"href": "/personal-data", "text": "Find someone else"},
        },
    )


@router.get("/personal-data/presenters/{person_id}", response_class=HTMLResponse)
def presenter(person_id: str, request: Request, session: SessionDep, _: DataManager) -> Any:
    return _person_page(request, session, PersonKind.presenter, person_id)


@router.get("/personal-data/owners/{person_id}", response_class=HTMLResponse)
def owner(person_id: str, request: Request, session: SessionDep, _: DataManager) -> Any:
    return _person_page(request, session, PersonKind.owner, person_id)


def _archive(
    request: Request, session: Session, user: StaffUser, kind: PersonKind, person_id: str
) -> Response:
    _subject(session, kind, person_id)
    made = subject_access.produce(session, kind, uuid.UUID(person_id), staff_actor(user, request))
    return Response(
        made.content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


@router.get("/personal-data/presenters/{person_id}/archive.zip")
def presenter_archive(
    person_id: str, request: Request, session: SessionDep, user: DataManager
) -> Response:
    return _archive(request, session, user, PersonKind.presenter, person_id)


@router.get("/personal-data/owners/{person_id}/archive.zip")
def owner_archive(
    person_id: str, request: Request, session: SessionDep, user: DataManager
) -> Response:
    return _archive(request, session, user, PersonKind.owner, person_id)


@router.get("/personal-data/presenters/{person_id}/erase", response_class=HTMLResponse)
def erase_page(person_id: str, request: Request, session: SessionDep, _: DataManager) -> Any:
    who = _subject(session, PersonKind.presenter, person_id)
    return page(
        request,
        "personal_data/erase.jinja",
        {
            "page_title": f"Erase {who.label}",
            "form_action": f"/personal-data/presenters/{who.id}/erase",
            "back_link": {"href": f"/personal-data/presenters/{who.id}", "text": "Back"},
        },
    )


@router.post("/personal-data/presenters/{person_id}/erase", response_class=HTMLResponse)
async def erase(person_id: str, request: Request, session: SessionDep, user: DataManager) -> Any:
    await read_form(request)
    who = await asyncio.to_thread(_subject, session, PersonKind.presenter, person_id)
    app = request.app.state
    settings = app.settings
    result = await erase_presenter(
        sessions=app.sessions,
        client=app.temporal,
        presenter_id=who.id,
        by=staff_actor(user, request),
        maildir=settings.dev_mail_dir if settings.environment != "production" else None,
    )
    done = "erased-partly" if result.unreached else "erased"
    return RedirectResponse(f"/personal-data/presenters/{who.id}?done={done}", status_code=303)
