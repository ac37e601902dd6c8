"""history as recorded: an imported action's status, date done and comment; when taken on

Revision ID: c7d1e4a2f9b3
Revises: c7f3a1d9e2b4
Create Date: 2026-12-15 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import models.base
from alembic import op


revision: str = 'c7d1e4a2f9b3'
down_revision: str | None = 'c7f3a1d9e2b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORDED_STATUS = sa.Enum(
    'done', 'in_progress', 'not_known', name='recordedstatus', native_enum=False, length=40
)


def upgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_status', RECORDED_STATUS, nullable=True))
        batch_op.add_column(sa.Column('recorded_done_on', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('recorded_comment', sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column('taken_on_at', models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('taken_on_at')
        batch_op.drop_column('recorded_comment')
        batch_op.drop_column('recorded_done_on')
        batch_op.drop_column('recorded_status')
