"""indexes for the staff pages at scale: open actions by rating and each sort, a board's
sessions by meeting, the escalation queue

Revision ID: e3a7c5d1f9b2
Revises: d2e8f4a6b1c3
Create Date: 2026-12-16 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op


revision: str = 'e3a7c5d1f9b2'
down_revision: str | None = 'd2e8f4a6b1c3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = {
    "sqlite_where": sa.text("closed_at IS NULL"),
    "postgresql_where": sa.text("closed_at IS NULL"),
}
TIES = ["case_id", "seq", "id", "closed_at"]
ACTION = [
    ("ix_action_open_rag_due", ["rag", "due_date", *TIES]),
    ("ix_action_open_owner_name", ["owner_name", *TIES]),
    ("ix_action_open_partner_name", ["partner_name", *TIES]),
]


def upgrade() -> None:
    for name, columns in ACTION:
        op.create_index(name, "action", columns, unique=False, **OPEN)
    op.create_index("ix_case_board_meeting", "case", ["board_id", "meeting_date"], unique=False)
    op.create_index(
        "ix_escalation_status_raised", "escalation", ["status", "raised_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_escalation_status_raised", table_name="escalation")
    op.drop_index("ix_case_board_meeting", table_name="case")
    for name, _columns in reversed(ACTION):
        op.drop_index(name, table_name="action")
