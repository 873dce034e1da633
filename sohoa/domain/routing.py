"""Routing rules: which agencies decide on — and may read — each procedure's dossiers.

Agency codes differ from one province to the next, so the rules are deployment data
(``SOHOA_ROUTING``, YAML), not code::

    default: [own]                  # "own": the receiving counter's agency (SOHOA_AGENCY)
    procedures:
      "1.003010": [000.00.14.H56, 000.21.14.H56]   # e.g. land: the land registration office

Without a file every dossier is routed to the receiving agency itself.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sohoa.errors import ConfigurationError

OWN = "own"


class RoutingRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    default: list[str] = Field(default=[OWN], min_length=1)
    procedures: dict[str, list[str]] = {}

    def agencies_for(self, procedure_code: str, own_agency: str) -> list[str]:
        """The agencies a dossier of ``procedure_code`` received by ``own_agency`` goes to."""
        chosen = self.procedures.get(procedure_code) or self.default
        return sorted({own_agency if code == OWN else code for code in chosen})


    def agencies(self, own_agency: str) -> set[str]:
        """Every agency the rules name (and the receiving agency)."""
        named = {code for chosen in (self.default, *self.procedures.values())
                 for code in chosen}
        return {own_agency if code == OWN else code for code in named} | {own_agency}


def load_routing(path: Path | None) -> RoutingRules:
    """The rules in ``path``, or the default (route to the receiving agency)."""
    if path is None:
        return RoutingRules()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return RoutingRules.model_validate(data)
    except OSError as exc:
        raise ConfigurationError(f"Không đọc được tệp định tuyến {path}: {exc.strerror}") \
            from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"Tệp định tuyến {path} sai: {exc}") from None
