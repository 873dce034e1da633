"""Namespaces, element helpers and the one way every package XML is serialised.

Serialisation is deterministic (same tree → same bytes: attribute order as written, UTF-8,
pretty-printed, no timestamps of its own), so that exporting a dossier twice gives the same
files apart from the package id and dates.
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from sohoa.clock import VIETNAM

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
EAD_NS = "urn:isbn:1-931666-22-9"
PREMIS_NS = "http://www.loc.gov/premis/v3"

XSI_SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"


def qname(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def sub(parent: etree._Element, tag: str, text: str | None = None,
        **attributes: str) -> etree._Element:
    """A child element in the parent's namespace (``tag`` may be a full ``{ns}name``)."""
    if not tag.startswith("{"):
        tag = qname(etree.QName(parent).namespace or "", tag)
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def iso_time(moment: datetime) -> str:
    """xs:dateTime in Vietnam time, to the second (``2026-03-05T10:00:00+07:00``)."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def iso_date(day: date) -> str:
    return day.isoformat()


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def parse(data: bytes) -> etree._Element:
    """Parse untrusted package XML: no network, no entity expansion, no DTD loading."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    return etree.fromstring(data, parser)
