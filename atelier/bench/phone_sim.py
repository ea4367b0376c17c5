"""A simulated browser tab speaking NiceGUI's real HTTP + socket.io protocol (for the bench and its tests).

Written against NiceGUI 3.18.0 (python-socketio 5.18, httpx 0.28). It depends on these internals:

* the page HTML holds ``parseElements(String.raw`{...}`)`` (the element tree, HTML-escaped: & < > ` $) and
  ``'client_id': '...', 'next_message_id': 0`` (a Python repr of the socket query);
* the socket lives at ``{prefix}/_nicegui_ws/socket.io`` with the query client_id, tab_id, document_id,
  next_message_id and implicit_handshake=true (no separate handshake event then);
* client -> server: ``event`` {id, client_id, listener_id, args: [json, ...]} and ``ack`` {client_id,
  next_message_id};
* server -> client: ``update`` {"<element id>": element | None, "_id": message id}, ``run_javascript``,
  ``notify``, ``open``, ``download``, ``try_reconnect``, ``load_js_components``.

Pin NiceGUI and keep tests/test_bench_smoke.py green when upgrading it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import ssl
import time
import uuid
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import urlencode

import httpx
import socketio

_ELEMENTS_RE = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.DOTALL)
_CLIENT_ID_RE = re.compile(r"'client_id': '([0-9a-f-]+)'")
_NEXT_MESSAGE_ID_RE = re.compile(r"'next_message_id': (\d+)")
_PREFIX_RE = re.compile(r'prefix: "([^"]*)"')
TAG = re.compile(r"<[^>]*>")  # HTML content read as its texts

_SSL_CONTEXT: ssl.SSLContext | None = None

Element = dict[str, Any]
# Called on every applied update: (page, {element id: element or None}, perf_counter time of arrival).
UpdateHook = Callable[["SimulatedPage", dict[str, Element | None], float], None]


def _unescape(raw: str) -> str:
    """Undoes nicegui.client.HTML_ESCAPE_TABLE, in the order parseElements() in nicegui.js does."""
    return (raw.replace("&#36;", "$").replace("&#96;", "`").replace("&gt;", ">")
            .replace("&lt;", "<").replace("&amp;", "&"))


def _testid(element: Element | None) -> str | None:
    if not element:
        return None
    value = (element.get("props") or {}).get("data-testid")
    return None if value is None else str(value)


def _shared_ssl_context() -> ssl.SSLContext:
    """One context for every page: httpx otherwise builds one per client (about 15 ms of CPU each)."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = ssl.create_default_context()
    return _SSL_CONTEXT


class PageLoadError(RuntimeError):
    pass


