"""The owner's pages, opened from the signed link in their emails: one action, no account.

``/owner/{action_id}/{token}`` shows the action, what residents said and its history, with one
button to acknowledge (or say it is still on track) and a page each to post an update, mark it
done, say it cannot be delivered, or say it is not theirs (each form described in
``owner_forms``). Every form goes to the workflow through the inbox and redirects to a
receipt; the owner is emailed a receipt too.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.pages import signed
from api.pages.owner_forms import FORMS, OwnerForm
from api.presenters.action import RATINGS, history, summary_rows
from api.templating import render
from models.action import ActionStatus
from models.audit import ActorKind
from models.commands import AcknowledgeBody, Body, PostUpdateBody
from models.inbox import InboxCommand
from services.link_problems import LinkProblem
from services.links import OwnerAccess, check_owner_still_applies, owner_access

router = APIRouter(include_in_schema=False)

PREFIX = "/owner/{action_id}/{token}"


def _base(action_id: uuid.UUID, token: str) -> str:
    return f"/owner/{action_id}/{token}"


async def _access(request: Request, action_id: uuid.UUID, token: str, **kwargs: Any) -> OwnerAccess:
    links = signed.links(request)
    return await signed.in_session(
        request, lambda session: owner_access(session, links, action_id, token, **kwargs)
    )


def _context(access: OwnerAccess, base: str) -> dict[str, Any]:
    a, case = access.action, access.case
    return {
        "base": base,
        "action": a,
        "case": case,
        "board_name": access.board.name,
        "rows": summary_rows(a, for_owner=True),
        "history": history(a, access.updates),
        "contact": access.contact,
        "can_acknowledge": a.status is ActionStatus.awaiting_acknowledgement,
        "can_still_on_track": a.status is ActionStatus.in_progress,
        "submission": signed.new_submission(),
    }


@router.get(PREFIX, response_class=HTMLResponse)
async def action_page(request: Request, action_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _access(request, action_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    context = _context(access, _base(action_id, token))
    return render(request, "owner/action.jinja", {"page_title": "Your action", **context})


# --- the one-button forms ---------------------------------------------------------------------


async def _submit(
    request: Request,
    access: OwnerAccess,
    base: str,
    kind: str,
    body: Body,
    form: dict[str, str],
) -> Response:
    """A form sent again (a double click, a retry) gets its first receipt, even once that first
    one closed the action; a new one needs the link to apply still."""
    a = access.action
    actor = signed.link_actor(
        ActorKind.owner_link, a.owner_name or "Owner", access.claims.person, request
    )
    commands = request.app.state.commands
    key = signed.idempotency_key(f"owner:{a.id}", form)
    assignment = access.claims.assignment_no

    sent_before = await signed.sent_before(
        request,
        lambda: commands.first_for_action(
            a.id, kind, body, actor, idempotency_key=key, for_assignment=assignment
        ),
        receipt_base=base,
        contact=access.contact,
        back=base,
    )
    if sent_before is not None:
        return sent_before

    async def send() -> InboxCommand:
        check_owner_still_applies(access)
        row: InboxCommand = await commands.to_action(
            a.id, kind, body, actor, idempotency_key=key, for_assignment=assignment
        )
        return row

    return await signed.submit(request, send, receipt_base=base, contact=access.contact, back=base)


async def _verified_form(
    request: Request, action_id: uuid.UUID, token: str
) -> tuple[OwnerAccess, dict[str, str]]:
    """The link's access (checked to still apply by ``_submit``) and the form, CSRF-checked."""
    access = await _access(request, action_id, token, allow_revoked=True)
    form = await signed.form_data(request)
    try:
        signed.check_csrf(request, form, access.contact)
    except LinkProblem:
        check_owner_still_applies(access)  # a closed action says so first
        raise
    return access, form


