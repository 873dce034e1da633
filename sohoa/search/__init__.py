"""Archivist search over the OCR text of stored documents: :mod:`.textfold` (Vietnamese
words cut, diacritics folded, queries parsed, snippets), :mod:`.index` (the one API: index a
document, search with filters and an agency's restriction), :mod:`.sqlite` (FTS5) and
:mod:`.postgres` (``tsvector`` + GIN) — the only SQL that differs —, :mod:`.rows` (what they
exchange) and :mod:`.response` (the JSON answer of ``GET /api/v1/search``).

It sits above :mod:`sohoa.storage`: it reads the catalog's tables, and the catalog calls its
indexer (handed over by :func:`sohoa.processing.context.open_catalog`) inside the
transaction that records a document.
"""