class SimulatedPage:
    """One browser tab showing one NiceGUI page."""

    def __init__(self, base_url: str, path: str, http: httpx.AsyncClient, owns_http: bool) -> None:
        self.base_url = base_url.rstrip("/")
        self.path = path
        self.http = http
        self._owns_http = owns_http
        self.client_id = ""
        self.prefix = ""
        self.tab_id = str(uuid.uuid4())  # sessionStorage.__nicegui_tab_id in a browser
        self.document_id = str(uuid.uuid4())  # window.documentId: new at each page load
        self.next_message_id = 0
        self._acked_message_id = -1
        self.elements: dict[str, Element] = {}
        self._by_testid: dict[str, set[int]] = {}
        self._changed = asyncio.Condition()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.connected = False
        self.closed = False  # closed by us (a drop is a disconnect we did not ask for)
        self.disconnect_reason: Any = None
        self.notifications: list[dict[str, Any]] = []
        self.javascript: list[dict[str, Any]] = []
        self.opened: list[Any] = []
        self.downloads: list[Any] = []
        self.reload_requested = False
        self.update_count = 0
        self.last_update_at = 0.0
        self.update_hooks: list[UpdateHook] = []
        # See each run_javascript's code as it arrives (the projector's wall comes as data for board.js).
        self.javascript_hooks: list[Callable[[SimulatedPage, str, float], None]] = []
        self.javascript_handler: Callable[[str], Any] | None = None  # answers awaited run_javascript calls
        self._ack_task: asyncio.Task[None] | None = None

    # --- opening ---------------------------------------------------------------------------------------

    @classmethod
    async def open(cls, base_url: str, path: str = "/", *,
                   cookies: httpx.Cookies | dict[str, str] | None = None,
                   http: httpx.AsyncClient | None = None,
                   connect_timeout: float = 10.0,
                   ack_interval: float | None = 3.0,
                   update_hooks: list[UpdateHook] | None = None,
                   javascript_hooks: list[Callable[[SimulatedPage, str, float], None]] | None = None,
                   ) -> SimulatedPage:
        """Loads ``path`` over HTTP (keeping cookies), reads the element tree, connects the socket.

        Pass ``cookies`` (e.g. ``page.cookies``) or a shared ``http`` client to stay the same browser
        (same ``app.storage.browser['id']``); without either it is a new browser.
        Hooks given here see every update, including the very first ones after connecting.
        """
        owns_http = http is None
        if http is None:
            http = httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=30.0,
                                     verify=_shared_ssl_context())
        elif cookies:
            http.cookies.update(cookies)
        page = cls(base_url, path, http, owns_http)
        page.update_hooks.extend(update_hooks or [])
        page.javascript_hooks.extend(javascript_hooks or [])
        try:
            await page._load()
            await page._connect(connect_timeout)
        except BaseException:
            await page.close()
            raise
        if ack_interval:
            page._ack_task = asyncio.create_task(page._ack_loop(ack_interval))
        return page

    @property
    def cookies(self) -> httpx.Cookies:
        """The browser's cookie jar (holds the signed ``session`` cookie)."""
        return self.http.cookies

    @property
    def dropped(self) -> bool:
        """Disconnected without our asking."""
        return not self.connected and not self.closed

    async def _load(self) -> None:
        response = await self.http.get(self.base_url + self.path, follow_redirects=True)
        content = response.headers.get("x-nicegui-content")
        if response.status_code != 200 or content != "page":
            raise PageLoadError(f"GET {self.path}: status {response.status_code}, "
                                f"x-nicegui-content={content}")
        html = response.text
        match_elements = _ELEMENTS_RE.search(html)
        match_client = _CLIENT_ID_RE.search(html)
        if not match_elements or not match_client:
            raise PageLoadError("no element tree or client_id in the page (NiceGUI internals changed?)")
        self.client_id = match_client.group(1)
        match_next = _NEXT_MESSAGE_ID_RE.search(html)
        self.next_message_id = int(match_next.group(1)) if match_next else 0
        match_prefix = _PREFIX_RE.search(html)
        self.prefix = match_prefix.group(1) if match_prefix else ""
        self.elements = {str(k): v for k, v in json.loads(_unescape(match_elements.group(1))).items()}
        self._by_testid = {}
        for element_id, element in self.elements.items():
            self._index(element_id, None, element)

    async def _connect(self, timeout: float) -> None:
        sio = self.sio
        sio.on("connect", self._on_connect)
        sio.on("disconnect", self._on_disconnect)
        sio.on("update", self._on_update)
        sio.on("run_javascript", self._on_run_javascript)
        sio.on("notify", self._on_notify)
        sio.on("open", self._on_open)
        sio.on("download", self._on_download)
        sio.on("try_reconnect", self._on_try_reconnect)
        sio.on("load_js_components", self._on_load_js_components)
        query = urlencode({
            "client_id": self.client_id,
            "next_message_id": self.next_message_id,
            "implicit_handshake": "true",
            "document_id": self.document_id,
            "tab_id": self.tab_id,
        })
        cookie_header = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        await sio.connect(f"{self.base_url}?{query}",
                          socketio_path=f"{self.prefix}/_nicegui_ws/socket.io",
                          transports=["websocket"],
                          headers={"Cookie": cookie_header} if cookie_header else {},
                          wait_timeout=timeout)

    # --- incoming --------------------------------------------------------------------------------------
    # python-engineio runs each message in its own task: all state changes happen before the first await,
    # so messages are applied in the order they arrived.

    def _track_id(self, msg: Any) -> bool:
        """Like nicegui.js: drops a replayed message (``_id`` below the next id), else advances it."""
        if isinstance(msg, dict) and "_id" in msg:
            message_id = msg.pop("_id")
            if message_id < self.next_message_id:
                return False
            self.next_message_id = message_id + 1
        return True

    async def _notify_changed(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _record(self, target: list[Any], msg: Any) -> None:
        if self._track_id(msg):
            target.append(msg)
            await self._notify_changed()

    async def _on_notify(self, msg: Any) -> None:
        await self._record(self.notifications, msg)

    async def _on_open(self, msg: Any) -> None:
        await self._record(self.opened, msg)

    async def _on_download(self, msg: Any) -> None:
        await self._record(self.downloads, msg)

    async def _on_load_js_components(self, msg: Any) -> None:
        self._track_id(msg)

    async def _on_connect(self) -> None:
        self.connected = True

    async def _on_disconnect(self, reason: Any = None) -> None:
        self.connected = False
        self.disconnect_reason = reason
        await self._notify_changed()

    async def _on_try_reconnect(self, msg: Any = None) -> None:
        self.reload_requested = True
        await self._notify_changed()

    async def _on_update(self, msg: dict[str, Any]) -> None:
        arrived = time.perf_counter()
        if not self._track_id(msg):
            return
        for element_id, element in msg.items():
            old = self.elements.get(element_id)
            if element is None:
                self.elements.pop(element_id, None)
            else:
                for prop in element.pop("preserved_props", None) or []:
                    if old and prop in old.get("props", {}):
                        element.setdefault("props", {})[prop] = old["props"][prop]
                self.elements[element_id] = element
            self._index(element_id, old, element)
        self.update_count += 1
        self.last_update_at = arrived
        for hook in self.update_hooks:
            hook(self, msg, arrived)
        await self._notify_changed()

    async def _on_run_javascript(self, msg: dict[str, Any]) -> None:
        arrived = time.perf_counter()
        if not self._track_id(msg):
            return
        self.javascript.append(msg)
        if self.javascript_hooks:
            for hook in self.javascript_hooks:
                hook(self, str(msg.get("code") or ""), arrived)
            await self._notify_changed()
        if "request_id" in msg:  # the server awaits a result; a browser would evaluate msg['code']
            result = self.javascript_handler(msg["code"]) if self.javascript_handler else None
            answer = {"request_id": msg["request_id"], "client_id": self.client_id, "result": result}
            await self.sio.emit("javascript_response", answer)

    async def _ack_loop(self, interval: float) -> None:
        """Like ack() in nicegui.js: lets the server prune its per-client message history."""
        while True:
            await asyncio.sleep(interval)
            if self.connected and self._acked_message_id < self.next_message_id:
                acked = self.next_message_id
                with contextlib.suppress(Exception):  # a dead socket shows up as a disconnect
                    await self.sio.emit("ack", {"client_id": self.client_id, "next_message_id": acked})
                    self._acked_message_id = acked

    # --- queries ---------------------------------------------------------------------------------------

    def _index(self, element_id: str, old: Element | None, new: Element | None) -> None:
        """Keeps the testid index up to date for one element (cheap even on a board with a thousand cards)."""
        old_testid, new_testid = _testid(old), _testid(new)
        if old_testid == new_testid:
            return
        if old_testid is not None:
            self._by_testid.get(old_testid, set()).discard(int(element_id))
        if new_testid is not None:
            self._by_testid.setdefault(new_testid, set()).add(int(element_id))

    def find(self, testid: str) -> int | None:
        """Id of the first element (lowest id) with ``data-testid=testid``, or None."""
        ids = self._by_testid.get(testid)
        return min(ids) if ids else None

    def find_all(self, testid: str) -> list[int]:
        return sorted(self._by_testid.get(testid, ()))

    def _id_of(self, testid_or_id: str | int) -> int:
        element_id = testid_or_id if isinstance(testid_or_id, int) else self.find(testid_or_id)
        if element_id is None or str(element_id) not in self.elements:
            raise KeyError(f"no element {testid_or_id!r} on page {self.path}")
        return element_id

    def element(self, testid_or_id: str | int) -> Element:
        return self.elements[str(self._id_of(testid_or_id))]

    def text(self, testid_or_id: str | int) -> str | None:
        """Visible text of an element: its ``text``, else its ``label`` prop (buttons)."""
        element = self.element(testid_or_id)
        if element.get("text") is not None:
            return str(element["text"])
        label = (element.get("props") or {}).get("label")
        return None if label is None else str(label)

    def value(self, testid_or_id: str | int) -> Any:
        props = self.element(testid_or_id).get("props") or {}
        return props.get("value", props.get("model-value"))

    def texts(self) -> list[str]:
        """All texts on the page (element texts, label props, and the text of HTML content such as the phone's own
        idea cards, one piece per text between tags)."""
        result = []
        for element in self.elements.values():
            if element.get("text") is not None:
                result.append(str(element["text"]))
            props = element.get("props") or {}
            label = props.get("label")
            if isinstance(label, str):
                result.append(label)
            content = props.get("innerHTML")
            if isinstance(content, str):
                result.extend(unescape(piece) for piece in TAG.split(content) if piece.strip())
        return result

    def has_text(self, text: str) -> bool:
        return any(text in t for t in self.texts())

    # --- waiting ---------------------------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Waits until ``predicate()`` is truthy (checked again after each server message); returns it."""
        async def _wait() -> Any:
            async with self._changed:
                while True:
                    result = predicate()
                    if result:
                        return result
                    if not self.connected:
                        raise ConnectionError(f"disconnected ({self.disconnect_reason}) while waiting")
                    await self._changed.wait()

        try:
            return await asyncio.wait_for(_wait(), timeout)
        except TimeoutError as e:
            raise TimeoutError(f"condition not met within {timeout} s on {self.path}") from e

    async def wait_for_text(self, text: str, timeout: float = 5.0) -> None:
        await self.wait_for(lambda: self.has_text(text), timeout)

    async def wait_for_testid(self, testid: str, timeout: float = 5.0) -> int:
        """Waits for an element with this testid; returns its id."""
        found = await self.wait_for(lambda: self.find(testid) is not None and str(self.find(testid)), timeout)
        return int(found)

    # --- actions ---------------------------------------------------------------------------------------

    @staticmethod
    def _listener(element: Element, type_: str | None = None, prefix: str | None = None) -> dict[str, Any]:
        for listener in element.get("events") or []:
            if listener["type"] == type_ or (prefix and listener["type"].startswith(prefix)):
                return listener
        wanted = type_ or f"{prefix}*"
        raise KeyError(f"element {element.get('tag')} has no {wanted} listener: "
                       f"{[e['type'] for e in element.get('events') or []]}")

    async def emit_event(self, testid_or_id: str | int, type_: str, *args: Any) -> None:
        """Sends the 'event' a browser sends for a Vue event ``type_`` (each arg JSON-encoded)."""
        element_id = self._id_of(testid_or_id)
        listener = self._listener(self.elements[str(element_id)], type_)
        await self._send_event(element_id, listener, list(args))

    async def _send_event(self, element_id: int, listener: dict[str, Any], args: list[Any]) -> None:
        spec = listener.get("args")
        if spec is not None:
            args = args[:len(spec)]  # like stringifyEventArgs(): extra args are dropped
        await self.sio.emit("event", {
            "id": element_id,
            "client_id": self.client_id,
            "listener_id": listener["listener_id"],
            "args": [json.dumps(arg) for arg in args],
        })

    async def set_value(self, testid_or_id: str | int, value: Any) -> None:
        """Types a value: 'update:value' (ui.input in 3.18) or 'update:model-value' (other inputs)."""
        element_id = self._id_of(testid_or_id)
        element = self.elements[str(element_id)]
        listener = self._listener(element, prefix="update:")
        prop = listener["type"].split(":", 1)[1]
        element.setdefault("props", {})[prop] = value  # local echo, as with loopback=False
        await self._send_event(element_id, listener, [value])

    async def click(self, testid_or_id: str | int) -> None:
        await self.emit_event(testid_or_id, "click")

    # --- closing ---------------------------------------------------------------------------------------

    async def close(self) -> None:
        self.closed = True
        if self._ack_task:
            self._ack_task.cancel()
        try:
            if self.sio.connected:
                await self.sio.disconnect()
        finally:
            if self._owns_http:
                await self.http.aclose()

    async def reload(self) -> SimulatedPage:
        """Closes this tab and opens the same path again with the same cookies (same browser id)."""
        cookies = httpx.Cookies(self.cookies)
        hooks, javascript_hooks = list(self.update_hooks), list(self.javascript_hooks)
        await self.close()
        return await SimulatedPage.open(self.base_url, self.path, cookies=cookies, update_hooks=hooks,
                                        javascript_hooks=javascript_hooks)