@router.post(f"{PREFIX}/acknowledge")
async def acknowledge(request: Request, action_id: uuid.UUID, token: str) -> Response:
    try:
        access, form = await _verified_form(request, action_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    base = _base(action_id, token)
    return await _submit(request, access, base, "acknowledge", AcknowledgeBody(), form)


@router.post(f"{PREFIX}/still-on-track")
async def still_on_track(request: Request, action_id: uuid.UUID, token: str) -> Response:
    try:
        access, form = await _verified_form(request, action_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    base = _base(action_id, token)
    body = PostUpdateBody(still_on_track=True)
    return await _submit(request, access, base, "post_update", body, form)


# --- the pages with a form --------------------------------------------------------------------


def _form_page(
    request: Request,
    spec: OwnerForm,
    access: OwnerAccess,
    base: str,
    *,
    values: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    context = _context(access, base)
    return render(
        request,
        spec.template,
        {
            **context,
            "page_title": spec.title,
            "form_action": f"{base}/{spec.path}",
            "back_link": {"href": base, "text": "Back to your action"},
            "values": values or {},
            "errors": errors or [],
            "error_for": signed.field_messages(errors or []),
            "ratings": RATINGS,
        },
        status_code=422 if errors else 200,
    )


def _add_form_routes(spec: OwnerForm) -> None:
    async def show(request: Request, action_id: uuid.UUID, token: str) -> Response:
        try:
            access = await _access(request, action_id, token)
        except LinkProblem as problem:
            return signed.problem_page(request, problem)
        return _form_page(request, spec, access, _base(action_id, token))

    async def post(request: Request, action_id: uuid.UUID, token: str) -> Response:
        try:
            access, form = await _verified_form(request, action_id, token)
        except LinkProblem as problem:
            return signed.problem_page(request, problem)
        base = _base(action_id, token)
        body, errors = signed.parse(
            spec.body, spec.build(form), spec.messages, required=spec.required
        )
        if body is None:
            try:
                check_owner_still_applies(access)
            except LinkProblem as problem:
                return signed.problem_page(request, problem)
            return _form_page(request, spec, access, base, values=form, errors=errors)
        return await _submit(request, access, base, spec.kind, body, form)

    show.__name__ = f"show_{spec.kind}"
    post.__name__ = f"post_{spec.kind}"
    router.add_api_route(
        f"{PREFIX}/{spec.path}", show, methods=["GET"], response_class=HTMLResponse
    )
    router.add_api_route(f"{PREFIX}/{spec.path}", post, methods=["POST"], response_model=None)


for _spec in FORMS:
    _add_form_routes(_spec)


# --- the receipt ------------------------------------------------------------------------------


@router.get(f"{PREFIX}/receipt/{{command_id}}", response_class=HTMLResponse)
async def receipt(
    request: Request, action_id: uuid.UUID, token: str, command_id: uuid.UUID
) -> Response:
    """What became of a submission. Works after the action closed (the owner just closed it)."""
    try:
        access = await _access(request, action_id, token, allow_revoked=True)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    row = await signed.in_session(request, lambda session: session.get(InboxCommand, command_id))
    base = _base(action_id, token)
    if row is None or row.action_id != action_id or not _sent_by(row, access):
        return signed.problem_page(
            request,
            LinkProblem(
                404,
                "We cannot find this receipt",
                ["Nothing has been changed."],
                contact=access.contact,
                back=(base, "Go to your action"),
            ),
        )
    still_open = access.action.closed_at is None and access.action.owner_id == access.claims.person
    return render(
        request,
        "owner/receipt.jinja",
        {
            **signed.receipt_context(row),
            "page_title": signed.receipt_context(row)["title"],
            "base": base,
            "still_open": still_open,
            "contact": access.contact,
            "action": access.action,
        },
    )


def _sent_by(row: InboxCommand, access: OwnerAccess) -> bool:
    actor = row.payload.get("body", {}).get("command", {}).get("actor", {})
    return bool(actor.get("id") == str(access.claims.person))
