"""`atelier.ui.common.emptied_by_the_page` empties a field the page has already emptied, without sending it back,
through two private attributes of NiceGUI's ValueElement (`_send_update_on_value_change`, `_client_value`), as
NiceGUI itself does with a value typed in the browser. A NiceGUI upgrade may rename them and silently send the field
again (or worse): this fingerprint fails first."""

from __future__ import annotations

import hashlib
import inspect

from nicegui.elements.mixins.value_element import ValueElement

# NiceGUI 3.18.0's ValueElement: if this fails after an upgrade, check that emptied_by_the_page still mirrors its
# handling of a value typed in the browser, then update the fingerprint.
NICEGUI_VALUE_ELEMENT_SHA256 = "1151322a366f677a5c7cec2cc8fd585703ced21dab8cab27f4d2ab4690434cf7"


def test_nicegui_value_element_is_the_one_emptied_by_the_page_relies_on() -> None:
    source = inspect.getsource(ValueElement)
    assert "_send_update_on_value_change" in source and "_client_value" in source
    assert hashlib.sha256(source.encode()).hexdigest() == NICEGUI_VALUE_ELEMENT_SHA256
