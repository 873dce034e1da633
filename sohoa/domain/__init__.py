"""The domain: what a dossier, a procedure, a checklist, a verdict, a correction and a plan
are, independent of how they are scanned, stored or shown.

Pydantic models and plain values that cross every layer (stored as JSON, sent over queues,
returned by the API), with the catalog data an administrator edits beside them
(``procedures.yaml``, ``retention.yaml``, ``holidays.yaml``). Nothing here imports the
pipeline, storage or any framework: only :mod:`sohoa.errors`, :mod:`sohoa.settings` and
:mod:`sohoa.clock` sit below it.
"""
