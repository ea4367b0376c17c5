"""Facilitators and their sessions."""

from __future__ import annotations

import time
from typing import Any

from atelier.models import Facilitator
from atelier.store.base import StoreBase


class AccessStore(StoreBase):
    """Who facilitates: their hashed codes and the browsers logged in."""

    # --- facilitator sessions ---------------------------------------------------------------------------

    def facilitators(self) -> list[Facilitator]:
        return [Facilitator(**r) for r in self._rows(
            "SELECT id, name, role, secret, version, revoked FROM facilitators ORDER BY id")]

    def insert_facilitator(self, name: str, role: str, secret: str) -> int:
        with self.transaction() as conn:
            cursor = conn.execute("INSERT INTO facilitators (name, role, secret, created_at) VALUES (?, ?, ?, ?)",
                                  (name, role, secret, time.time()))
            return int(cursor.lastrowid or 0)

    def update_facilitator(self, facilitator_id: int, **fields: Any) -> None:
        if set(fields) - {"secret", "version", "revoked", "name"}:
            raise ValueError(f"unknown facilitator fields {set(fields)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.transaction() as conn:
            conn.execute(f"UPDATE facilitators SET {assignments} WHERE id = ?", (*fields.values(), facilitator_id))

    def add_facilitator_session(self, browser_id: str, facilitator_id: int, secret_version: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO facilitator_sessions (browser_id, facilitator_id, secret_version, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(browser_id) DO UPDATE SET facilitator_id = excluded.facilitator_id, "
                "secret_version = excluded.secret_version", (browser_id, facilitator_id, secret_version, time.time()))

    def facilitator_of_session(self, browser_id: str) -> Facilitator | None:
        """The facilitator a browser is logged in as, while their code has not changed and they are not revoked."""
        row = self._row(
            "SELECT f.id, f.name, f.role, f.secret, f.version, f.revoked FROM facilitator_sessions s "
            "JOIN facilitators f ON f.id = s.facilitator_id WHERE s.browser_id = ? AND s.secret_version = f.version "
            "AND f.revoked = 0", (browser_id,))
        return Facilitator(**row) if row else None

    def remove_facilitator_session(self, browser_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM facilitator_sessions WHERE browser_id = ?", (browser_id,))

