"""The presenter's signed-link pages: confirm the agreed actions or say what is missing; once an
action closes, say whether it met their concern ("not met" is escalated)."""

from __future__ import annotations

from models.case import Case
from models.commands import MarkDoneBody
from models.escalation import Escalation, EscalationRule
from models.inbox import InboxCommand
from notifications.render import Renderer
from notifications.types import MessageType
from tests.api.pages.conftest import LinkSite, form_fields, submit
from tests.factories import LEAD
from tests.mailflow import outbox


def confirm_link(site: LinkSite) -> str:
    return site.links.presenter_url(site.case_id, site.presenter().id)


def feedback_link(site: LinkSite) -> str:
    return site.links.feedback_url(site.action_id, site.presenter().id)


async def close_the_action(site: LinkSite) -> None:
    row = await site.commands.to_action(
        site.action_id, "mark_done", MarkDoneBody(text="A damp survey of every flat."), LEAD
    )
    assert row.status.value == "applied"


async def test_a_presenter_confirms_the_agreed_actions(site: LinkSite) -> None:
    link = confirm_link(site)
    async with site.browser() as presenter:
        page = await presenter.get(link)
        assert page.status_code == 200
        assert "Check the actions the board agreed" in page.text
        assert "Survey every flat on the estate (1)" in page.text
        assert site.count(InboxCommand) == 1, "opening the page changed nothing"
        sent = await submit(presenter, link, link, answer="confirmed")
        assert sent.status_code == 303
        receipt = await presenter.get(sent.headers["location"])
        assert "Thank you for confirming the actions" in receipt.text
        again = await presenter.get(link)
    assert again.status_code == 200 and "You have answered already" in again.text
    with site.sessions() as session:
        case = session.get(Case, site.case_id)
        assert case is not None and case.presenter_contact_confirmed_at is not None


async def test_the_presenter_reads_the_status_in_their_own_words(site: LinkSite) -> None:
    async with site.browser() as presenter:
        page = await presenter.get(confirm_link(site))
    assert page.status_code == 200
    assert "Waiting for the owner to take it on" in page.text
    assert "for you to acknowledge" not in page.text, "the owner's wording, not the presenter's"


async def test_the_presenters_emails_greet_them_by_name_alone(site: LinkSite) -> None:
    await close_the_action(site)
    renderer = Renderer(site.links)
    for kind in (MessageType.presenter_thanks, MessageType.presenter_action_closed):
        [row] = outbox(site.sessions, kind=kind.value)
        assert row.recipient_name == "Amina Begum (Tenants' Forum)"  # as staff see it
        rendered = renderer.render(row.kind, row.facts, to=row.recipient_name)
        assert rendered.text.startswith("Dear Amina Begum,\n"), (kind, rendered.text[:60])
        assert "Dear Amina Begum,</p>" in rendered.html


async def test_something_missing_needs_a_comment_and_tells_the_engagement_lead(
    site: LinkSite,
) -> None:
    link = confirm_link(site)
    async with site.browser() as presenter:
        nothing = await submit(presenter, link, link)
        assert nothing.status_code == 422 and 'href="#answer"' in nothing.text
        no_comment = await submit(presenter, link, link, answer="missing")
        assert no_comment.status_code == 422 and 'href="#comment"' in no_comment.text
        sent = await submit(
            presenter,
            link,
            link,
            answer="missing",
            comment="The board also agreed to write to the GP practices.",
        )
        assert sent.status_code == 303
    [told] = outbox(site.sessions, kind=MessageType.presenter_replied.value)
    assert told.recipient_email == "eve.engagement@example.org"
    assert told.facts["comment"] == "The board also agreed to write to the GP practices."


async def test_the_feedback_page_waits_for_the_action_to_close(site: LinkSite) -> None:
    async with site.browser() as presenter:
        early = await presenter.get(feedback_link(site))
    assert early.status_code == 409 and "still open" in early.text


async def test_not_met_raises_an_escalation_and_is_answered_once(site: LinkSite) -> None:
    await close_the_action(site)
    link = feedback_link(site)
    async with site.browser() as presenter:
        page = await presenter.get(f"{link}?answer=not_met")
        assert page.status_code == 200
        assert "A damp survey of every flat." in page.text
        assert 'value="not_met" checked' in page.text, "the answer from the email is pre-selected"
        sent = await presenter.post(
            link,
            data={
                **form_fields(page.text),
                "answer": "not_met",
                "comment": "The mould is still there.",
            },
        )
        assert sent.status_code == 303
        receipt = await presenter.get(sent.headers["location"])
        assert "Community Voice Lead will look" in receipt.text
        again = await presenter.get(link)
        assert "You have answered already" in again.text
        before = site.count(InboxCommand)
        fresh = {**form_fields(page.text), "submission": "f" * 32}
        replay = await presenter.post(link, data={**fresh, "answer": "met"})
        assert replay.status_code == 409 and "You have answered already" in replay.text
        assert site.count(InboxCommand) == before
    with site.sessions() as session:
        from sqlmodel import select

        escalations = session.exec(select(Escalation)).all()
    assert [e.rule for e in escalations] == [EscalationRule.presenter_not_met]
    assert "The mould is still there." in escalations[0].reason


async def test_a_tampered_presenter_link_changes_nothing(site: LinkSite) -> None:
    await close_the_action(site)
    link = feedback_link(site)
    before = site.count(InboxCommand)
    async with site.browser() as anyone:
        good = await anyone.get(link)
        bad = link[:-3] + "xyz"
        assert (await anyone.get(bad)).status_code == 403
        post = await anyone.post(bad, data={**form_fields(good.text), "answer": "not_met"})
        assert post.status_code == 403
        owner_link_as_feedback = site.owner_link().replace("/owner/", "/feedback/")
        assert (await anyone.get(owner_link_as_feedback)).status_code == 403
    assert site.count(InboxCommand) == before
