"""Results of dossiers (kết quả giải quyết) with their metadata, and the hand-over to the
citizen (issue 16).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def UtcDateTime() -> sa.DateTime:  # noqa: N802 - reads like the model's column type
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dossier_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(),
                  sa.ForeignKey("dossiers.id", ondelete="CASCADE",
                                name="fk_dossier_results_dossier_id_dossiers"),
                  nullable=False),
        sa.Column("document_id", sa.Integer(),
                  sa.ForeignKey("documents.id",
                                name="fk_dossier_results_document_id_documents"),
                  nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("kept_as_received", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(128), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("document_id", name="uq_dossier_results_document_id"),
    )
    op.create_index("ix_dossier_results_dossier_id", "dossier_results", ["dossier_id"])
    op.create_table(
        "dossier_handovers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(),
                  sa.ForeignKey("dossiers.id", ondelete="CASCADE",
                                name="fk_dossier_handovers_dossier_id_dossiers"),
                  nullable=False),
        sa.Column("recipient", sa.String(256), nullable=False),
        sa.Column("recipient_id", sa.String(32), nullable=False),
        sa.Column("handed_by", sa.String(128), nullable=False),
        sa.Column("handed_at", UtcDateTime(), nullable=False),
        sa.Column("receipt_number", sa.String(96), nullable=False),
        sa.UniqueConstraint("dossier_id", name="uq_dossier_handovers_dossier_id"),
        sa.UniqueConstraint("receipt_number", name="uq_dossier_handovers_receipt_number"),
    )


def downgrade() -> None:
    op.drop_table("dossier_handovers")
    op.drop_index("ix_dossier_results_dossier_id", "dossier_results")
    op.drop_table("dossier_results")
