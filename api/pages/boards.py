"""Board settings (admin): contacts, the policy durations (DESIGN.md §5 defaults), and the
meeting calendar (which meetings receive the quarterly report). Plain CRUD, straight to SQL.
Running cases keep the policy they started with."""

from __future__ import annotations

from datetime import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffBoardManager, parse_id
from api.pages.forms import Form, read_form
from api.pages.render import page
from models.board import Board, BoardMeetingBase, BoardUpdate, MeetingKind, OfficialsInPublic
from models.calendar import FIRST_YEAR, LAST_YEAR
from models.formatting import long_date
from models.policy import Policy
from services import directory
from services.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False)

POLICY_LABELS = {
    "presenter_contact_reminder": "Reminder to contact the presenters",
    "presenter_contact_escalation": "Escalation if the presenters are not contacted",
    "owner_naming_reminder": "Reminder to name an owner",
    "owner_naming_escalation": "Escalation if no owner is named",
    "acknowledgement_reminder": "Reminder to the owner to acknowledge",
    "acknowledgement_escalation": "Escalation if the owner does not acknowledge",
    "update_reminder": "Reminder when there is no progress update",
    "update_escalation": "Escalation when there is no progress update",
    "amber_window": "RAG turns amber this long before the due date",
    "quarterly_cutoff": "Quarterly report cut-off before the board meeting",
    "elg_digest_lead": "ELG digest sent before each ELG meeting",
    "annual_draft_month_day": "Annual report draft date (month-day, for example 11-01)",
    "send_time": "Time of day reminders are sent (24-hour clock, London)",
    "contact_retention": "Presenters' contact details are deleted this long after their case "
    "closes",
    "reminder_gathering": "Reminders to one person are gathered into one email this often",
}
CONTACT_LABELS = {
    "name": "Board name",
    "engagement_lead_name": "Engagement lead's name",
    "engagement_lead_email": "Engagement lead's email address",
    "cv_lead_name": "Community Voice Lead's name",
    "cv_lead_email": "Community Voice Lead's email address",
}
#: The cover sheet of the board's papers (services/report_cover); empty means the usual wording.
PUBLIC_LABELS = {"officials_in_public": "Officials in public papers"}
OFFICIALS_OPTIONS = [
    (
        OfficialsInPublic.named.value,
        "By name, with their role and organisation",
        "Owners at partner organisations speak for their organisation in public.",
    ),
    (
        OfficialsInPublic.role_only.value,
        "By role and organisation only",
        "The names check lists every place the text names an owner, before approval.",
    ),
]
PAPER_LABELS = {
    "paper_agenda_item": "Agenda item",
    "paper_author": "Author",
    "paper_presenter": "Presenter",
    "paper_purpose": "Purpose",
    "paper_recommendation": "Recommendation",
}
MEETING_LABELS = {"kind": "Kind of meeting", "date": "Meeting date"}
LABELS = CONTACT_LABELS | PAPER_LABELS | PUBLIC_LABELS | POLICY_LABELS
KIND_LABELS = {MeetingKind.board: "Board meeting", MeetingKind.elg: "ELG meeting"}


def _text(value: Any) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _board(session: Session, slug: str) -> Board:
    try:
        return directory.get_board(session=session, slug=slug)
    except NotFound as missing:
        raise PageNotFound(str(missing)) from missing


def _settings_form(board: Board) -> Form:
    values = {k: _text(getattr(board, k)) for k in CONTACT_LABELS}
    values |= {k: getattr(board, k) or "" for k in PAPER_LABELS}
    values["officials_in_public"] = board.officials_in_public.value
    values |= {k: _text(getattr(board.policy, k)) for k in POLICY_LABELS}
    return Form(values, labels=LABELS)


def _meeting_form() -> Form:
    return Form({"kind": MeetingKind.board.value}, labels=MEETING_LABELS, dates=["date"])


def _settings_page(
    request: Request,
    session: Session,
    board: Board,
    *,
    form: Form | None = None,
    meeting_form: Form | None = None,
    status: int = 200,
) -> HTMLResponse:
    form = form or _settings_form(board)
    meeting_form = meeting_form or _meeting_form()
    defaults = Policy()
    meetings = directory.list_meetings(session=session, slug=board.slug)
    done = request.query_params.get("done")
    return page(
        request,
        "boards/settings.jinja",
        {
            "page_title": f"{board.name}: settings",
            "board": board,
            "form": form,
            "meeting_form": meeting_form,
            "errors": form.summary + meeting_form.summary,
            "policy_fields": [
                (name, label, f"Default: {_text(getattr(defaults, name))}")
                for name, label in POLICY_LABELS.items()
            ],
            "meetings": [
                {
                    "id": m.id,
                    "date": long_date(m.date),
                    "kind": KIND_LABELS[m.kind],
                    "is_board": m.kind is MeetingKind.board,
                    "quarterly": m.receives_quarterly_report,
                }
                for m in meetings
            ],
            "kinds": [(k.value, v) for k, v in KIND_LABELS.items()],
            "officials_options": OFFICIALS_OPTIONS,
            "done": {"saved": "The settings are saved.", "meeting": "The calendar is updated."}.get(
                done or ""
            ),
            "back_link": {"href": "/boards", "text": "Back to the boards"},
        },
        status_code=status,
    )


