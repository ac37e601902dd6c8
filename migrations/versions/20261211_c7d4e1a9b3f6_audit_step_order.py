"""audit step order: the timeline keeps the order of the events one step recorded

Revision ID: c7d4e1a9b3f6
Revises: c7d1e3a9b5f2
Create Date: 2026-12-02 04:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c7d4e1a9b3f6'
down_revision: str | None = 'c7d1e3a9b5f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('step_order', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('step_order')
