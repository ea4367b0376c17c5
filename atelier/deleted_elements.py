"""Frees a deleted page element's classes, style and props at once, instead of leaving them to the full garbage
collection.

NiceGUI 3.18 gives each element three collections (classes, style, props) whose change handler is a method of
the collection itself: each is a reference cycle, so when an element is deleted (a join form replaced by the
idea form, a console row redrawn, a phone that left) those three outlive it until a full collection. The server
runs full collections only when the room is quiet (atelier.web: one takes seconds with thousands of phones), so
in a busy workshop they piled up: 66,000 such objects with 200 phones (gc.DEBUG_SAVEALL in the server after
`atelier bench`), 330 per phone. Once an element is deleted its collections are never used again: dropping their
handlers breaks the cycles and they are freed with the element.

Written against NiceGUI 3.18.0 (`Client.remove_elements`, the collections' `_change_handlers`): keep
tests/test_deleted_elements.py green when upgrading it.
"""

from __future__ import annotations

from collections.abc import Iterable

from nicegui.client import Client
from nicegui.element import Element

_original_remove = Client.remove_elements


def _remove_and_free(client: Client, elements: Iterable[Element]) -> None:
    removed = list(elements)  # may be a generator (descendants()): walked twice here
    _original_remove(client, removed)
    for element in removed:
        for collection in (element._classes, element._style, element._props):  # private maps (NiceGUI pinned)
            collection._change_handlers.clear()


def install() -> None:
    """Idempotent: always wraps NiceGUI's own method."""
    Client.remove_elements = _remove_and_free  # type: ignore[method-assign]
