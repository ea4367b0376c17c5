"""A deleted element's classes, style and props are freed with it, without waiting for a full collection."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

from nicegui import Client, ui
from nicegui.testing import User

from atelier import deleted_elements


async def test_a_deleted_element_leaves_no_cycle_behind(create_user: Callable[[], User]) -> None:
    deleted_elements.install()
    user = create_user()
    await user.open("/rejoindre")
    client = user.client
    assert client is not None
    with client.content:
        label = ui.label("Idée à retirer").classes("font-bold").style("color: red").props("lang=fr")
    refs = [weakref.ref(label), weakref.ref(label._classes), weakref.ref(label._style), weakref.ref(label._props)]
    gc.disable()  # nothing but reference counting may free them
    try:
        label.delete()
        del label
        assert [r() for r in refs] == [None, None, None, None]
    finally:
        gc.enable()
    await user.should_see(marker="code")  # the page itself is untouched


async def test_deleted_elements_of_a_page_that_goes_are_freed_too(create_user: Callable[[], User]) -> None:
    deleted_elements.install()
    user = create_user()
    await user.open("/rejoindre")
    client = user.client
    assert client is not None
    props = [weakref.ref(e._props) for e in client.elements.values()]
    gc.disable()
    try:
        client.remove_all_elements()  # what NiceGUI does when a phone's page is gone for good
        assert Client.remove_elements is deleted_elements._remove_and_free
        assert not any(r() is not None and r()._change_handlers for r in props)  # no cycle left to any of them
    finally:
        gc.enable()
