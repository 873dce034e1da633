"""Page classification: QR codes, title rules, a learned model → a document type per page;
then segmentation of the page stream into documents (see :mod:`.segment`)."""
