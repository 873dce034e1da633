"""The applicant (người nộp hồ sơ) kept with the dossier: name, address, contact and the name
folded for search, so that what the clerk types on a paper is listed and found later, and the
work list searches in SQL instead of reading every dossier's scans.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("applicant_name", sa.Text(), nullable=True))
        batch.add_column(sa.Column("applicant_address", sa.Text(), nullable=True))
        batch.add_column(sa.Column("applicant_contact", sa.Text(), nullable=True))
        batch.add_column(sa.Column("applicant_folded", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("applicant_folded")
        batch.drop_column("applicant_contact")
        batch.drop_column("applicant_address")
        batch.drop_column("applicant_name")
