"""Archive packages (E-ARK CSIP: METS + EAD + PREMIS) written and checked, without a database.

``layout.py`` names the package's files; ``xmltree.py`` the namespaces and the deterministic
serialisation; ``ead.py``, ``premis.py``, ``mets.py`` write the three kinds of metadata;
``schemas.py`` validates them with lxml against the XSDs shipped in
``sohoa/domain/archive/schemas``; ``package.py`` writes a package folder and its zip;
``check.py`` is ``sohoa archive verify``; ``handover.py`` the hand-over list PDF (mục lục hồ sơ
nộp lưu). The service (``sohoa.services.archive``) gathers the data from the catalog.
"""
