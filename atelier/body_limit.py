"""Request bodies bounded where the bytes arrive, before Starlette spools them: uploads and everything else.

`ui.upload(max_file_size=…)` is checked by the browser only: a script can POST 48 MB to the element's route
(`/_nicegui/client/<client>/upload/<element>`) and Starlette writes it all to a temporary file before NiceGUI
hands it over, then the page reads it whole into memory. This ASGI middleware answers 413 with a French message
as soon as the declared length, or the bytes counted so far, pass the limit; the route never sees the rest.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATH = re.compile(r"^/_nicegui/client/[^/]+/upload/\d+$")
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file
OTHER_BODY_BYTES = 1024 * 1024  # no other request of atelier carries more than a few kilobytes
# A refused body is read and dropped (no memory kept) up to this much, so that the client, still sending,
# reads the 413 instead of a reset connection; past it the connection is simply closed.
DRAIN_BYTES = 256 * 1024 * 1024


class BodyLimit:
    """Refuses a request body larger than its route allows (413), counting bytes as they come."""

    def __init__(self, app: ASGIApp, upload_bytes: int, other_bytes: int = OTHER_BODY_BYTES) -> None:
        self.app = app
        self.upload_bytes = upload_bytes + MULTIPART_OVERHEAD
        self.other_bytes = other_bytes

    def limit(self, path: str) -> int:
        return self.upload_bytes if UPLOAD_PATH.match(path) else self.other_bytes

    @staticmethod
    async def drain(receive: Receive, already: int) -> None:
        while already < DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return
            already += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def refuse(self, send: Send, limit: int) -> None:
        megabytes = (limit - (MULTIPART_OVERHEAD if limit == self.upload_bytes else 0)) / 1_000_000
        body = f"Fichier trop volumineux : {megabytes:g} Mo au plus.".encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            if declared.isdigit() and int(declared) <= DRAIN_BYTES:
                await self.drain(receive, 0)
            await self.refuse(send, limit)
            return
        received = 0
        refused = started = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # a chunked body, or one longer than it said
                    refused = True
                    if not started:
                        if message.get("more_body", False):
                            await self.drain(receive, received)
                        await self.refuse(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if not refused:  # once refused, the route's own answer (to a body cut short) goes nowhere
                started = True
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise  # the route's failure (ClientDisconnect) on a body we cut short is ours: already answered
