"""Keeping each board's report schedules in step with its meeting calendar and policy."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from sqlmodel import col, select
from temporalio.client import Client

from models.board import Board, BoardMeeting, MeetingKind
from models.db import SessionFactory
from models.policy import Policy
from models.report import ReportKind
from workflows import schedules


def _calendar(sessions: SessionFactory, slug: str) -> tuple[Policy, list[date], list[date]]:
    with sessions() as session:
        board = session.exec(select(Board).where(Board.slug == slug)).one()
        meetings = session.exec(
            select(BoardMeeting)
            .where(BoardMeeting.board_id == board.id)
            .order_by(col(BoardMeeting.date))
        ).all()
        receiving = [
            m.date for m in meetings if m.kind is MeetingKind.board and m.receives_quarterly_report
        ]
        elg = [m.date for m in meetings if m.kind is MeetingKind.elg]
        return board.policy, receiving, elg


async def sync_board(
    client: Client,
    sessions: SessionFactory,
    slug: str,
    *,
    task_queue: str,
    late_after_seconds: int = 3600,
) -> dict[ReportKind, str]:
    """Make the schedules match the calendar as it is now.

    Two syncs may run at once (two meetings added in quick succession, or two API processes),
    and the one that read the calendar first may write last. So each sync reads the calendar
    again after writing, and writes again if it changed: the last to finish always leaves the
    latest calendar."""
    calendar = await asyncio.to_thread(_calendar, sessions, slug)
    while True:
        policy, receiving, elg = calendar
        ids = await schedules.sync_board(
            client,
            board=slug,
            policy=policy,
            board_meetings=receiving,
            elg_meetings=elg,
            task_queue=task_queue,
            late_after_seconds=late_after_seconds,
        )
        latest = await asyncio.to_thread(_calendar, sessions, slug)
        if latest == calendar:
            return ids
        calendar = latest


async def sync_all(client: Client, sessions: SessionFactory, *, task_queue: str) -> list[str]:
    def slugs() -> list[str]:
        with sessions() as session:
            return list(session.exec(select(Board.slug).order_by(col(Board.slug))).all())

    done = []
    for slug in await asyncio.to_thread(slugs):
        await sync_board(client, sessions, slug, task_queue=task_queue)
        done.append(slug)
    return done


async def resync_report_schedules(request: Any, slug: str) -> None:
    """After a change to a board's calendar or policy (best effort: the worker syncs at start,
    and ``cvt report schedules`` or ``POST /api/v1/reports/schedules/{board}`` does it by hand)."""
    app = request.app
    try:
        await sync_board(
            app.state.temporal, app.state.sessions, slug, task_queue=app.state.settings.task_queue
        )
    except Exception:
        logging.getLogger(__name__).warning(
            "report schedules for %s not synced: Temporal unreachable?", slug, exc_info=True
        )
