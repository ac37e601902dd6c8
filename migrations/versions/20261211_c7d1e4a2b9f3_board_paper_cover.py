"""board paper cover sheet: agenda item, author, presenter, purpose, recommendation

Revision ID: c7d1e4a2b9f3
Revises: e3a7c5d1f9b2
Create Date: 2026-12-11 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'c7d1e4a2b9f3'
down_revision: str | None = 'e3a7c5d1f9b2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    'paper_agenda_item': 200,
    'paper_author': 200,
    'paper_presenter': 200,
    'paper_purpose': 1000,
    'paper_recommendation': 2000,
}


def upgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        for name, length in COLUMNS.items():
            batch_op.add_column(
                sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=True)
            )


def downgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
