"""What a ``cvt`` command works with: the database and the command service, from the settings.

Shared by ``cli/main.py`` and ``cli/dev.py`` (which loads the demo sessions through it).
"""

from __future__ import annotations

from models.db import SessionFactory, create_engine, session_factory
from models.settings import get_settings
from services.commands import Commands
from services.inbox import Inbox
from workflows.client import connect


def sessions() -> SessionFactory:
    settings = get_settings()
    return session_factory(create_engine(settings.database_url, **settings.engine_options()))


async def commands() -> Commands:
    """Commands through the inbox; stored and relayed later if Temporal is not there yet."""
    settings = get_settings()
    db = sessions()
    client = await connect(settings, lazy=True)
    inbox = Inbox(
        db, client, task_queue=settings.task_queue, wait_seconds=settings.command_wait_seconds
    )
    return Commands(db, inbox)
