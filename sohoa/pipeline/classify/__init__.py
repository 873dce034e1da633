"""What each page is, and whether the dossier is complete: QR codes (:mod:`.qr`), title and
form-number rules (:mod:`.rules`, :mod:`.text`), a learned model (:mod:`.learned`) → a
document type per page (:mod:`.classifier`); the page stream cut into documents
(:mod:`.segment`); the documents judged against the procedure's checklist
(:mod:`.verdict`); all of it for one dossier in :mod:`.analysis`."""
