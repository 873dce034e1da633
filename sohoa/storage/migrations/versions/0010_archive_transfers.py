"""Archive hand-over: each package a dossier was exported in (đã nộp lưu), append-only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_transfers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(),
                  sa.ForeignKey("dossiers.id", ondelete="CASCADE",
                                name="fk_archive_transfers_dossier_id_dossiers"),
                  nullable=False),
        sa.Column("package_id", sa.String(256), nullable=False),
        sa.Column("package_type", sa.String(8), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("zip_sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("package_id", name="uq_archive_transfers_package_id"),
    )
    op.create_index("ix_archive_transfers_dossier_id", "archive_transfers", ["dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_archive_transfers_dossier_id", "archive_transfers")
    op.drop_table("archive_transfers")
