"""sessions as known: month-only meeting dates, noted items, summaries of what was said

Revision ID: b5e2d7c9a41f
Revises: a3c9e5f1b7d2
Create Date: 2026-12-10 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import models.base
from alembic import op


revision: str = 'b5e2d7c9a41f'
down_revision: str | None = 'a3c9e5f1b7d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('meeting_month_only', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('noted', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'said_summary',
        sa.Column('case_id', sa.Uuid(), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column('written_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('written_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('approved_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.PrimaryKeyConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('said_summary')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('noted')
        batch_op.drop_column('meeting_month_only')
