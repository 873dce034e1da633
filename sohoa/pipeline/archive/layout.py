"""Where each file of a package lives (E-ARK CSIP folder structure) and how it is hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT_METS = "METS.xml"
EAD = "metadata/descriptive/EAD.xml"
PREMIS = "metadata/preservation/PREMIS.xml"
REP = "representations/rep1"
REP_METS = f"{REP}/METS.xml"
DATA = f"{REP}/data"
SCHEMAS = "schemas"
DOCUMENTATION = "documentation"
HANDOVER = f"{DOCUMENTATION}/muc-luc-ho-so-nop-luu.pdf"
"""The dossier's hand-over list with its documents (mục lục hồ sơ, mục lục văn bản)."""
SCHEMA_FILES = ("mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd", "ead.xsd", "premis.xsd")
"""Every XSD a package refers to, copied byte for byte from sohoa's own."""

CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
CONTENT_TYPE = "VN-HoSoTTHC"
"""csip:OTHERCONTENTINFORMATIONTYPE: a one-stop-counter dossier, digitized."""

SHA256 = "SHA-256"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def relative_href(href: str) -> bool:
    """An FLocat/mdRef href that stays inside the package (no scheme, no root, no ``..``)."""
    return bool(href) and "://" not in href and not href.startswith("/") \
        and ".." not in href.split("/")
