"""Work state in the catalog: batches of scans, page states and results, file errors.

The catalog is the source of truth for what is done; queues only carry work. Pages are now
recorded when a batch is received (state ``pending``) and completed by whichever worker
processes them; existing rows were finished by the old in-process intake, hence ``done``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("lane", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("first_page", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("first_ordinal", sa.Integer(), nullable=True),
        sa.Column("overrides", sa.JSON(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("touched_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE",
                                name=op.f("fk_batches_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint("dossier_id", "number", name=op.f("uq_batches_dossier_id_number")),
    )
    op.create_index(op.f("ix_batches_state"), "batches", ["state"])
    with op.batch_alter_table("raw_scans") as batch:
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_raw_scans_batch_id"), ["batch_id"])
        batch.create_foreign_key(op.f("fk_raw_scans_batch_id_batches"), "batches",
                                 ["batch_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("state", sa.String(length=16), server_default="done",
                                   nullable=False))
        batch.add_column(sa.Column("failure", sa.Text(), nullable=True))
        batch.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch.create_index(op.f("ix_pages_batch_id"), ["batch_id"])
        batch.create_foreign_key(op.f("fk_pages_batch_id_batches"), "batches", ["batch_id"],
                                 ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_constraint(op.f("fk_pages_batch_id_batches"), type_="foreignkey")
        batch.drop_index(op.f("ix_pages_batch_id"))
        batch.drop_column("result")
        batch.drop_column("failure")
        batch.drop_column("state")
        batch.drop_column("batch_id")
    with op.batch_alter_table("raw_scans") as batch:
        batch.drop_constraint(op.f("fk_raw_scans_batch_id_batches"), type_="foreignkey")
        batch.drop_index(op.f("ix_raw_scans_batch_id"))
        batch.drop_column("batch_id")
        batch.drop_column("error")
    op.drop_index(op.f("ix_batches_state"), table_name="batches")
    op.drop_table("batches")