@router.get("/boards", response_class=HTMLResponse)
def boards(request: Request, session: SessionDep, _: StaffBoardManager) -> HTMLResponse:
    rows = session.exec(select(Board).order_by(col(Board.name))).all()
    return page(request, "boards/index.jinja", {"page_title": "Boards", "boards": rows})


@router.get("/boards/{slug}/settings", response_class=HTMLResponse)
def settings(
    slug: str, request: Request, session: SessionDep, _: StaffBoardManager
) -> HTMLResponse:
    return _settings_page(request, session, _board(session, slug))


def _policy_errors(form: Form, error: ValidationError) -> None:
    for item in error.errors():
        loc = [str(p) for p in item["loc"]]
        message = str(item["msg"]).removeprefix("Value error, ")
        field = loc[0] if loc else ""
        if not field:  # the check across fields: 'x must be longer than y'
            field = message.split(" ", 1)[0]
            for name, label in POLICY_LABELS.items():
                message = message.replace(name, f"'{label}'")
            message = message[0].upper() + message[1:]
        elif field in POLICY_LABELS:
            message = f"{POLICY_LABELS[field]}: {message}"
        form.add_error(field if field in POLICY_LABELS else "presenter_contact_reminder", message)


@router.post("/boards/{slug}/settings", response_class=HTMLResponse)
async def save_settings(
    slug: str, request: Request, session: SessionDep, _: StaffBoardManager
) -> Response:
    board = _board(session, slug)
    form = Form.from_data(await read_form(request), labels=LABELS)
    if form.get("reset") == "defaults":
        for name in POLICY_LABELS:
            form.values[name] = _text(getattr(Policy(), name))
        return _settings_page(request, session, board, form=form)
    policy = None
    try:
        # A setting the form does not show keeps its value: saving never resets it unseen.
        policy = Policy.model_validate(
            dict(board.policy_json) | {k: form.get(k) for k in POLICY_LABELS}
        )
    except ValidationError as error:
        _policy_errors(form, error)
    try:
        body = BoardUpdate.model_validate(
            {k: form.get(k) for k in CONTACT_LABELS}
            | {k: form.optional(k) for k in PAPER_LABELS}
            | {k: form.optional(k) for k in PUBLIC_LABELS}
        )
    except ValidationError as error:
        form.add_validation_errors(error)
        body = None
    if form.has_errors() or body is None or policy is None:
        return _settings_page(request, session, board, form=form, status=422)
    body.policy = policy
    directory.update_board(session=session, slug=slug, body=body)
    return RedirectResponse(f"/boards/{slug}/settings?done=saved", status_code=303)


@router.post("/boards/{slug}/meetings", response_class=HTMLResponse)
async def add_meeting(
    slug: str, request: Request, session: SessionDep, _: StaffBoardManager
) -> Response:
    board = _board(session, slug)
    form = Form.from_data(await read_form(request), labels=MEETING_LABELS, dates=["date"])
    day = form.parse_date("date", required=True)
    kind = form.get("kind")
    if kind not in MeetingKind.__members__:
        form.add_error("kind", "Choose the kind of meeting")
    quarterly = form.checked("receives_quarterly_report")
    if quarterly and kind == MeetingKind.elg:
        form.add_error(
            "receives_quarterly_report", "Only board meetings receive the quarterly report"
        )
    if form.has_errors() or day is None:
        return _settings_page(request, session, board, meeting_form=form, status=422)
    try:
        directory.add_meeting(
            session=session,
            slug=slug,
            body=BoardMeetingBase(
                kind=MeetingKind(kind), date=day, receives_quarterly_report=quarterly
            ),
        )
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return _settings_page(request, session, board, meeting_form=form, status=422)
    except ValidationError:  # a year the calendar does not know
        form.add_error("date", f"Meeting date must be in the years {FIRST_YEAR} to {LAST_YEAR}")
        return _settings_page(request, session, board, meeting_form=form, status=422)
    return RedirectResponse(f"/boards/{slug}/settings?done=meeting#calendar", status_code=303)


@router.post("/boards/{slug}/meetings/{meeting_id}")
async def change_meeting(
    slug: str, meeting_id: str, request: Request, session: SessionDep, _: StaffBoardManager
) -> Response:
    _board(session, slug)
    data = await read_form(request)
    mid = parse_id(meeting_id)
    try:
        if data.get("intent") == "remove":
            directory.remove_meeting(session=session, slug=slug, meeting_id=mid)
        else:
            directory.update_meeting(
                session=session,
                slug=slug,
                meeting_id=mid,
                receives_quarterly_report=data.get("receives_quarterly_report") == "yes",
            )
    except NotFound as missing:
        raise PageNotFound(str(missing)) from missing
    return RedirectResponse(f"/boards/{slug}/settings?done=meeting#calendar", status_code=303)
