"""The work of turning a received batch of scans into signed documents, as steps.

Each step is a plain function ``step(context, payload) -> follow-up messages``: it reads
what it needs from the catalog and the object store, calls the pure pipeline, records the
result in the catalog, and says what should run next. Only plain JSON travels in a message
(:mod:`.messages`), so the same steps run in-process on the embedded default
(:mod:`.embedded`) and as dramatiq actors on many machines (:mod:`sohoa.workers.actors`).

Every step is idempotent (see :mod:`sohoa.storage.batches`): a message delivered twice does
its work once, and a step can always be re-run from the catalog (:mod:`.recovery`).
"""
