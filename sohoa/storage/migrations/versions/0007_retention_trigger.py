"""The database itself keeps documents under retention: a trigger refuses to delete a
``documents`` row whose ``retain_until`` is unset (permanent) or still ahead — whether the
DELETE names the row or reaches it through its dossier's ON DELETE CASCADE, and whoever
sends it (the catalog's own guard, :mod:`sohoa.storage.retention`, only sees sohoa's
statements).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SQLITE = """
CREATE TRIGGER documents_retained BEFORE DELETE ON documents
WHEN OLD.retain_until IS NULL OR OLD.retain_until > strftime('%Y-%m-%d %H:%M:%f', 'now')
BEGIN SELECT RAISE(ABORT, 'document under retention'); END
"""
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION documents_retained() RETURNS trigger AS $$
BEGIN
  IF OLD.retain_until IS NULL OR OLD.retain_until > now() THEN
    RAISE EXCEPTION 'document under retention';
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER documents_retained BEFORE DELETE ON documents
FOR EACH ROW EXECUTE FUNCTION documents_retained()
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        op.execute(SQLITE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS documents_retained ON documents")
        op.execute("DROP FUNCTION IF EXISTS documents_retained()")
    else:
        op.execute("DROP TRIGGER IF EXISTS documents_retained")
