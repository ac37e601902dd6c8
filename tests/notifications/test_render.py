"""Every message kind renders a subject, a complete plain-text part and an HTML part; what people
typed is escaped in HTML; signed links stand on their own line and are the same in both parts."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, message_from_string, policy
from typing import Any

import pytest

from models.outbox import OutboxRecord, RecipientRole
from notifications.links import LinkPurpose, Links
from notifications.render import Renderer, compose, message_id
from notifications.types import (
    FACTS_BY_TYPE,
    ActionFacts,
    CaseFacts,
    DigestItem,
    ElgDigest,
    ElgDigestItem,
    EscalationRaised,
    MessageType,
    OwnerAcknowledgementReminder,
    OwnerActionAssigned,
    OwnerActionOverdue,
    OwnerActionReassigned,
    OwnerDeclinedAction,
    OwnerNamingReminder,
    OwnerReceipt,
    OwnerUpdateReminder,
    OwnerUpdateRequest,
    PresenterActionClosed,
    PresenterContactReminder,
    PresenterReplied,
    PresenterThanks,
    ReminderDigest,
    ReportDraftReady,
)
from tests.mailflow import links_in

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'
BASE = "https://cv.example.org"
SECRET = "render-test-secret-" + "x" * 30
OWNER_ID = uuid.uuid4()
PRESENTER_ID = uuid.uuid4()
REPORT_ID = uuid.UUID(int=77)
AT = datetime(2027, 1, 11, 9, tzinfo=UTC)


def case() -> CaseFacts:
    return CaseFacts(
        case_id=uuid.uuid4(),
        board_name="Tower Hamlets Together Board",
        meeting_date=date(2027, 1, 5),
        theme=f"Damp and mould {HOSTILE}",
        said=f"Residents said: {HOSTILE}\nSecond line.",
    )


def action(seq: int = 1) -> ActionFacts:
    return ActionFacts(
        action_id=uuid.uuid4(),
        seq=seq,
        text=f"Survey every flat {HOSTILE}",
        due_date=date(2027, 3, 31),
        owner_name="Olu Owner",
        partner_name="Barts Health NHS Trust",
        owner_id=OWNER_ID,
    )


def sample(kind: MessageType) -> Any:
    c, a = case(), action()
    samples = {
        MessageType.presenter_thanks: PresenterThanks(
            case=c, presenter_id=PRESENTER_ID, presenter_name="Amina Begum", actions=[a, action(2)]
        ),
        MessageType.presenter_contact_reminder: PresenterContactReminder(
            case=c, presenters=["Amina Begum", HOSTILE], escalates_at=AT
        ),
        MessageType.owner_naming_reminder: OwnerNamingReminder(
            case=c, action=a, owner_as_written=HOSTILE, escalates_at=AT
        ),
        MessageType.owner_action_assigned: OwnerActionAssigned(
            case=c, action=a, assignment_no=2, note=HOSTILE
        ),
        MessageType.owner_acknowledgement_reminder: OwnerAcknowledgementReminder(
            case=c, action=a, assignment_no=2, escalates_at=AT
        ),
        MessageType.owner_update_reminder: OwnerUpdateReminder(
            case=c, action=a, assignment_no=2, last_progress_at=AT, escalates_at=AT
        ),
        MessageType.owner_action_overdue: OwnerActionOverdue(case=c, action=a, assignment_no=2),
        MessageType.owner_action_reassigned: OwnerActionReassigned(
            case=c, action=a, new_owner_name="Priya Shah"
        ),
        MessageType.owner_declined_action: OwnerDeclinedAction(
            case=c, action=a, declined_by="Olu Owner", reason=HOSTILE, suggested_owner=HOSTILE
        ),
        MessageType.escalation_raised: EscalationRaised(
            case=c, action=a, escalation_id=uuid.uuid4(), rule="owner_unreachable", reason=HOSTILE
        ),
        MessageType.presenter_action_closed: PresenterActionClosed(
            case=c,
            action=a,
            presenter_id=PRESENTER_ID,
            presenter_name="Amina Begum",
            outcome="done",
            what_was_done=HOSTILE,
        ),
        MessageType.owner_receipt: OwnerReceipt(
            case=c,
            action=a,
            owner_id=OWNER_ID,
            assignment_no=2,
            command="post_update",
            said=HOSTILE,
            rag="amber",
            receipt="Your update has been added to the action.",
            link_open=True,
        ),
        MessageType.presenter_replied: PresenterReplied(
            case=c,
            action=a,
            presenter_name="Amina Begum",
            about="outcome",
            answer="not_met",
            comment=HOSTILE,
        ),
        MessageType.owner_update_request: OwnerUpdateRequest(
            case=c, action=a, assignment_no=2, board_meeting_date=date(2027, 4, 14), cutoff_at=AT
        ),
        MessageType.elg_digest: ElgDigest(
            report_id=REPORT_ID,
            board_name="Tower Hamlets Together Board",
            meeting_date=date(2027, 4, 20),
            period_start=date(2027, 3, 13),
            period_end=date(2027, 4, 12),
            sections={"owners_not_responding": [ElgDigestItem(text=HOSTILE)]},
        ),
        MessageType.report_draft_ready: ReportDraftReady(
            report_id=REPORT_ID,
            board_name="Tower Hamlets Together Board",
            kind="quarterly",
            title=f"You Said, We Did {HOSTILE}",
            rows=3,
        ),
    }
    if kind is MessageType.reminder_digest:
        items = [
            OwnerAcknowledgementReminder(case=c, action=a, assignment_no=2, escalates_at=AT),
            OwnerUpdateReminder(
                case=case(),
                action=action(3),
                assignment_no=1,
                last_progress_at=AT,
                escalates_at=AT,
            ),
        ]
        kinds = [MessageType.owner_acknowledgement_reminder, MessageType.owner_update_reminder]
        return ReminderDigest(
            items=[
                DigestItem(outbox_id=uuid.uuid4(), kind=k, facts=f.model_dump(mode="json"))
                for k, f in zip(kinds, items, strict=True)
            ]
        )
    return samples[kind]


def renderer() -> Renderer:
    return Renderer(Links(SECRET, BASE))


def row(kind: MessageType, facts: Any, **fields: Any) -> OutboxRecord:
    values: dict[str, Any] = {
        "kind": kind.value,
        "recipient_role": RecipientRole.owner,
        "recipient_name": "Olu Owner",
        "recipient_email": "olu.owner@example.nhs.uk",
        "reply_to": "eve.engagement@example.org",
        "facts": facts.model_dump(mode="json"),
        "created_at": AT,
    }
    values.update(fields)
    return OutboxRecord(**values)


def test_every_message_kind_has_a_sample() -> None:
    assert set(FACTS_BY_TYPE) == set(MessageType)
    for kind in MessageType:
        assert isinstance(sample(kind), FACTS_BY_TYPE[kind])


@pytest.mark.parametrize("kind", list(MessageType))
def test_each_kind_renders_subject_text_and_html(kind: MessageType) -> None:
    out = renderer().render(kind, sample(kind).model_dump(mode="json"), to="Olu Owner")
    assert out.subject and "\n" not in out.subject and len(out.subject) < 200
    assert out.text.startswith("Dear Olu Owner,")
    assert "{{" not in out.text and "{%" not in out.text
    assert out.html.startswith("<!DOCTYPE html>") and '<html lang="en">' in out.html
    assert "<h1" in out.html and "Dear Olu Owner," in out.html
    # what people typed is escaped in HTML, and kept as typed in plain text
    assert "<script>" not in out.html and "<b>bold</b>" not in out.html
    if HOSTILE in out.text:
        assert "&lt;script&gt;" in out.html
    # every link in the text part stands on its own line and is in the HTML part too
    links = links_in(out.text)
    for link in links:
        assert f"\n{link}\n" in out.text + "\n"
        assert f'href="{link}"' in out.html


@pytest.mark.parametrize(
    ("kind", "purpose"),
    [
        (MessageType.owner_action_assigned, LinkPurpose.owner),
        (MessageType.owner_acknowledgement_reminder, LinkPurpose.owner),
        (MessageType.owner_update_reminder, LinkPurpose.owner),
        (MessageType.owner_action_overdue, LinkPurpose.owner),
        (MessageType.owner_receipt, LinkPurpose.owner),
        (MessageType.presenter_thanks, LinkPurpose.presenter),
        (MessageType.presenter_action_closed, LinkPurpose.feedback),
    ],
)
def test_people_get_a_signed_link_scoped_to_them(kind: MessageType, purpose: LinkPurpose) -> None:
    facts = sample(kind)
    out = renderer().render(kind, facts.model_dump(mode="json"), to="Someone")
    [link] = links_in(out.text)
    path = link.removeprefix(BASE).split("/")
    target, token = uuid.UUID(path[2]), path[3]
    claims = Links(SECRET, BASE).read(purpose, target, token)
    if purpose is LinkPurpose.owner:
        assert claims.person == OWNER_ID and claims.assignment_no == 2
        assert target == facts.action.action_id
    else:
        assert claims.person == PRESENTER_ID
    assert datetime.now(UTC) - claims.issued_at < timedelta(minutes=1), "made at send time"


@pytest.mark.parametrize(
    "kind",
    [
        MessageType.escalation_raised,
        MessageType.owner_declined_action,
        MessageType.presenter_replied,
        MessageType.owner_naming_reminder,
        MessageType.presenter_contact_reminder,
    ],
)
def test_staff_messages_link_to_the_case_page_not_a_signed_link(kind: MessageType) -> None:
    facts = sample(kind)
    out = renderer().render(kind, facts.model_dump(mode="json"), to="Cara Lead")
    assert links_in(out.text) == [f"{BASE}/cases/{facts.case.case_id}"]


def test_escalation_subjects_name_the_action_so_two_never_read_alike() -> None:
    c = case()
    first, second = (
        EscalationRaised(
            case=c,
            action=ActionFacts(action_id=uuid.uuid4(), seq=seq, text=text),
            escalation_id=uuid.uuid4(),
            rule="not_acknowledged",
            reason="No acknowledgement in 10 working days.",
        )
        for seq, text in ((1, "Survey every flat on the estate"), (2, "Write to residents"))
    )
    subjects = [
        renderer()
        .render(MessageType.escalation_raised, e.model_dump(mode="json"), to="Cara")
        .subject
        for e in (first, second)
    ]
    assert subjects[0] != subjects[1]
    assert 'action 1, "Survey every flat on the estate"' in subjects[0]
    assert 'action 2, "Write to residents"' in subjects[1]
    assert all(s.startswith("Escalation: Owner has not acknowledged: ") for s in subjects)
    assert all("5 January 2027" in s for s in subjects), "and the session, by its date"


def test_the_reassigned_owner_gets_no_link() -> None:
    kind = MessageType.owner_action_reassigned
    out = renderer().render(kind, sample(kind).model_dump(mode="json"), to="Olu Owner")
    assert links_in(out.text) == []
    assert "Priya Shah" in out.text


def test_a_gathered_reminder_email_lists_each_reminder_with_its_own_link() -> None:
    digest = sample(MessageType.reminder_digest)
    out = renderer().render(MessageType.reminder_digest, digest.model_dump(mode="json"), to="Olu")
    assert out.subject == "2 things are waiting for you in Community Voice"
    assert "1 of 2" in out.text and "2 of 2" in out.text
    links = links_in(out.text)
    assert len(links) == 2 and links[0] != links[1]
    assert "Please acknowledge this action" in out.text
    assert "Please tell us how this action is going" in out.text


def test_a_gathered_email_with_one_reminder_reads_as_that_reminder() -> None:
    one = sample(MessageType.reminder_digest).model_copy(
        update={"items": sample(MessageType.reminder_digest).items[:1]}
    )
    out = renderer().render(MessageType.reminder_digest, one.model_dump(mode="json"), to="Olu")
    assert out.subject.startswith("Reminder: please acknowledge")


def test_the_email_is_from_the_service_with_reply_to_the_person_and_a_stable_message_id() -> None:
    facts = sample(MessageType.owner_action_assigned)
    record = row(MessageType.owner_action_assigned, facts, recipient_name='Olu "O" Owner, Jr')
    rendered = renderer().render(record.kind, record.facts, to=record.recipient_name)
    message = compose(
        record, rendered, from_address="community-voice@nhs.example", from_name="Community Voice"
    )
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert parsed["From"] == "Community Voice <community-voice@nhs.example>"
    assert parsed["Reply-To"] == "eve.engagement@example.org"
    assert parsed["To"].addresses[0].addr_spec == "olu.owner@example.nhs.uk"
    assert parsed["To"].addresses[0].display_name == 'Olu "O" Owner, Jr'
    assert parsed["Message-ID"] == f"<cvt.{record.id}@nhs.example>"
    assert message_id(record.id, "community-voice@nhs.example") == parsed["Message-ID"]
    assert parsed["Auto-Submitted"] == "auto-generated"
    text = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = parsed.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert text == rendered.text and html == rendered.html


HOSTILE_NAMES = [
    "Eve <eve@evil.example>, Bob é",
    "Eve <eve@evil.example>, Bob",
    '"Mallory" <mallory@evil.example>; bob@evil.example',
    "Zoë\x00 Smith\r\nBcc: spy@evil.example",
    "=?utf-8?q?spy=40evil.example?= <spy@evil.example>",
    "مريم \u202eevil@example.com",
    "",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("smtputf8", [False, True], ids=["ascii", "smtputf8"])
def test_a_hostile_display_name_is_one_name_for_one_address(name: str, smtputf8: bool) -> None:
    """A name is a name: never a second recipient, a new header, or a control character."""
    kind = MessageType.presenter_thanks
    facts = sample(kind)
    record = row(kind, facts, recipient_name=name, recipient_email="amina@example.com")
    rendered = renderer().render(record.kind, record.facts, to=record.recipient_name)
    message = compose(record, rendered, from_address="cv@nhs.example", from_name="Community Voice")
    raw = message.as_bytes(policy=policy.SMTPUTF8 if smtputf8 else policy.SMTP)
    head = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8")
    parsed = message_from_string(raw.decode("utf-8"), policy=policy.default)
    [to] = parsed["To"].addresses
    assert to.addr_spec == "amina@example.com"
    assert "evil.example" not in " ".join(a.addr_spec for a in parsed["To"].addresses)
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    assert "\x00" not in head and "\nBcc:" not in head
    assert [a.addr_spec for a in parsed["Reply-To"].addresses] == ["eve.engagement@example.org"]
    expected = " ".join(name.replace("\x00", "").split())
    if "=?" not in name:  # an encoded word in a name is decoded, but stays inside the quotes
        assert to.display_name == expected
    body = " ".join(parsed.get_body(("plain",)).get_content().split())
    assert f"Dear {expected}," in body or not expected


def test_text_stored_with_control_characters_renders_without_them() -> None:
    """Input refuses them now; an older record that holds one still makes a clean email."""
    kind = MessageType.owner_action_assigned
    facts = sample(kind).model_dump(mode="json")
    facts["action"]["text"] = "Survey\x00 every flat\x1b[31m"
    out = renderer().render(kind, facts, to="Olu\x07 Owner")
    for part in (out.subject, out.text, out.html):
        assert "\x00" not in part and "\x1b" not in part and "\x07" not in part
    assert "Survey every flat[31m" in out.text


def test_dates_are_written_the_uk_way() -> None:
    kind = MessageType.owner_acknowledgement_reminder
    out = renderer().render(kind, sample(kind).model_dump(mode="json"), to="Olu")
    assert "31 March 2027" in out.text and "11 January 2027 at 9am" in out.text
    assert re.search(r"\d{4}-\d{2}-\d{2}", out.text) is None
