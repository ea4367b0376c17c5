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

    # Sessions and login links are looked up by a hash of their id: the database (or a copy of it) never holds
    # anything a browser could present.

    def add_facilitator_session(self, id_hash: str, facilitator_id: int, secret_version: int, now: float,
                                expires_at: float) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO facilitator_sessions (id_hash, facilitator_id, secret_version, created_at, last_used_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (id_hash, facilitator_id, secret_version, now, now, expires_at))

    def facilitator_session(self, id_hash: str) -> tuple[Facilitator, dict[str, float]] | None:
        """The facilitator of a session and its times, while their code is unchanged and they are not revoked."""
        row = self._row(
            "SELECT f.id, f.name, f.role, f.secret, f.version, f.revoked, s.created_at, s.last_used_at, s.expires_at "
            "FROM facilitator_sessions s JOIN facilitators f ON f.id = s.facilitator_id "
            "WHERE s.id_hash = ? AND s.secret_version = f.version AND f.revoked = 0", (id_hash,))
        if row is None:
            return None
        times = {k: row.pop(k) for k in ("created_at", "last_used_at", "expires_at")}
        return Facilitator(**row), times

    def touch_facilitator_session(self, id_hash: str, now: float) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE facilitator_sessions SET last_used_at = ? WHERE id_hash = ?", (now, id_hash))

    def remove_facilitator_session(self, id_hash: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM facilitator_sessions WHERE id_hash = ?", (id_hash,))

    def remove_sessions_of(self, facilitator_id: int | None) -> None:
        """Ends a facilitator's sessions and login links (every facilitator's with None)."""
        with self.transaction() as conn:
            if facilitator_id is None:
                conn.execute("DELETE FROM facilitator_sessions")
                conn.execute("DELETE FROM login_links")
            else:
                conn.execute("DELETE FROM facilitator_sessions WHERE facilitator_id = ?", (facilitator_id,))
                conn.execute("DELETE FROM login_links WHERE facilitator_id = ?", (facilitator_id,))

    def remove_expired_sessions(self, now: float) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM facilitator_sessions WHERE expires_at <= ?", (now,))
            conn.execute("DELETE FROM login_links WHERE expires_at <= ?", (now,))

    def add_login_link(self, token_hash: str, facilitator_id: int, secret_version: int, now: float,
                       expires_at: float) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO login_links (token_hash, facilitator_id, secret_version, created_at, expires_at) "
                         "VALUES (?, ?, ?, ?, ?)", (token_hash, facilitator_id, secret_version, now, expires_at))

    def use_login_link(self, token_hash: str, now: float) -> Facilitator | None:
        """The link's facilitator if it is unused, unexpired and their code unchanged; the link is used up."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT f.id, f.name, f.role, f.secret, f.version, f.revoked FROM login_links l "
                "JOIN facilitators f ON f.id = l.facilitator_id WHERE l.token_hash = ? AND l.expires_at > ? "
                "AND l.secret_version = f.version AND f.revoked = 0", (token_hash, now)).fetchone()
            conn.execute("DELETE FROM login_links WHERE token_hash = ?", (token_hash,))
        if row is None:
            return None
        return Facilitator(**dict(zip(("id", "name", "role", "secret", "version", "revoked"), row, strict=True)))
