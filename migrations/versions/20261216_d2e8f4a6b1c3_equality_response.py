"""equality_response: presenters' optional, self-described equality monitoring answers

Revision ID: d2e8f4a6b1c3
Revises: 1ffe36198dde
Create Date: 2026-12-16 05:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = 'd2e8f4a6b1c3'
down_revision: str | None = '1ffe36198dde'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        'equality_response',
        sa.Column('ethnicity', text(), nullable=True),
        sa.Column('ethnicity_described', text(length=200), nullable=True),
        sa.Column('age_band', text(), nullable=True),
        sa.Column('sex', text(), nullable=True),
        sa.Column('sex_described', text(length=200), nullable=True),
        sa.Column('disability', text(), nullable=True),
        sa.Column('religion', text(), nullable=True),
        sa.Column('religion_described', text(length=200), nullable=True),
        sa.Column('declined', sa.Boolean(), nullable=False),
        sa.Column('presenter_id', sa.Uuid(), nullable=False),
        sa.Column('case_id', sa.Uuid(), nullable=False),
        sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('recorded_by', text(length=200), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['presenter_id'], ['presenter.id']),
        sa.PrimaryKeyConstraint('presenter_id'),
    )
    op.create_index(
        op.f('ix_equality_response_case_id'), 'equality_response', ['case_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_equality_response_case_id'), table_name='equality_response')
    op.drop_table('equality_response')
