"""Classification results: the verdict on the dossier, the type of each page, the checklist
item each document fills.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("verdict", sa.JSON(), nullable=True))
    op.add_column("dossiers", sa.Column("complete", sa.Boolean(), nullable=True))
    op.add_column("documents", sa.Column("item_id", sa.String(length=64), nullable=True))
    op.add_column("pages", sa.Column("doc_type", sa.String(length=64), nullable=True))
    op.add_column("pages", sa.Column("doc_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("doc_confidence")
        batch.drop_column("doc_type")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("item_id")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("complete")
        batch.drop_column("verdict")
