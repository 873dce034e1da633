"""Initial catalog: dossiers, raw scans, documents, pages and daily dossier sequences.

Revision ID: 0001
Revises:
Create Date: 2025-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("procedure_code", sa.String(length=32), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.SmallInteger(), server_default="2", nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint("status BETWEEN 1 AND 10", name=op.f("ck_dossiers_status_code")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("code", name=op.f("uq_dossiers_code")),
    )
    op.create_index(op.f("ix_dossiers_agency_code"), "dossiers", ["agency_code"])
    op.create_index(op.f("ix_dossiers_received_at"), "dossiers", ["received_at"])

    op.create_table(
        "dossier_sequences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_sequences")),
        sa.UniqueConstraint(
            "agency_code", "day", name=op.f("uq_dossier_sequences_agency_code_day")
        ),
    )

    op.create_table(
        "raw_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("object_key", sa.String(length=1024), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=512), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_raw_scans_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_scans")),
        sa.UniqueConstraint("object_key", name=op.f("uq_raw_scans_object_key")),
    )
    op.create_index(op.f("ix_raw_scans_dossier_id"), "raw_scans", ["dossier_id"])

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=64), server_default="khac", nullable=False),
        sa.Column("title", sa.String(length=512), nullable=False),
        sa.Column("object_key", sa.String(length=1024), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("signed_at", _utc(), nullable=True),
        sa.Column("signer", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_documents_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("dossier_id", "ordinal", name=op.f("uq_documents_dossier_id_ordinal")),
        sa.UniqueConstraint("object_key", name=op.f("uq_documents_object_key")),
    )

    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("raw_scan_id", sa.Integer(), nullable=False),
        sa.Column("index_in_dossier", sa.Integer(), nullable=False),
        sa.Column("source_page_index", sa.Integer(), nullable=False),
        sa.Column("rotation", sa.SmallInteger(), nullable=False),
        sa.Column("deskew_angle", sa.Float(), nullable=False),
        sa.Column("dpi", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_pages_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_pages_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["raw_scan_id"], ["raw_scans.id"], name=op.f("fk_pages_raw_scan_id_raw_scans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint(
            "dossier_id", "index_in_dossier", name=op.f("uq_pages_dossier_id_index_in_dossier")
        ),
    )
    op.create_index(op.f("ix_pages_document_id"), "pages", ["document_id"])
    op.create_index(op.f("ix_pages_raw_scan_id"), "pages", ["raw_scan_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_pages_raw_scan_id", "pages"),
        ("ix_pages_document_id", "pages"),
    ):
        op.drop_index(op.f(index), table_name=table)
    op.drop_table("pages")
    op.drop_table("documents")
    op.drop_index(op.f("ix_raw_scans_dossier_id"), table_name="raw_scans")
    op.drop_table("raw_scans")
    op.drop_table("dossier_sequences")
    op.drop_index(op.f("ix_dossiers_received_at"), table_name="dossiers")
    op.drop_index(op.f("ix_dossiers_agency_code"), table_name="dossiers")
    op.drop_table("dossiers")
