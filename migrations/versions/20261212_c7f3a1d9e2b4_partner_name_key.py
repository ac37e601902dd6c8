"""partner name_key: one partner per name in any case or Unicode form

Revision ID: c7f3a1d9e2b4
Revises: b5e2d7c9a41f
Create Date: 2026-12-12 10:00:00.000000
"""
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'c7f3a1d9e2b4'
down_revision: str | None = 'b5e2d7c9a41f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    # models.text.name_key as it was when this migration was written (migrations keep their own).
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='')
        )
    connection = op.get_bind()
    partner = sa.table('partner', sa.column('id', sa.Uuid()), sa.column('name', sa.String()),
                       sa.column('name_key', sa.String()))
    taken: set[str] = set()
    for row in connection.execute(sa.select(partner.c.id, partner.c.name).order_by(partner.c.name)):
        key = _key(row.name)
        # Names that were distinct only in non-ASCII case: the later keeps a distinct key.
        unique, n = key, 1
        while unique in taken:
            n += 1
            unique = f"{key} ({n})"
        taken.add(unique)
        connection.execute(partner.update().where(partner.c.id == row.id).values(name_key=unique))
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.alter_column('name_key', server_default=None)
        batch_op.create_index(batch_op.f('ix_partner_name_key'), ['name_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_name_key'))
        batch_op.drop_column('name_key')
