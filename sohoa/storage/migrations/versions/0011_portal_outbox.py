"""The national portal outbox: every status change and new document of a dossier, numbered
per dossier, written in the transaction that made it and delivered by a sender (issue 16).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def UtcDateTime() -> sa.DateTime:  # noqa: N802 - reads like the model's column type
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("portal_sequence", sa.Integer(), nullable=False,
                                   server_default="0"))
    op.create_table(
        "portal_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(),
                  sa.ForeignKey("dossiers.id", ondelete="CASCADE",
                                name="fk_portal_outbox_dossier_id_dossiers"),
                  nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("claimed_until", UtcDateTime(), nullable=True),
        sa.Column("claim", sa.String(32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("dossier_id", "sequence",
                            name="uq_portal_outbox_dossier_id_sequence"),
    )
    op.create_index("ix_portal_outbox_state", "portal_outbox", ["state"])


def downgrade() -> None:
    op.drop_index("ix_portal_outbox_state", "portal_outbox")
    op.drop_table("portal_outbox")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("portal_sequence")
