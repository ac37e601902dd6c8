"""consent

Revision ID: 1ffe36198dde
Revises: c7d4e1a9b3f6
Create Date: 2026-12-02 04:42:21.640970
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base


revision: str = '1ffe36198dde'
down_revision: str | None = 'c7d4e1a9b3f6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('presenter_consent',
    sa.Column('named_in_public', sa.Enum('yes', 'no', 'not_asked', name='consentanswer', native_enum=False, length=40), nullable=False),
    sa.Column('contact_about_outcomes', sa.Enum('yes', 'no', 'not_asked', name='consentanswer', native_enum=False, length=40), nullable=False),
    sa.Column('presenter_id', sa.Uuid(), nullable=False),
    sa.Column('given_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('given_how', sa.Enum('in_person', 'email_link', 'paper', 'recorded_by_staff', name='consentroute', native_enum=False, length=40), nullable=True),
    sa.Column('withdrawn_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['presenter_id'], ['presenter.id'], ),
    sa.PrimaryKeyConstraint('presenter_id')
    )
    # Today's tick carried over honestly: ticked is "yes", recorded by staff, when unknown;
    # not ticked is "not asked" (nobody recorded asking). Contact about outcomes: not asked.
    op.execute(
        sa.text(
            "INSERT INTO presenter_consent (presenter_id, named_in_public, contact_about_outcomes,"
            " given_at, given_how, withdrawn_at, recorded_by, updated_at) "
            "SELECT id, CASE WHEN consent_to_publish_name THEN 'yes' ELSE 'not_asked' END,"
            " 'not_asked', NULL,"
            " CASE WHEN consent_to_publish_name THEN 'recorded_by_staff' ELSE NULL END,"
            " NULL, NULL, CURRENT_TIMESTAMP FROM presenter"
        )
    )


def downgrade() -> None:
    op.drop_table('presenter_consent')
