"""Pure digitization library: load → quality → orient → deskew → OCR → classify → segment →
checklist verdict → assemble PDF/A → sign (PAdES).

Stages are small functions that take and return plain values (numpy arrays, bytes,
dataclasses); :mod:`.page` holds the order of the page stages in one place and the
JSON-in, JSON-out page job every process runs. Each external program has its own module
(:mod:`.tesseract`, the PDF tools in :mod:`.load`). Nothing here imports a web framework,
a queue or a database (checked by ``make lint``).

- :mod:`.load` — sniff, probe and decode input files; :mod:`.quality`, :mod:`.orient`,
  :mod:`.deskew`, :mod:`.imaging`, :mod:`.ocr` — the page stages; :mod:`.fastpass` — the
  quick look (title area and QR) the counter uses.
- :mod:`.classify` — page types, documents and the verdict.
- :mod:`.assemble`, :mod:`.document` — the PDF/A with its text layer; :mod:`.sign`,
  :mod:`.signers`, :mod:`.devca`, :mod:`.verify` — PAdES signatures and their check.
- :mod:`.cover`, :mod:`.receipt`, :mod:`.printing` — the papers sohoa prints.
"""
