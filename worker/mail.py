"""Mail delivery as a worker runs it: signed links from the settings, bounces to the workflows.

Delivery (``notifications``) knows nothing of commands: it reports a message refused for good
through the callable it is given. Here that callable is ``services.bounces.BounceReporter``,
which turns the bounce into a command for the action's or the case's workflow, through the
inbox.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client

from models.db import SessionFactory
from models.settings import Settings
from notifications.delivery import MailDelivery
from notifications.links import Links
from notifications.render import Renderer
from services.bounces import BounceReporter
from services.commands import Commands
from services.inbox import Inbox


def mail_delivery(settings: Settings, sessions: SessionFactory, client: Client) -> MailDelivery:
    links = Links(
        settings.secret_key.get_secret_value(),
        settings.base_url,
        max_age=timedelta(days=settings.link_max_age_days),
    )
    inbox = Inbox(sessions, client, task_queue=settings.task_queue)
    return MailDelivery(
        sessions,
        settings,
        Renderer(links),
        report_bounce=BounceReporter(sessions, Commands(sessions, inbox)),
    )
