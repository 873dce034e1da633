"""The scale profile's side of the queue: dramatiq and its broker.

- :mod:`.broker` — a Redis or RabbitMQ broker from the settings, tuned so a dead worker's
  message comes back in seconds, and checked before use.
- :mod:`.actors` — one thin actor per processing step and lane (``counter`` before
  ``backlog``), each calling :func:`sohoa.processing.steps.run_step`; and the
  :class:`~.actors.Dispatcher` that sends messages (:func:`~.actors.connect`).
- :mod:`.entry` — the module dramatiq's worker processes import; :mod:`.sweeper` — the
  process beside them that resumes batches left idle; :mod:`.run` — what ``sohoa worker``
  does before it becomes dramatiq's master process.

On the embedded default none of this loads: the same steps run in-process
(:mod:`sohoa.processing.embedded`).
"""
