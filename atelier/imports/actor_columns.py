"""The columns of an actor list and the words offices use for them, kinds, statuses, yes and no.

Shared by the reader (actors_table), the CSV reader (its separator is the one that finds these titles) and the
writers (actors_writing), so a file exported by atelier imports back as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from atelier.models import ActorKind, ActorStatus


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # written as the header on export, named in messages
    synonyms: tuple[str, ...]  # compared after fold: case, accents, spaces and punctuation do not matter
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("name", "Nom", ("nom", "nom de la structure", "raison sociale", "structure", "nom de l'acteur", "acteur",
                            "dénomination", "dénomination sociale", "organisme", "organisation"), required=True),
    Column("kind", "Type", ("type", "catégorie d'acteur", "catégorie", "type d'acteur", "type de structure"),
            required=True),
    Column("sector", "Secteur", ("secteur", "activité", "secteur d'activité", "activité principale")),
    Column("naf", "Code NAF", ("naf", "code naf", "ape", "code ape", "naf/ape", "code naf/ape", "code naf ou ape")),
    Column("commune", "Commune", ("commune", "ville", "localité", "commune d'implantation")),
    Column("status", "Statut", ("statut", "statut dans le réseau")),
    Column("groups", "Disponibilité (groupes)", ("disponibilité (groupes)", "disponibilité", "groupes",
                                                  "nombre de groupes", "disponibilite_groupes")),
    Column("hours", "Heures par mois", ("heures par mois", "heures/mois", "disponibilité (heures par mois)",
                                         "disponibilité heures par mois", "heures", "disponibilite_heures_mois")),
    Column("motivation", "Motivation", ("motivation", "motivations")),
    Column("consent", "Consentement", ("consentement", "accord de diffusion", "consentement de diffusion",
                                        "consentement public", "consentement_public", "diffusion")),
    Column("contact", "Contact", ("contact", "nom du contact", "interlocuteur", "personne à contacter")),
    Column("role", "Rôle", ("rôle", "fonction", "rôle du contact", "fonction du contact", "poste")),
    Column("email", "E-mail", ("e-mail", "email", "courriel", "mél", "mail", "adresse e-mail", "adresse mail",
                                "adresse électronique", "e-mail du contact", "courriel du contact")),
    Column("phone", "Téléphone", ("téléphone", "tél", "téléphone du contact", "numéro de téléphone", "portable")),
)
BY_KEY = {c.key: c for c in COLUMNS}

KIND_LABELS: dict[ActorKind, str] = {
    ActorKind.COMPANY: "Entreprise",
    ActorKind.FARM: "Exploitation agricole",
    ActorKind.CRAFTSMAN: "Artisan",
    ActorKind.SHOP: "Commerce",
    ActorKind.LOCAL_AUTHORITY: "Collectivité",
    ActorKind.ASSOCIATION: "Association",
    ActorKind.PUBLIC_BODY: "Établissement public",
    ActorKind.OTHER: "Autre",
}
# Words offices put in a "type" column besides our labels; the legal forms are unambiguous.
KIND_SYNONYMS: dict[str, ActorKind] = {
    "société": ActorKind.COMPANY, "sarl": ActorKind.COMPANY, "sas": ActorKind.COMPANY, "sasu": ActorKind.COMPANY,
    "eurl": ActorKind.COMPANY, "pme": ActorKind.COMPANY, "tpe": ActorKind.COMPANY, "industrie": ActorKind.COMPANY,
    "exploitation": ActorKind.FARM, "agriculteur": ActorKind.FARM, "agricultrice": ActorKind.FARM,
    "ferme": ActorKind.FARM, "gaec": ActorKind.FARM, "earl": ActorKind.FARM, "scea": ActorKind.FARM,
    "artisane": ActorKind.CRAFTSMAN, "artisanat": ActorKind.CRAFTSMAN,
    "commerçant": ActorKind.SHOP, "commerçante": ActorKind.SHOP, "magasin": ActorKind.SHOP,
    "boutique": ActorKind.SHOP,
    "collectivité territoriale": ActorKind.LOCAL_AUTHORITY, "collectivité locale": ActorKind.LOCAL_AUTHORITY,
    "mairie": ActorKind.LOCAL_AUTHORITY, "commune": ActorKind.LOCAL_AUTHORITY,
    "communauté de communes": ActorKind.LOCAL_AUTHORITY,
    "asso": ActorKind.ASSOCIATION, "association loi 1901": ActorKind.ASSOCIATION,
}
STATUS_WORDS: dict[str, ActorStatus] = {
    "pionnier": ActorStatus.PIONEER, "pionnière": ActorStatus.PIONEER,
    "membre": ActorStatus.MEMBER,
    "candidat": ActorStatus.CANDIDATE, "candidate": ActorStatus.CANDIDATE,
}
YES = {"oui", "o", "vrai", "1", "x", "yes", "y", "true", "ok", "d'accord"}
NO = {"non", "n", "faux", "0", "no", "false"}

NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)(h|heures?|groupes?)?$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPACES = re.compile(r"\s+")
# A cell a spreadsheet would run as a formula (OWASP "CSV injection"); tab and CR too, as OWASP lists them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_FORMULA = re.compile(r"^'[=+\-@]")


def fold(text: str) -> str:
    """Comparison key for headers and words: no case, accents, spaces or punctuation ("Tél." = "tel")."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


HEADER_WORDS: dict[str, str] = {}
for _column in COLUMNS:
    for _word in (_column.label, *_column.synonyms):
        HEADER_WORDS.setdefault(fold(_word), _column.key)
KIND_WORDS: dict[str, ActorKind] = {}
for _kind, _label in KIND_LABELS.items():
    KIND_WORDS[fold(_label)] = _kind
    KIND_WORDS[fold(_kind.value)] = _kind
for _word, _kind in KIND_SYNONYMS.items():
    KIND_WORDS.setdefault(fold(_word), _kind)
STATUS_FOLDED = {fold(w): s for w, s in STATUS_WORDS.items()}
YES_FOLDED = {fold(w) for w in YES}
NO_FOLDED = {fold(w) for w in NO}
KINDS_LIST = ", ".join(KIND_LABELS.values())

