"""The names check page of a report: decide every place its public text names someone
(``services/names_check.py``), before the report can be approved."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.pages.deps import StaffReader, page_user, parse_id
from api.pages.forms import Form, read_form
from api.pages.render import page
from models.public_text import DECISION_LABELS, Decision, DecisionWrite, FindingKind, FindingPublic
from models.report import Report, ReportStatus
from models.staff import Permission, StaffUser
from services import names_check
from services.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False)
Approver = Annotated[StaffUser, Depends(page_user(Permission.approve_reports))]

KEEP_LABELS = {
    FindingKind.presenter: "Keep the words: this is not that person",
    FindingKind.owner: "Keep the words: this is not that person",
    FindingKind.named_person: "Keep the words: this is not that person",
    FindingKind.email: "Keep it: an organisation's public address, not a person's",
    FindingKind.phone: "Keep it: an organisation's public number, not a person's",
    FindingKind.curation_note: "Keep it: the note is right for the public to read",
}


def options(f: FindingPublic) -> list[tuple[str, str, str]]:
    """The choices for one place: consent only where it is recorded."""
    out = []
    if f.kind is FindingKind.presenter and f.consent_recorded:
        out.append((Decision.consent.value, DECISION_LABELS[Decision.consent], ""))
    out.append(
        (
            Decision.describe.value,
            DECISION_LABELS[Decision.describe],
            f"Suggested: “{f.suggestion}”" if f.suggestion else "",
        )
    )
    out.append((Decision.remove.value, DECISION_LABELS[Decision.remove], ""))
    out.append((Decision.keep.value, KEEP_LABELS[f.kind], ""))
    return out


def _page(
    request: Request, session: Session, user: StaffUser, report_id: uuid.UUID, form: Form | None
) -> HTMLResponse:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    result = names_check.check(session=session, report_id=report_id)
    if form is None:
        form = Form()
        for n, f in enumerate(result.findings):
            form.values[f"decision-{n}"] = f.decision.value if f.decision else ""
            form.values[f"replacement-{n}"] = f.replacement or f.suggestion
    draft = report.status is ReportStatus.draft
    return page(
        request,
        "reports/names.jinja",
        {
            "page_title": "Check the names before approval",
            "report": report,
            "check": result,
            "items": [(n, f, options(f)) for n, f in enumerate(result.findings)],
            "form": form,
            "can_decide": draft and user.can(Permission.approve_reports),
            "form_action": f"/reports/{report_id}/names",
            "back_link": {"href": f"/reports/{report_id}", "text": "Back to the report"},
        },
        status_code=422 if form.has_errors() else 200,
    )


@router.get("/reports/{report_id}/names", response_class=HTMLResponse)
def show(report_id: str, request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    return _page(request, session, user, parse_id(report_id), None)


@router.post("/reports/{report_id}/names", response_class=HTMLResponse)
async def decide(report_id: str, request: Request, session: SessionDep, user: Approver) -> Response:
    rid = parse_id(report_id)
    form = Form.from_data(await read_form(request))
    findings = names_check.check(session=session, report_id=rid).findings
    writes: list[DecisionWrite] = []
    fields: list[int] = []
    for n, f in enumerate(findings):
        chosen = form.get(f"decision-{n}")
        if chosen not in {d.value for d in Decision}:
            continue
        if chosen == Decision.describe and not form.get(f"replacement-{n}"):
            form.add_error(f"replacement-{n}", f"Write what to say instead of ‘{f.text}’")
            continue
        writes.append(
            DecisionWrite(
                id=f.id, decision=Decision(chosen), replacement=form.get(f"replacement-{n}")
            )
        )
        fields.append(n)
    if not form.has_errors():
        try:
            names_check.decide(session=session, report_id=rid, writes=writes, by=user.name)
        except InvalidInput as invalid:
            for e in invalid.errors:
                index = int(e.field.split(".")[1]) if e.field.startswith("decisions.") else 0
                form.add_error(f"decision-{fields[index]}", e.message[0].upper() + e.message[1:])
    if form.has_errors():
        return _page(request, session, user, rid, form)
    return RedirectResponse(f"/reports/{rid}/names", status_code=303)


@router.post("/reports/{report_id}/names/people", response_class=HTMLResponse)
async def add_person(
    report_id: str, request: Request, session: SessionDep, user: Approver
) -> Response:
    rid = parse_id(report_id)
    form = Form.from_data(await read_form(request))
    name = form.get("name")
    if len(name) < 2:
        form.add_error("name", "Enter the person's name, as the text may give it")
        return _page(request, session, user, rid, form)
    names_check.add_named_person(session=session, report_id=rid, name=name, by=user.name)
    return RedirectResponse(f"/reports/{rid}/names", status_code=303)


@router.post("/reports/{report_id}/names/people/remove", response_class=HTMLResponse)
async def remove_person(
    report_id: str, request: Request, session: SessionDep, _: Approver
) -> Response:
    rid = parse_id(report_id)
    form = Form.from_data(await read_form(request))
    names_check.remove_named_person(session=session, report_id=rid, name=form.get("name"))
    return RedirectResponse(f"/reports/{rid}/names", status_code=303)


def summary(session: Session, report_id: uuid.UUID) -> dict[str, Any]:
    """For the report page: how many places the names check found and how many wait."""
    result = names_check.check(session=session, report_id=report_id)
    return {"found": len(result.findings), "unresolved": result.unresolved}
