"""A presenter gives or withdraws consent from their own signed link (no account):
``/presenter/{case_id}/{token}/consent``. Opening the page changes nothing; the form does."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages import signed
from api.pages.presenter import _confirm_access
from api.templating import render
from models.audit import ActorKind
from models.consent import ANSWER_LABELS, ConsentAnswer, ConsentRoute, ConsentWrite
from models.formatting import long_date
from services import consent
from services.link_problems import LinkProblem
from services.links import PresenterAccess

router = APIRouter(include_in_schema=False)

CONSENT = "/presenter/{case_id}/{token}/consent"
QUESTIONS = {
    "named_in_public": "Can the board name you in its public papers?",
    "contact_about_outcomes": "Can we contact you about what happens with the actions?",
}
CHOICES = [
    (ConsentAnswer.yes.value, "Yes"),
    (ConsentAnswer.no.value, "No"),
]


def _page(
    request: Request,
    access: PresenterAccess,
    base: str,
    *,
    values: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    saved: bool = False,
) -> HTMLResponse:
    def state() -> tuple[dict[str, str], str]:
        with request.app.state.sessions() as session:
            record = consent.current(session, access.presenter)
        named = record.named_in_public
        if named is ConsentAnswer.yes:
            since = f" since {long_date(record.given_at)}" if record.given_at else ""
            text = f"You have agreed to be named in the board's public papers{since}."
        elif record.withdrawn_at:
            text = (
                f"You withdrew your agreement to be named on {long_date(record.withdrawn_at)}. "
                "Public papers describe you instead of naming you."
            )
        else:
            text = "You are not named in the board's public papers."
        current = {
            "named_in_public": named.value if named is not ConsentAnswer.not_asked else "",
            "contact_about_outcomes": record.contact_about_outcomes.value
            if record.contact_about_outcomes is not ConsentAnswer.not_asked
            else "",
        }
        return current, text

    current, text = state()
    return render(
        request,
        "presenter/consent.jinja",
        {
            "page_title": "Being named and being contacted",
            "case": access.case,
            "board_name": access.board.name,
            "state": text,
            "saved": saved,
            "questions": QUESTIONS,
            "choices": CHOICES,
            "values": values if values is not None else current,
            "errors": errors or [],
            "error_for": {e["href"][1:]: e["text"] for e in errors or []},
            "form_action": base,
            "contact": access.contact,
            "labels": ANSWER_LABELS,
        },
        status_code=422 if errors else 200,
    )


@router.get(CONSENT, response_class=HTMLResponse)
async def consent_page(request: Request, case_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _confirm_access(request, case_id, token, allow_closed=True)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    saved = request.query_params.get("saved") == "1"
    return _page(request, access, f"/presenter/{case_id}/{token}/consent", saved=saved)


@router.post(CONSENT, response_model=None)
async def give_or_withdraw(request: Request, case_id: uuid.UUID, token: str) -> Response:
    base = f"/presenter/{case_id}/{token}/consent"
    try:
        access = await _confirm_access(request, case_id, token, allow_closed=True)
        form = await signed.form_data(request)
        signed.check_csrf(request, form, access.contact)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    errors = [
        {"text": f"Answer: {question[0].lower()}{question[1:]}", "href": f"#{name}"}
        for name, question in QUESTIONS.items()
        if form.get(name) not in (ConsentAnswer.yes.value, ConsentAnswer.no.value)
    ]
    if errors:
        return _page(request, access, base, values=form, errors=errors)
    body = ConsentWrite(
        named_in_public=ConsentAnswer(form["named_in_public"]),
        contact_about_outcomes=ConsentAnswer(form["contact_about_outcomes"]),
        given_how=ConsentRoute.email_link,
    )
    name = access.presenter.name or access.presenter.organisation or "The presenter"
    await signed.in_session(
        request,
        lambda session: consent.record(
            session=session,
            presenter_id=access.presenter.id,
            body=body,
            by=f"{name} (presenter, by their link)",
            actor_kind=ActorKind.presenter_link,
        ),
    )
    return RedirectResponse(f"{base}?saved=1", status_code=303)
