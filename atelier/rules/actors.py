"""Actors as the facilitator types them: validation with messages a person can act on, keys from names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from pydantic import ValidationError

from atelier.models import Actor
from atelier.rules import Refused

# Field aliases (French, as in the scenario files) to the words the form shows.
FIELD_LABELS = {
    "nom": "nom", "type": "type", "statut": "statut", "disponibilite_groupes": "disponibilité (groupes)",
    "disponibilite_heures_mois": "heures par mois", "email": "e-mail", "contact": "contact",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # the one e-mail check: form, import, group members


def name_key(name: str) -> str:
    """Duplicate key for actor names: no case or accents; "Pré-Haut" and "Pré Haut" are the same actor."""
    text = name.replace("œ", "oe").replace("Œ", "OE")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())  # \W, not [^a-z]: 東京 is not 大阪


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe")).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-") or "acteur"


def unique_slug(name: str, taken: Collection[str]) -> str:
    base = slug(name)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def validated_actor(fields: dict[str, object]) -> Actor:
    """An Actor from form fields (French aliases), or a refusal naming the first field to fix."""
    contact = fields.get("contact")
    email = contact.get("email", "") if isinstance(contact, dict) else ""
    if email and not EMAIL.match(str(email).strip()):
        raise Refused("actor.bad_email", email=str(email)[:80])
    try:
        return Actor.model_validate(fields)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise Refused("actor.invalid", field=FIELD_LABELS.get(field, field)) from e


def shown_name(name: str, hidden: Collection[str]) -> str:
    """An organisation as the room may read it: "" when it is a registered actor who refused publication, however
    a phone typed it (`hidden` holds the name keys of those actors)."""
    return "" if name_key(name) in hidden else name


def anonymised(text: str, names: Collection[str], hidden: Collection[str], instead: str = "un acteur") -> str:
    """A sentence naming organisations (the rule's reason names the pilots), with the hidden ones replaced."""
    for name in names:
        if name and not shown_name(name, hidden):
            text = text.replace(name, instead)
    return text
