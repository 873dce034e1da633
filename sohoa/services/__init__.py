"""What a clerk, an agency or an archivist asks of sohoa, one use case per module, for every
entry point (the command line, the web app, the hot folder) to call the same way.

Services take typed arguments (a :class:`~sohoa.processing.context.WorkContext`, domain
values, paths) and return typed results; they never parse arguments or print. They decide
where work runs — here on the embedded default, or sent to the workers on the scale profile
(:func:`.intake.process_messages`) — which is why they sit above :mod:`sohoa.workers`.

- :mod:`.intake` — receive a batch (cover sheet or new dossier), process it, follow it,
  report it; the clerk's review and acceptance; registering a dossier for a cover sheet.
- :mod:`.counter` — uploads and scanner scans at the counter web app; :mod:`.background`
  runs their processing off the request; :mod:`.corrections` — one correction button;
  :mod:`.thumbnails` — page thumbnails.
- :mod:`.digitize` — files to signed PDF/A without a dossier (``sohoa digitize``), the
  page pool every file-level command shares; :mod:`.classify` — page types, documents and
  verdict without storing; :mod:`.training` — learn a page classifier.
- :mod:`.receipts` — the receipt or the supplement notice for a dossier.
- :mod:`.agency` — what agencies and archivists read through the API (access checked and
  audited), :mod:`.links` — short-lived download links.
- :mod:`.scrub` — re-check every stored object; :mod:`.demo` — the bundled sample dossier.
"""
