"""erasure: presenters erased, by pseudonym

Revision ID: c7d1e3a9b5f2
Revises: 7301d1e925ab
Create Date: 2026-12-12 04:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = 'c7d1e3a9b5f2'
down_revision: str | None = '7301d1e925ab'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'erasure',
        sa.Column('presenter_id', sa.Uuid(), nullable=False),
        sa.Column('case_id', sa.Uuid(), nullable=False),
        sa.Column('pseudonym', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('erased_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('erased_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.PrimaryKeyConstraint('presenter_id'),
        sa.UniqueConstraint('pseudonym'),
    )
    op.create_index(op.f('ix_erasure_case_id'), 'erasure', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_erasure_case_id'), table_name='erasure')
    op.drop_table('erasure')
