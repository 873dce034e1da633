"""The store of digitized papers by citizen, and the clerk's reuse decisions (issue 16).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def UtcDateTime() -> sa.DateTime:  # noqa: N802 - reads like the model's column type
    return sa.DateTime(timezone=True)


def _dossier_fk(table: str) -> sa.Column:
    return sa.Column("dossier_id", sa.Integer(),
                     sa.ForeignKey("dossiers.id", ondelete="CASCADE",
                                   name=f"fk_{table}_dossier_id_dossiers"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(12), nullable=True))
        batch.create_index("ix_dossiers_owner_id", ["owner_id"])
    op.create_table(
        "citizen_papers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.String(12), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        _dossier_fk("citizen_papers"),
        sa.Column("document_id", sa.Integer(),
                  sa.ForeignKey("documents.id", name="fk_citizen_papers_document_id_documents"),
                  nullable=False),
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("issuing_agency", sa.String(256), nullable=False),
        sa.Column("number", sa.String(128), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("code", name="uq_citizen_papers_code"),
        sa.UniqueConstraint("document_id", name="uq_citizen_papers_document_id"),
    )
    op.create_index("ix_citizen_papers_owner_id", "citizen_papers", ["owner_id"])
    op.create_table(
        "paper_reuses",
        sa.Column("id", sa.Integer(), primary_key=True),
        _dossier_fk("paper_reuses"),
        sa.Column("item_id", sa.String(128), nullable=False),
        sa.Column("paper_id", sa.Integer(),
                  sa.ForeignKey("citizen_papers.id",
                                name="fk_paper_reuses_paper_id_citizen_papers"),
                  nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("dossier_id", "item_id",
                            name="uq_paper_reuses_dossier_id_item_id"),
    )


def downgrade() -> None:
    op.drop_table("paper_reuses")
    op.drop_index("ix_citizen_papers_owner_id", "citizen_papers")
    op.drop_table("citizen_papers")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_index("ix_dossiers_owner_id")
        batch.drop_column("owner_id")
