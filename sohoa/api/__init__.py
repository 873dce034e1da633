"""The web app (FastAPI, server-rendered, Vietnamese): :func:`.app.create_app`.

The counter's pages, the agency officers' pages and JSON API, the archivist search and the
administrators' pages. Only routes and views live here: :mod:`.routers` (one router per
resource), :mod:`.views` (what a page shows), :mod:`.pages` (rendering), :mod:`.auth`
(sessions, CSRF, tokens, roles), :mod:`.deps` (``Annotated`` dependencies),
:mod:`.errors` (typed errors to HTTP responses, in one place), :mod:`.limits` (request
size), :mod:`.settings` and :mod:`.state` (the counter workstation's settings and the
app's long-lived objects). What a request asks for is done by :mod:`sohoa.services`.
"""
