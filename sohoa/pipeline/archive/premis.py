"""``metadata/preservation/PREMIS.xml`` (PREMIS 3.0): each signed PDF/A as an object with
its SHA-256 fixity and format, the events that made and moved it (scanned, digitized,
signed, validated, exported) and the agents who did them.

Identifiers are derived from the content (``representations/rep1/data/<file>``, ``event-…``,
agent names), never random, so a second export describes the same objects the same way.
"""

from __future__ import annotations

from lxml import etree

from sohoa.domain.archive.models import ArchivalFile, PackageEvent
from sohoa.pipeline.archive.layout import DATA, SHA256
from sohoa.pipeline.archive.xmltree import (
    PREMIS_NS,
    XSI_NS,
    XSI_SCHEMA_LOCATION,
    iso_time,
    qname,
    serialise,
    sub,
)

SCHEMA_LOCATION = f"{PREMIS_NS} ../../schemas/premis.xsd"
FORMAT_NAME = "Acrobat PDF/A - Portable Document Format"
FORMAT_VERSION = "2b"
PRONOM_PDFA_2B = "fmt/477"
LOCAL = "local"


def object_id(file_name: str) -> str:
    """A document's PREMIS object identifier: its path in the package."""
    return f"{DATA}/{file_name}"


def premis_xml(record: ArchivalFile, events: list[PackageEvent],
               agents: list[tuple[str, str]]) -> bytes:
    """``agents``: (name, PREMIS agent type) of everyone the events name."""
    root = etree.Element(qname(PREMIS_NS, "premis"), nsmap={None: PREMIS_NS, "xsi": XSI_NS},
                         version="3.0")
    root.set(XSI_SCHEMA_LOCATION, SCHEMA_LOCATION)
    for document in record.documents:
        _file_object(root, document.file_name, document.sha256, document.size)
    by_ordinal = {d.ordinal: d.file_name for d in record.documents}
    for number, event in enumerate(events, start=1):
        _event(root, number, event, [by_ordinal[n] for n in event.ordinals])
    for name, kind in agents:
        agent = sub(root, "agent")
        identifier = sub(agent, "agentIdentifier")
        sub(identifier, "agentIdentifierType", LOCAL)
        sub(identifier, "agentIdentifierValue", name)
        sub(agent, "agentName", name)
        sub(agent, "agentType", kind)
    return serialise(root)


def _file_object(root: etree._Element, file_name: str, sha256: str, size: int) -> None:
    obj = sub(root, "object")
    obj.set(qname(XSI_NS, "type"), "file")
    identifier = sub(obj, "objectIdentifier")
    sub(identifier, "objectIdentifierType", LOCAL)
    sub(identifier, "objectIdentifierValue", object_id(file_name))
    characteristics = sub(obj, "objectCharacteristics")
    sub(characteristics, "compositionLevel", "0")
    fixity = sub(characteristics, "fixity")
    sub(fixity, "messageDigestAlgorithm", SHA256)
    sub(fixity, "messageDigest", sha256)
    sub(characteristics, "size", str(size))
    form = sub(characteristics, "format")
    designation = sub(form, "formatDesignation")
    sub(designation, "formatName", FORMAT_NAME)
    sub(designation, "formatVersion", FORMAT_VERSION)
    registry = sub(form, "formatRegistry")
    sub(registry, "formatRegistryName", "PRONOM")
    sub(registry, "formatRegistryKey", PRONOM_PDFA_2B)
    sub(obj, "originalName", file_name)


def _event(root: etree._Element, number: int, event: PackageEvent,
           files: list[str]) -> None:
    element = sub(root, "event")
    identifier = sub(element, "eventIdentifier")
    sub(identifier, "eventIdentifierType", LOCAL)
    sub(identifier, "eventIdentifierValue", f"event-{number:03d}")
    sub(element, "eventType", event.event_type)
    sub(element, "eventDateTime", iso_time(event.at))
    sub(sub(element, "eventDetailInformation"), "eventDetail", event.detail)
    sub(sub(element, "eventOutcomeInformation"), "eventOutcome", event.outcome)
    agent = sub(element, "linkingAgentIdentifier")
    sub(agent, "linkingAgentIdentifierType", LOCAL)
    sub(agent, "linkingAgentIdentifierValue", event.agent)
    for name in files:
        linked = sub(element, "linkingObjectIdentifier")
        sub(linked, "linkingObjectIdentifierType", LOCAL)
        sub(linked, "linkingObjectIdentifierValue", object_id(name))
