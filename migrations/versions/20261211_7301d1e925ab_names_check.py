"""names check and the officials setting

Revision ID: 7301d1e925ab
Revises: c7d1e4a2f9b3
Create Date: 2026-12-02 04:14:19.529965
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base


revision: str = '7301d1e925ab'
down_revision: str | None = 'c7d1e4a2f9b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    
    op.create_table('public_text_decision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('report_id', sa.Uuid(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('kind', sa.Enum('presenter', 'owner', 'named_person', 'email', 'phone', 'curation_note', name='findingkind', native_enum=False, length=40), nullable=False),
    sa.Column('person_ref', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('decision', sa.Enum('consent', 'replace', 'remove', 'keep', name='decision', native_enum=False, length=40), nullable=False),
    sa.Column('replacement', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('public_text_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_text_decision_report_id'), ['report_id'], unique=False)

    op.create_table('report_named_person',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('report_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('added_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_named_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_named_person_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officials_in_public', sa.Enum('named', 'role_only', name='officialsinpublic', native_enum=False, length=40), nullable=False, server_default='named'))




def downgrade() -> None:
    
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('officials_in_public')

    with op.batch_alter_table('report_named_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_named_person_report_id'))

    op.drop_table('report_named_person')
    with op.batch_alter_table('public_text_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_text_decision_report_id'))

    op.drop_table('public_text_decision')

