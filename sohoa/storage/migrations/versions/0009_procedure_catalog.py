"""The national procedure catalog: imports with their parse report, the imported procedures,
and the administrator's corrections kept apart (keyed by procedure code and item id) so they
survive a re-import.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def UtcDateTime() -> sa.DateTime:  # noqa: N802 - reads like the model's column type
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "procedure_imports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("procedures", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
    )
    op.create_table(
        "national_procedures",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(256), nullable=False),
        sa.Column("import_id", sa.Integer(),
                  sa.ForeignKey("procedure_imports.id", ondelete="CASCADE",
                                name="fk_national_procedures_import_id_procedure_imports"),
                  nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_national_procedures_import_id", "national_procedures", ["import_id"])
    op.create_table(
        "procedure_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("procedure_code", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(128), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("procedure_code", "item_id", "field",
                            name="uq_procedure_corrections_procedure_code_item_id_field"),
    )
    op.create_index("ix_procedure_corrections_procedure_code", "procedure_corrections",
                    ["procedure_code"])


def downgrade() -> None:
    op.drop_table("procedure_corrections")
    op.drop_table("national_procedures")
    op.drop_table("procedure_imports")
