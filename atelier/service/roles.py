"""Who facilitates: the facilitators' codes (only their hash is kept) and the lead's page of roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from atelier.models import Facilitator
from atelier.rules import Refused
from atelier.rules.actors import name_key
from atelier.rules.ideas import clean_text

if TYPE_CHECKING:
    from atelier.service.core import Service


_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_secret(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT).hex()


def new_secret() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(3))


def stored_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    return f"{salt.hex()}${hash_secret(secret, salt)}"


def secret_matches(secret: str, stored: str) -> bool:
    salt_hex, expected = stored.split("$")
    return hmac.compare_digest(hash_secret(secret, bytes.fromhex(salt_hex)), expected)


class Roles:
    """The lead facilitator's page: co-facilitators (a local actor who takes the method over), their codes."""

    def __init__(self, service: Service, lead: Facilitator) -> None:
        self.store = service.store
        self.lead = lead

    def facilitators(self) -> list[Facilitator]:
        return self.store.facilitators()

    def add_co_facilitator(self, name: str | None) -> tuple[int, str]:
        """A co-facilitator with their own code, returned once to be handed over."""
        name = clean_text(name)[:80]
        if not name:
            raise Refused("roles.name_missing")
        # Two people under one name could not be told apart in the console or in the erasure trace.
        if any(name_key(f.name) == name_key(name) for f in self.store.facilitators() if not f.revoked):
            raise Refused("roles.name_taken")
        secret = new_secret()
        return self.store.insert_facilitator(name[:80], "co", stored_secret(secret)), secret

    def revoke(self, facilitator_id: int) -> None:
        target = next((f for f in self.store.facilitators() if f.id == facilitator_id), None)
        if target is None:
            raise Refused("roles.unknown")
        if target.is_lead:
            raise Refused("roles.cannot_revoke_lead")
        self.store.update_facilitator(facilitator_id, revoked=1)

