"""The counter web app (FastAPI, server-rendered, Vietnamese): :func:`sohoa.api.app.create_app`."""
