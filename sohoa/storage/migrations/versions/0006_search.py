"""Archivist search: the full-text index of the OCR text of every stored document's pages.

SQLite: an FTS5 virtual table (its rowid is the page's id) with the page's link as UNINDEXED
columns, stored first so reading them never touches the long text, then two indexed
columns: the words as written and the words folded (no diacritics, đ → d), both prepared in
Python (sohoa.search.textfold) and tokenized by ``unicode61 remove_diacritics 0``.

PostgreSQL: a table with the same link and two ``tsvector`` columns (the same two forms, built
in Python from the same words with their positions — no ``unaccent`` extension needed,
equivalent to the ``simple`` configuration), used to check phrases and to rank, and a third,
``keys``, the only one with a GIN index: the folded words, the words with diacritics marked
``=``, and each two consecutive folded words ("uy ban"), without positions. Every condition
of a search but a phrase of three words or more is then answered by that one index (a GIN
index keeps no positions: checking ``<->`` or a second column's index means reading each
candidate page's vectors, ~8 µs a page).

The index starts empty: ``sohoa reindex`` fills it from the catalog.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_FTS5 = """
CREATE VIRTUAL TABLE search_pages USING fts5(
    dossier_id UNINDEXED, ordinal UNINDEXED, page_number UNINDEXED, exact, folded,
    tokenize = 'unicode61 remove_diacritics 0'
)
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute(SQLITE_FTS5)
        return
    op.create_table(
        "search_pages",
        sa.Column("page_id", sa.Integer(),
                  sa.ForeignKey("pages.id", ondelete="CASCADE",
                                name="fk_search_pages_page_id_pages"), primary_key=True),
        sa.Column("dossier_id", sa.Integer(),
                  sa.ForeignKey("dossiers.id", ondelete="CASCADE",
                                name="fk_search_pages_dossier_id_dossiers"), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("exact", TSVECTOR(), nullable=False),
        sa.Column("folded", TSVECTOR(), nullable=False),
        sa.Column("keys", TSVECTOR(), nullable=False),
    )
    op.create_index("ix_search_pages_dossier_id", "search_pages", ["dossier_id"])
    op.create_index("ix_search_pages_keys", "search_pages", ["keys"], postgresql_using="gin")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_pages")
