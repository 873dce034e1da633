"""The national catalog of administrative procedures: reading what the national database
publishes (the portal's crawled pages, the LayThuTuc machine format) into procedures with
checklists, the parse report that says what could not be read cleanly, the administrator's
corrections that outlive a re-import, and the compact copy the package ships.

Pure: no database, no network. Storage of imports and corrections is in
``sohoa/storage/procedures.py``; the use cases in ``sohoa/services/procedures.py``.
"""
