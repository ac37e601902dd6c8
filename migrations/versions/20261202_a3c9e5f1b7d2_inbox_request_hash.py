"""inbox request hash: an idempotency key reused for a different request is refused

Revision ID: a3c9e5f1b7d2
Revises: f4c2f34eb6d0
Create Date: 2026-12-02 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'a3c9e5f1b7d2'
down_revision: str | None = 'f4c2f34eb6d0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_command', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('inbox_command', schema=None) as batch_op:
        batch_op.drop_column('request_hash')
