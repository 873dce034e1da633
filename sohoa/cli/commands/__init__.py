"""One module per ``sohoa`` sub-command; :data:`NAMES` in the order ``sohoa --help`` lists
them.

Each module has ``NAME``, ``add_parser(sub)`` (options and Vietnamese help) and
``run(args, settings) -> int`` (exit code), which only parses and calls the services.
:func:`sohoa.cli.main.main` imports only the module of the command it runs (``sohoa
catalog`` need not load the OCR, signing and database stacks), and all of them for
``sohoa --help``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES = ("digitize", "intake", "worker", "dossier", "review", "refuse", "scanners", "watch",
         "receipt", "recover", "verify", "classify", "train", "cover", "catalog", "types",
         "demo", "scrub", "fetch", "archive", "serve", "search", "reindex", "user", "token",
         "audit", "route", "result", "reuse", "portal", "settings")


def command(name: str) -> ModuleType:
    """The module of sub-command ``name`` (one of :data:`NAMES`)."""
    return importlib.import_module(f"{__name__}.{name}")
