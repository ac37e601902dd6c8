"""The engagement lead records a presenter's consent on their behalf (someone without email, or
who answered in person or on paper): ``/cases/{case_id}/presenters/{presenter_id}/consent``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffRecorder, parse_id
from api.pages.forms import Form, read_form
from api.pages.render import page
from models.audit import ActorKind
from models.consent import ConsentAnswer, ConsentRoute, ConsentWrite
from models.presenter import Presenter
from services import consent

router = APIRouter(include_in_schema=False)

ANSWERS = [
    (ConsentAnswer.yes.value, "Yes"),
    (ConsentAnswer.no.value, "No"),
    (ConsentAnswer.not_asked.value, "Not asked yet"),
]
ROUTES = [
    (ConsentRoute.in_person.value, "In person at the meeting"),
    (ConsentRoute.paper.value, "On a paper form"),
    (ConsentRoute.recorded_by_staff.value, "I am recording it on their behalf (by phone, say)"),
]
FIELDS = ("named_in_public", "contact_about_outcomes", "given_how")


def _presenter(session: Session, case_id: str, presenter_id: str) -> Presenter:
    presenter = session.get(Presenter, parse_id(presenter_id))
    if presenter is None or presenter.case_id != parse_id(case_id):
        raise PageNotFound(f"No presenter {presenter_id} in session {case_id}.")
    return presenter


def _page(request: Request, presenter: Presenter, form: Form) -> HTMLResponse:
    return page(
        request,
        "cases/consent.jinja",
        {
            "page_title": f"Consent for {presenter.display_name}",
            "presenter": presenter,
            "form": form,
            "answers": ANSWERS,
            "routes": ROUTES,
            "form_action": f"/cases/{presenter.case_id}/presenters/{presenter.id}/consent",
            "back_link": {"href": f"/cases/{presenter.case_id}#presenters", "text": "Back"},
        },
        status_code=422 if form.has_errors() else 200,
    )


@router.get("/cases/{case_id}/presenters/{presenter_id}/consent", response_class=HTMLResponse)
def show(
    case_id: str, presenter_id: str, request: Request, session: SessionDep, _: StaffRecorder
) -> HTMLResponse:
    presenter = _presenter(session, case_id, presenter_id)
    record = consent.current(session, presenter)
    form = Form(
        {
            "named_in_public": record.named_in_public.value,
            "contact_about_outcomes": record.contact_about_outcomes.value,
            "given_how": (record.given_how or ConsentRoute.recorded_by_staff).value,
        }
    )
    return _page(request, presenter, form)


@router.post("/cases/{case_id}/presenters/{presenter_id}/consent", response_class=HTMLResponse)
async def save(
    case_id: str, presenter_id: str, request: Request, session: SessionDep, user: StaffRecorder
) -> Response:
    presenter = _presenter(session, case_id, presenter_id)
    form = Form.from_data(await read_form(request))
    valid = {
        "named_in_public": {v for v, _ in ANSWERS},
        "contact_about_outcomes": {v for v, _ in ANSWERS},
        "given_how": {v for v, _ in ROUTES},
    }
    messages = {
        "named_in_public": "Say whether they agree to be named in public papers",
        "contact_about_outcomes": "Say whether they agree to be contacted about outcomes",
        "given_how": "Say how they gave their answer",
    }
    for name in FIELDS:
        if form.get(name) not in valid[name]:
            form.add_error(name, messages[name])
    if form.has_errors():
        return _page(request, presenter, form)
    consent.record(
        session=session,
        presenter_id=presenter.id,
        body=ConsentWrite(
            named_in_public=ConsentAnswer(form.get("named_in_public")),
            contact_about_outcomes=ConsentAnswer(form.get("contact_about_outcomes")),
            given_how=ConsentRoute(form.get("given_how")),
        ),
        by=user.name,
        actor_kind=ActorKind.staff,
    )
    return RedirectResponse(f"/cases/{presenter.case_id}#presenters", status_code=303)
