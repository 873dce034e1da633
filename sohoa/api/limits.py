"""A ceiling on request bodies, enforced while they stream in.

Starlette spools multipart uploads to temporary files before any route runs, so a huge or
endless upload would fill the disk long before the per-file check in the upload route. This
ASGI middleware answers 413 at once when the declared ``Content-Length`` passes the limit,
and stops a chunked body as soon as the bytes received pass it (an ``HTTPException`` raised
while the body is read: FastAPI passes those through to the 413 response).
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    @property
    def message(self) -> str:
        return (f"Yêu cầu quá lớn (giới hạn {self.max_bytes / 1024**2:.0f} MiB): hãy tải lên "
                "ít tệp hơn mỗi lần")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, detail=self.message)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": self.message}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
