"""The method guide."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "guide.title": {"fr": "Méthode", "en": "Method"},
}
