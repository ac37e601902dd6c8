"""What a ``cvt`` command works with: the database and the command service, from the settings.

Shared by ``cli/main.py`` and ``cli/dev.py`` (which loads the demo sessions through it). Nothing
is created by asking: a SQLite file that is not there is a one-line failure, never a new empty
database in whatever folder the command was run from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cli.failures import Failure

if TYPE_CHECKING:
    from models.db import SessionFactory
    from services.commands import Commands


def database_url() -> str:
    """The configured database; a SQLite file must exist (``cvt db upgrade`` makes one)."""
    from models.settings import get_settings

    url = get_settings().database_url
    if url.startswith("sqlite:///") and url not in ("sqlite://", "sqlite:///:memory:"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_file():
            raise Failure(
                f"There is no database at {path.resolve()}: start everything once with "
                "'make run' in the project folder (or run 'cvt db upgrade'), or set "
                "CVT_DATABASE_URL."
            )
    return url


def sessions() -> SessionFactory:
    from models.db import create_engine, session_factory
    from models.settings import get_settings

    url = database_url()
    return session_factory(create_engine(url, **get_settings().engine_options()))


async def commands() -> Commands:
    """Commands through the inbox; stored and relayed later if Temporal is not there yet."""
    from models.settings import get_settings
    from services.commands import Commands
    from services.inbox import Inbox
    from workflows.client import connect

    settings = get_settings()
    db = sessions()
    client = await connect(settings, lazy=True)
    inbox = Inbox(
        db, client, task_queue=settings.task_queue, wait_seconds=settings.command_wait_seconds
    )
    return Commands(db, inbox)
