"""The owner's signed-link pages: opening changes nothing; each form changes the case through
the workflow and ends on a receipt; every bad link gets a clear page and changes nothing."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlmodel import select

from models.action import ActionStatus, ActionUpdate, UpdateKind
from models.audit import AuditEvent
from models.case import Case, CaseStatus
from models.commands import AssignOwnerBody
from models.escalation import Escalation, EscalationRule
from models.inbox import InboxCommand
from models.outbox import OutboxMessage
from models.rag import Rag
from notifications.links import Links
from notifications.types import MessageType
from tests.api.pages.conftest import LinkSite, form_fields, submit
from tests.factories import LEAD, add_owner
from tests.helpers import eventually
from tests.mailflow import outbox

PAGES = ["", "/update", "/done", "/cannot-deliver", "/not-mine"]


def case_status(site: LinkSite) -> CaseStatus:
    with site.sessions() as session:
        case = session.get(Case, site.action().case_id)
        assert case is not None
        return case.status


def snapshot(site: LinkSite) -> tuple[int, ...]:
    return (
        site.count(InboxCommand),
        site.count(AuditEvent),
        site.count(ActionUpdate),
        site.count(OutboxMessage),
        site.count(Escalation),
    )


async def test_opening_the_link_shows_the_action_and_changes_nothing(site: LinkSite) -> None:
    link = site.owner_link()
    before, action_before = snapshot(site), site.action()
    async with site.browser() as scanner:
        for page in PAGES:
            response = await scanner.get(link + page)
            assert response.status_code == 200, (page, response.text)
            assert response.headers["cache-control"] == "no-store"
        head = await scanner.head(link)
        assert head.status_code == 200 and head.content == b""
        page = await scanner.get(link)
    assert "Survey every flat on the estate (1)" in page.text
    assert "Children&#39;s asthma is worse &lt;b&gt;because&lt;/b&gt; of mould." in page.text
    assert "Acknowledge this action" in page.text
    assert "Eve Engagement" in page.text and "eve.engagement@example.org" in page.text
    assert snapshot(site) == before
    assert site.action() == action_before


async def test_acknowledge_then_still_on_track_each_with_one_button(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        ack = await submit(owner, link, f"{link}/acknowledge")
        assert ack.status_code == 303
        receipt = await owner.get(ack.headers["location"])
        assert receipt.status_code == 200
        assert "Thank you: this is recorded" in receipt.text
        assert site.action().status is ActionStatus.in_progress
        page = await owner.get(link)
        assert "It is still on track" in page.text and "Acknowledge this action" not in page.text
        on_track = await submit(owner, link, f"{link}/still-on-track")
        assert on_track.status_code == 303
    with site.sessions() as session:
        [update] = session.exec(select(ActionUpdate)).all()
    assert update.kind is UpdateKind.still_on_track and update.stated_rag is Rag.green
    receipts = outbox(site.sessions, kind=MessageType.owner_receipt.value)
    assert [r.facts["command"] for r in receipts] == ["acknowledge", "post_update"]


async def test_an_update_with_a_rating_shows_in_the_case(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        empty = await submit(owner, f"{link}/update", f"{link}/update", text="")
        assert empty.status_code == 422
        assert "There is a problem" in empty.text
        assert 'href="#text"' in empty.text and 'href="#rag"' in empty.text
        assert site.commands_stored() == 1, "only the case start: nothing stored"
        sent = await submit(
            owner,
            f"{link}/update",
            f"{link}/update",
            text="40 of 120 flats surveyed. <script>x</script>",
            rag="amber",
        )
        assert sent.status_code == 303
    async with site.staff() as staff:
        action = (await staff.get(f"/api/v1/actions/{site.action_id}")).json()
        case = (await staff.get(f"/api/v1/cases/{site.case_id}")).json()
    assert [u["text"] for u in action["updates"]] == [
        "40 of 120 flats surveyed. <script>x</script>"
    ]
    assert action["updates"][0]["author_kind"] == "owner_link"
    assert case["actions"][0]["stated_rag"] == "amber"
    assert case["actions"][0]["rag"] == "amber"


async def test_a_double_click_sends_one_update(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        page = await owner.get(f"{link}/update")
        fields = {**form_fields(page.text), "text": "Booked the surveyors.", "rag": "green"}
        first = await owner.post(f"{link}/update", data=fields)
        second = await owner.post(f"{link}/update", data=fields)
    assert first.headers["location"] == second.headers["location"]
    with site.sessions() as session:
        assert len(session.exec(select(ActionUpdate)).all()) == 1


async def test_a_double_click_on_done_gets_the_first_receipt_after_the_action_closed(
    site: LinkSite,
) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        page = await owner.get(f"{link}/done")
        fields = {**form_fields(page.text), "text": "Every flat surveyed."}
        before = site.commands_stored()
        first = await owner.post(f"{link}/done", data=fields)
        assert site.action().status is ActionStatus.done  # the first closed the action
        second = await owner.post(f"{link}/done", data=fields)
    assert (second.status_code, second.headers["location"]) == (
        first.status_code,
        first.headers["location"],
    )
    assert site.commands_stored() == before + 1


async def test_the_same_form_sent_again_with_other_words_is_refused_and_the_first_kept(
    site: LinkSite,
) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        page = await owner.get(f"{link}/update")
        fields = {**form_fields(page.text), "rag": "green"}
        first = await owner.post(f"{link}/update", data={**fields, "text": "Booked them."})
        other = await owner.post(f"{link}/update", data={**fields, "text": "Changed my mind."})
    assert first.status_code == 303
    assert other.status_code == 422 and "This form was sent already" in other.text
    with site.sessions() as session:
        assert [u.text for u in session.exec(select(ActionUpdate)).all()] == ["Booked them."]


async def test_done_closes_the_action_and_the_link_then_only_says_so(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        done = await submit(
            owner, f"{link}/done", f"{link}/done", text="Every flat surveyed; 12 repaired."
        )
        assert done.status_code == 303
        receipt = await owner.get(done.headers["location"])
        assert receipt.status_code == 200 and "presenters will be told" in receipt.text
        assert "Go back to your action" not in receipt.text
        assert site.action().status is ActionStatus.done
        # The case's workflow records the case closing a moment later: let it, then look.
        await eventually(lambda: case_status(site) is CaseStatus.closed)
        before = snapshot(site)
        closed = await owner.get(link)
        assert closed.status_code == 410 and "This action is closed" in closed.text
        replay = await owner.post(
            f"{link}/update", data={**form_fields(receipt.text), "text": "again", "rag": "green"}
        )
        assert replay.status_code == 410
        assert snapshot(site) == before, "replayed after close: nothing changes"
    assert outbox(site.sessions, kind=MessageType.presenter_action_closed.value)


async def test_not_mine_hands_it_back_and_the_link_stops_working(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        no_reason = await submit(owner, f"{link}/not-mine", f"{link}/not-mine", reason="")
        assert no_reason.status_code == 422 and 'href="#reason"' in no_reason.text
        sent = await submit(
            owner,
            f"{link}/not-mine",
            f"{link}/not-mine",
            reason="Housing repairs are the council's",
            suggested_owner="Jo Miah, Tower Hamlets Council",
        )
        assert sent.status_code == 303
        assert (await owner.get(sent.headers["location"])).status_code == 200
        again = await owner.get(link)
    assert again.status_code == 410 and "handed back" in again.text
    assert site.action().status is ActionStatus.unassigned
    [told] = outbox(site.sessions, kind=MessageType.owner_declined_action.value)
    assert told.facts["suggested_owner"] == "Jo Miah, Tower Hamlets Council"
    assert told.reply_to == "olu.owner@example.nhs.uk"


async def test_cannot_deliver_escalates_to_the_community_voice_lead(site: LinkSite) -> None:
    link = site.owner_link()
    async with site.browser() as owner:
        sent = await submit(
            owner, f"{link}/cannot-deliver", f"{link}/cannot-deliver", reason="No budget this year"
        )
        assert sent.status_code == 303
    with site.sessions() as session:
        [escalation] = session.exec(select(Escalation)).all()
    assert escalation.rule is EscalationRule.cannot_deliver
    assert site.action().status is ActionStatus.cannot_deliver


# --- bad links --------------------------------------------------------------------------------


async def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(site: LinkSite) -> None:
    link = site.owner_link()
    tampered = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    before = snapshot(site)
    async with site.browser() as anyone:
        page = await anyone.get(tampered)
        assert page.status_code == 403
        assert "This link does not work" in page.text and "reply to it" in page.text
        good = await anyone.get(link)  # a real CSRF token, with a tampered link
        post = await anyone.post(f"{tampered}/acknowledge", data=form_fields(good.text))
        assert post.status_code == 403
    assert snapshot(site) == before


async def test_an_expired_link_says_so_and_who_to_contact(site: LinkSite) -> None:
    sixty_one_days_ago = time.time() - timedelta(days=61).total_seconds()
    old = Links(
        site.settings.secret_key.get_secret_value(),
        site.live.base_url,
        clock=lambda: sixty_one_days_ago,
    )
    link = site.owner_link(links=old)
    before = snapshot(site)
    async with site.browser() as owner:
        page = await owner.get(link)
        assert page.status_code == 410
        assert "This link has expired" in page.text and "60 days" in page.text
        assert "Eve Engagement" in page.text and "mailto:eve.engagement@example.org" in page.text
        fresh = await owner.get(site.owner_link())
        post = await owner.post(f"{link}/acknowledge", data=form_fields(fresh.text))
        assert post.status_code == 410
    assert snapshot(site) == before


async def test_a_link_is_revoked_when_the_action_is_reassigned(site: LinkSite) -> None:
    old_link = site.owner_link()
    priya = add_owner(site.sessions, name="Priya Shah")
    row = await site.commands.to_action(
        site.action_id, "assign_owner", AssignOwnerBody(owner_id=priya.id), LEAD
    )
    assert row.status.value == "applied"
    before = snapshot(site)
    async with site.browser() as old_owner:
        page = await old_owner.get(old_link)
        assert page.status_code == 410 and "passed to someone else" in page.text
        fresh = await old_owner.get(site.owner_link())
        assert fresh.status_code == 200, "the new owner's link works"
        post = await old_owner.post(f"{old_link}/acknowledge", data=form_fields(fresh.text))
        assert post.status_code == 410
    assert snapshot(site) == before


async def test_a_link_for_another_action_does_not_open_this_one(site: LinkSite) -> None:
    link = site.owner_link()
    other = uuid.uuid4()
    wrong = link.replace(str(site.action_id), str(other))
    before = snapshot(site)
    async with site.browser() as anyone:
        page = await anyone.get(wrong)
        assert page.status_code == 404 and "does not match" in page.text
        good = await anyone.get(link)
        post = await anyone.post(f"{wrong}/done", data={**form_fields(good.text), "text": "x"})
        assert post.status_code == 404
    assert snapshot(site) == before


async def test_a_form_without_this_browsers_token_changes_nothing(site: LinkSite) -> None:
    link = site.owner_link()
    before = snapshot(site)
    async with site.browser() as owner, site.browser() as attacker:
        theirs = form_fields((await attacker.get(link)).text)
        await owner.get(link)
        forged = await owner.post(f"{link}/acknowledge", data=theirs)
        missing = await owner.post(f"{link}/acknowledge", data={})
    assert forged.status_code == missing.status_code == 403
    assert "This form has expired" in forged.text
    assert snapshot(site) == before


async def test_a_link_never_signs_anyone_in_to_staff_pages(site: LinkSite) -> None:
    link = site.owner_link()
    token = link.rsplit("/", 1)[1]
    async with site.browser() as owner:
        await owner.get(link)
        assert (await owner.get(f"/api/v1/cases/{site.case_id}")).status_code == 401
        as_bearer = await owner.get(
            f"/api/v1/cases/{site.case_id}", headers={"Authorization": f"Bearer {token}"}
        )
        assert as_bearer.status_code == 401
        assert set(owner.cookies.keys()) <= {"cvt_csrf"}
