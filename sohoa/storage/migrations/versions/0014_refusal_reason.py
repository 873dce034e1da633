"""The counter's refusal, kept with the dossier: its reason and when (Phiếu từ chối tiếp nhận,
giải quyết hồ sơ, Mẫu 03 of Thông tư 01/2018/TT-VPCP).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("refusal_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("refused_at")
        batch.drop_column("refusal_reason")
