"""What an archive package (gói thông tin nộp lưu) says about a dossier, as plain models.

``models.py`` holds the archival description of a dossier (hồ sơ) and its documents with the
fields of Decree 30/2020/NĐ-CP Appendix VI, Circular 02/2019/TT-BNV and Circular
05/2025/TT-BNV; ``codes.py`` the coded values (retention 01–06, confidence level); ``schemas/``
the official XSDs every package carries (METS 1.12.1, PREMIS 3.0, EAD 2002, the DILCIS CSIP
extension), shipped so that nothing is fetched at run time. Writing and checking the XML is
``sohoa.pipeline.archive``.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_DIR = Path(__file__).with_name("schemas")
"""The XSDs shipped with sohoa (see ``schemas/README.md`` for where each came from)."""
