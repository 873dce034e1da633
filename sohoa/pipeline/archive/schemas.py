"""Validation against the official schemas with lxml, offline.

The XSDs are sohoa's own copies (``sohoa/domain/archive/schemas``: METS 1.12.1, XLink, the
DILCIS CSIP extension, EAD 2002, PREMIS 3.0). The METS schema imports XLink from its
published URL; a resolver answers that URL (and any other name of a shipped file) from the
local copy, and the parser refuses the network, so validation never reaches out.

METS is validated through a small wrapper schema that imports METS *and* the CSIP extension,
so the ``csip:`` attributes are checked too (METS lets them in with ``processContents="lax"``,
which checks an attribute only when its schema is loaded).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from sohoa.domain.archive import SCHEMA_DIR
from sohoa.pipeline.archive.xmltree import CSIP_NS, EAD_NS, METS_NS, PREMIS_NS, XLINK_NS

SCHEMA_FOR = {METS_NS: "mets.xsd", EAD_NS: "ead.xsd", PREMIS_NS: "premis.xsd",
              XLINK_NS: "xlink.xsd", CSIP_NS: "DILCISExtensionMETS.xsd"}
"""Namespace → the shipped file that defines it."""

_METS_WRAPPER = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="{XLINK_NS}" schemaLocation="xlink.xsd"/>
  <xs:import namespace="{METS_NS}" schemaLocation="mets.xsd"/>
  <xs:import namespace="{CSIP_NS}" schemaLocation="DILCISExtensionMETS.xsd"/>
</xs:schema>
"""


class _ShippedSchemas(etree.Resolver):
    """Answers a schema location by its file name from the shipped copies (the METS
    schema's ``http://www.loc.gov/standards/xlink/xlink.xsd`` becomes ``xlink.xsd``)."""

    def resolve(self, system_url, public_id, context):  # noqa: ANN001, ANN201 - lxml's API
        name = (system_url or "").rstrip("/").rsplit("/", 1)[-1]
        local = SCHEMA_DIR / name
        if name and local.is_file():
            return self.resolve_filename(str(local), context)
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_ShippedSchemas())
    return parser


@cache
def schema(namespace: str) -> etree.XMLSchema:
    """The compiled schema for documents whose root is in ``namespace``."""
    parser = _parser()
    if namespace == METS_NS:
        tree = etree.fromstring(_METS_WRAPPER.encode(), parser,
                                base_url=(SCHEMA_DIR / "wrapper.xsd").as_uri())
    else:
        tree = etree.parse(str(SCHEMA_DIR / SCHEMA_FOR[namespace]), parser).getroot()
    return etree.XMLSchema(tree)


def schema_errors(root: etree._Element) -> list[str]:
    """What the official schema says is wrong with ``root`` (empty: valid)."""
    namespace = etree.QName(root).namespace
    if namespace not in (METS_NS, EAD_NS, PREMIS_NS):
        return [f"không có lược đồ cho phần tử gốc {root.tag}"]
    checker = schema(namespace)
    if checker.validate(root):
        return []
    return [f"dòng {e.line}: {e.message}" for e in checker.error_log]


def shipped_schema(name: str) -> Path:
    return SCHEMA_DIR / name
