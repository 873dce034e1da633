"""Where dossiers end up: the object store (bytes) and the catalog (what exists, and where).

- :mod:`.objects` — the :class:`~.objects.ObjectStore` contract, key rules and the dossier
  key layout; :mod:`.local` (a directory), :mod:`.s3` (any S3: SeaweedFS, MinIO) and
  :mod:`.memory` (tests) implement it; :mod:`.stores` picks one from the settings.
- :mod:`.session` — the unit of work every catalog service shares (one transaction, the
  database's failures mapped to typed errors); :mod:`.db` — engines and ``migrate``;
  :mod:`.models` — the SQLAlchemy tables (they never leave this package's sessions).
- :mod:`.catalog` (dossiers, raw scans, documents, pages), :mod:`.batches` (work state),
  :mod:`.accounts`, :mod:`.audit`, :mod:`.routing`, :mod:`.retention`, :mod:`.inventory`
  — services of short methods, each one transaction, returning plain :mod:`.records`.

Importing this package imports nothing; SQLAlchemy loads with :mod:`.catalog` / :mod:`.db`.
"""
