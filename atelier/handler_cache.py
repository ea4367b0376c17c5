"""Remembers whether a Python function takes an argument, instead of asking `inspect.signature` again every time.

NiceGUI 3.18 calls `helpers.expects_arguments` for every element it makes (each element's classes, style and
props are collections with a change handler) and for every event it dispatches; that call runs
`inspect.signature`, about 20 µs each. With 2,000 phones sending ideas at once it was about a seventh of the
server's event-loop time (py-spy during `atelier bench --phones 500`), spent answering the same question about the
same few functions.

The answer depends only on the function's code, how many defaults it has, which keyword-only defaults it has,
and whether it is bound to an object (which drops the first parameter). Those make the cache key; anything
else (wrapped functions, objects with `__signature__`, partials, builtins) is asked as before.

Written against NiceGUI 3.18.0 (every caller reads `nicegui.helpers.expects_arguments` from that module):
keep tests/test_handler_cache.py green when upgrading it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import CodeType, FunctionType, MethodType
from typing import Any

from nicegui import helpers
from nicegui.helpers import functions

_original: Callable[[Callable], bool] = functions.expects_arguments
# Keyed by code objects, which live as long as the program: as many entries as distinct handler functions.
_known: dict[tuple[CodeType, bool, int, frozenset[str]], bool] = {}


def _key(func: Any) -> tuple[CodeType, bool, int, frozenset[str]] | None:
    bound = type(func) is MethodType
    plain = func.__func__ if bound else func
    if type(plain) is not FunctionType or "__wrapped__" in plain.__dict__ or "__signature__" in plain.__dict__:
        return None
    return plain.__code__, bound, len(plain.__defaults__ or ()), frozenset(plain.__kwdefaults__ or ())


def expects_arguments(func: Callable) -> bool:
    """`nicegui.helpers.expects_arguments`, answered from the cache when the function's shape is known."""
    key = _key(func)
    if key is None:
        return _original(func)
    known = _known.get(key)
    if known is None:
        known = _known[key] = _original(func)
    return known


def install() -> None:
    """Idempotent: NiceGUI's modules look the function up in `nicegui.helpers` at each call."""
    helpers.expects_arguments = expects_arguments  # type: ignore[attr-defined]
