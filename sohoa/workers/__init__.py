"""The scale profile's side of the queue: dramatiq and its broker.

- :mod:`.broker` — a Redis or RabbitMQ broker from the settings, tuned so a dead worker's
  message comes back in seconds, and checked before use.
- :mod:`.actors` — one thin actor per processing step and lane (``counter`` before
  ``backlog``), each calling :func:`sohoa.processing.steps.run_step`; and the
  :class:`~.actors.Dispatcher` that sends messages (:func:`~.actors.connect`).
- :mod:`.entry` — the module dramatiq's worker processes import; :mod:`.sweeper` — the
  process beside them that resumes batches left idle; :mod:`.run` — what ``sohoa worker``
  does before it starts dramatiq, and the supervisor that restarts it.

On the embedded default none of this loads: the same steps run in-process
(:mod:`sohoa.processing.embedded`).

Importing the package quiets the libraries that log at INFO on import or per file
(alembic's plugin set-up, pikepdf, fontTools): dramatiq has configured logging at INFO by
then, and every worker and sweeper process would start with a screenful of them.
"""

import logging

QUIET_LOGGERS = ("alembic", "fontTools", "pikepdf", "pyhanko")
"""Libraries that log every plugin, subset font and migration at INFO."""

for _name in QUIET_LOGGERS:
    logging.getLogger(_name).setLevel(logging.WARNING)
logging.getLogger("pyhanko").setLevel(logging.ERROR)
