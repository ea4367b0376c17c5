"""The cached `expects_arguments` answers exactly as NiceGUI's own, for every shape of handler a page uses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from nicegui import helpers
from nicegui.helpers import functions

from atelier import handler_cache


class Thing:
    def no_args(self) -> None: ...
    def one_arg(self, event: object) -> None: ...
    def defaulted(self, event: object = None) -> None: ...
    def star(self, *args: object) -> None: ...


def plain(event: object) -> None: ...


def decorated(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> Any:
        return func(*args, **kwargs)
    return wrapper


def lambdas() -> list[Callable[..., Any]]:
    return [lambda i=1: i for _ in range(2)]  # the same code, two objects


CASES: list[Callable[..., Any]] = [
    Thing().no_args, Thing().one_arg, Thing().defaulted, Thing().star, Thing.one_arg, plain,
    lambda: None, lambda e: e, lambda e=None: e, lambda *, key: key, lambda *, key=1: key,
    decorated(plain), decorated(lambda: None), functools.partial(plain), functools.partial(plain, 1), print,
    *lambdas(),
]


@pytest.mark.parametrize("func", CASES)
def test_same_answer_as_nicegui(func: Callable[..., Any]) -> None:
    expected = functions.expects_arguments(func)
    assert handler_cache.expects_arguments(func) is expected
    assert handler_cache.expects_arguments(func) is expected  # and again, from the cache


def test_same_code_different_defaults_is_asked_apart() -> None:
    def make(with_default: bool) -> Callable[..., Any]:
        if with_default:
            return lambda e=None: e
        return lambda e: e
    # Two lambdas on different lines have different code; the same code with a default added is another shape.
    base = lambda e: e  # noqa: E731
    shaped = type(base)(base.__code__, base.__globals__, None, (None,))
    assert handler_cache.expects_arguments(base) is True
    assert handler_cache.expects_arguments(shaped) is False
    assert handler_cache.expects_arguments(make(True)) is False
    assert handler_cache.expects_arguments(make(False)) is True


def test_installed_where_nicegui_looks() -> None:
    handler_cache.install()
    assert helpers.expects_arguments is handler_cache.expects_arguments
