"""The one message catalogue: French first, English second. Every string a person reads comes from here.

Each module of the package holds the messages of one capability; this module merges them into one catalogue
(a key may live in one module only) and looks a message up in the page's language."""

from __future__ import annotations

from contextvars import ContextVar

from atelier.i18n import (
    access,
    board,
    common,
    console,
    diagnostic,
    extension,
    groups,
    leads,
    method,
    people,
    phone,
    plan,
    rating,
    selection,
)

LANGUAGES = ("fr", "en")
language: ContextVar[str] = ContextVar("language", default="fr")

_MODULES = (common, access, phone, rating, board, console, people, selection, plan, groups, extension, diagnostic,
            leads, method)


def _merge() -> dict[str, dict[str, str]]:
    """One catalogue from the modules; a key defined twice would make one of them silently lost, so it stops here."""
    merged: dict[str, dict[str, str]] = {}
    for module in _MODULES:
        twice = merged.keys() & module.MESSAGES.keys()
        if twice:
            raise ValueError(f"i18n keys defined twice: {sorted(twice)}")
        merged.update(module.MESSAGES)
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge()


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message `key` in the current language, falling back to French, then to the key itself."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang or language.get()) or entry["fr"]
    return text.format(**params) if params else text
