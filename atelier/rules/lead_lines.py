"""One interview line read for the lead detection (`atelier.rules.leads`): what it names, its terms, its context.

Pure. What a line is about: the knowledge entries it mentions (`atelier.rules.knowledge`), what a need wants
(before its purpose, or the items it lists), the vocabulary phrases, (generic head, object) contexts and
significant words it holds; whether it first wants something taken away; its seasons and quantities.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from atelier.rules.french import (
    Quantity,
    StemFunction,
    Word,
    content_words,
    find_phrases,
    normalise,
    quantities,
    word_set,
)
from atelier.rules.knowledge import KnowledgeIndex, Mention


class EntryKind(StrEnum):
    NEED = "besoin"
    CAPACITY = "capacite"



@dataclass(frozen=True)
class InterviewEntry:
    """One need or capacity of one actor."""

    actor_key: str
    kind: EntryKind
    category: str  # a category key
    description: str
    quantity: float | None = None  # as typed in the interview's quantity field, with its unit
    unit: str = ""



# --- word lists -------------------------------------------------------------------------------------------

# The kind of exchange rather than the resource; words every line of a category shares; sizes, states, verbs of
# wanting; when (times of day, weekdays), how much (« env. »), which state or colour (« abîmés », « vieilles »,
# « café vert »): they say something about a thing, never which thing. Written plainly, stemmed with the stemmer
# in use.
_GENERIC = """
    achat achats achete acheter groupe groupee groupement commande commandes besoin besoins disponible disponibles
    disponibilite ponctuel ponctuellement regulier reguliere partage partager partagee mutualise mutualisee mutualiser
    mutualisation commun commune communs service services prestation prestataire acces offre location louer louable
    pret preter local locaux produit produits usage usages usage usagee usagees usages usee usees use uses entretien
    maintenance reparation formation recrutement recruter collecte collecter ramassage enlevement tri trier
    recyclage recycler valorisation valoriser reemploi recuperation recuperer recup evacuer evacuation eliminer
    eau energie transport logistique emploi materiel equipement dechet dechets salarie salaries temps
    ete hiver printemps automne saison saisons janvier fevrier mars avril mai juin juillet aout septembre octobre
    novembre decembre petit petite petits grand grande gros grosse semaine mois annee jour
    entreprise entreprises professionnel professionnels acteur acteurs territoire zone activite structure solution
    projet moindre cout couts prix reduire bon bonne etat libre libres possible propre propres sale vide vides
    chute chutes reste restes residu residus surplus excedent excedentaire matiere matieres non sans
    cherche chercher cherchons trouver faire utiliser utilisable utilisables servir besoin aide aider
    quelqu personne personnes gens nos notre clients client fournisseur fournisseurs
    proche proches voisin voisins vallee village commune communes secteur site lieu
    nettoyage lavage laver nettoyer terrain terrains salle salles stockage stocker livraison livraisons livrer
    traitement traiter vente vendre camion camions atelier ateliers chantier chantiers engin engins ouvert ouverte
    alimentaire alimentaires taille main mains coup coups heure heures bac bacs seau seaux sac sacs boue boues
    aire aires
    repas
    env environ approx approximativement matin soir soiree nuit lundi mardi mercredi jeudi vendredi samedi dimanche
    week end weekend weekends ferie feries frais fraiche fraiches
    filiere filieres debouche debouches intrant intrants coproduit coproduits complement complements stable stables
    vert verte verts vertes rouge rouges blanc blanche blancs blanches noir noire noirs noires bleu bleue jaune gris
    vieux vieil vieille vieilles abime abimes abimee abimees casse cassee casses cassees neuf neuve neufs neuves hors
    """
# Phrases of the category vocabularies that name the kind of exchange, not what is exchanged: never a match.
GENERIC_PHRASES = (
    "achat groupé", "achats groupés", "commande groupée", "groupement de commandes", "temps partagé",
    "emploi partagé", "service partagé", "prêt de matériel", "zone d’activités", "centrale d’achat",
    "prix négociés", "mutualisation des flux", "matières premières",
)  # fmt: skip
# A generic word followed by what it applies to makes a context term: "nettoyage des locaux", "terrain de foot".
_CONTEXT_HEADS = """
    collecte ramassage enlevement nettoyage lavage entretien location formation terrain transport livraison
    stockage achat tri reparation maintenance salle vente traitement recuperation
    """
# Generic alone, but what a service applies to: "entretien des camions", "nettoyage des locaux".
_OBJECTS = word_set(
    """
    camion camions atelier ateliers chantier chantiers engin engins local locaux dechet dechets vehicule vehicules
    materiel equipement equipements bureau bureaux salle salles terrain terrains
    """
)
# A need holding one of these words first wants something taken away; a capacity holding one takes it in.
_TAKE_AWAY = word_set(
    """
    collecte collecter enlevement enlever evacuation evacuer debarrasser detourner eliminer
    elimination reprise reprendre compostage composter traitement traiter tri trier recyclage recycler
    valorisation valoriser broyage ramassage filiere epuration epurer
    """
)
# A need naming a waste and one of these anywhere wants it taken away ("huiles usagées : enlèvement à organiser").
_REMOVAL = word_set(
    "enlevement enlever evacuation evacuer debarrasser eliminer elimination reprise reprendre ramassage ramasser "
    "collecte collecter composter redescendre"
)
# In a capacity these words mean "I have it to give away", not "I take it in".
_GIVE_AWAY = word_set("evacuer evacuation debarrasser detourner eliminer elimination enlever")

# A need opening on one of these asks for that service about a thing ("formation … aux plastiques", "location
# d’un tracteur"): the thing alone, offered by someone, does not meet it.
_SERVICES = word_set("formation former location louer reparation reparer entretien maintenance conseil accompagnement")
# Resources that are people or services: a need for one ("un comptable") is met by whoever offers what they do.
PEOPLE = frozenset({"competences-emploi", "services-partages"})
# A need opening on one of these asks for a service ON a thing ("chauffer le hangar", "livrer les restaurants",
# "ménage des chambres", "stocker des bateaux"): the thing is what the service applies to, not what is wanted, so
# someone offering that thing (a hangar, a restaurant) does not meet it. Taking away ("collecte des cartons") and
# buying are other rules: there the thing is what changes hands.
_SERVICE_ON = word_set(
    """
    chauffer chauffage livrer livraison livraisons acheminer acheminement expedier expedition expeditions entretien
    entretenir maintenance reparation reparations reparer nettoyage nettoyer lavage laver menage stocker stockage
    transporter transport sortir gardiennage hivernage hiverner secher sechage refroidir isoler isolation broyer
    trier
    """
)
# A capacity opening on one of these offers advice or a study ABOUT things ("accompagnement à la création d’un
# groupement d’employeurs", "étude de faisabilité photovoltaïque sur toiture"): the things are not offered.
_ADVICE = word_set("accompagnement accompagner conseil conseils etude etudes diagnostic diagnostics audit")
HAZARDOUS_COLLECTION = "collecte-dangereux"  # the knowledge base's use: collecting hazardous waste
EMPLOYER_GROUP = "groupement-employeurs"  # the knowledge base's employers' group (shared, part-time employees)
SEASONAL_STAFF = "main-oeuvre-saisonniere"  # its use: seasonal workers
_PURCHASE = word_set("achat achats acheter commande commandes commander groupement approvisionnement")
# A need ordering new goods with others, wherever it says so: « bouteilles 33 cl : commande commune », « aliment en
# commande groupée », « achat groupé pour baisser les prix », « commandés avec d’autres ».
_GROUP_ORDER = re.compile(
    r"\b(commandes?|commandée?s?|achats?|achetée?s?)\s+(groupée?s?|communes?|en\s+commun|avec\s+d['’]autres)\b|"
    r"\bcommander\s+à\s+plusieurs\b|\bgroupement\s+de\s+commandes\b", re.IGNORECASE)
_SUMMER = word_set("ete juin juillet aout septembre estive estival estivale estivaux moisson moissons")
_WINTER = word_set("hiver hivernal hivernale hivernage decembre janvier fevrier mars novembre avril ski neige")


@dataclass(frozen=True)
class _Words:
    """The word lists stemmed with one stemmer."""

    generic: frozenset[str]
    heads: frozenset[str]


_WORD_LISTS: dict[StemFunction, _Words] = {}


def _words_for(stem_with: StemFunction) -> _Words:
    if stem_with not in _WORD_LISTS:
        _WORD_LISTS[stem_with] = _Words(
            frozenset(stem_with(w) for w in word_set(_GENERIC)) | word_set(_GENERIC),
            frozenset(stem_with(w) for w in word_set(_CONTEXT_HEADS)),
        )
    return _WORD_LISTS[stem_with]


# --- analysis of one line ---------------------------------------------------------------------------------

Term = tuple[str, ...]  # the stems of a vocabulary phrase, a (head, object) context pair, or one stem


@dataclass(eq=False)  # compared and hashed by identity: one per input line
class Line:
    entry: InterviewEntry
    mentions: list[Mention]
    serves: dict[str, str]  # a capacity: what its resources serve (see `KnowledgeIndex.served`)
    resources: dict[str, Mention]  # knowledge resources named, by key
    uses: dict[str, Mention]  # knowledge uses named, by key
    wants: dict[str, Mention]  # a need: what it asks for (see `_wanted`); a capacity: empty
    phrases: dict[Term, str]  # vocabulary phrases (two words or more), with their written form
    contexts: dict[Term, str]  # (generic head, object) pairs
    words: dict[Term, str]  # significant single words
    takes_away: bool
    seasons: frozenset[str]
    amounts: tuple[Quantity, ...]
    purchase: bool  # a need opening on a purchase ("achat groupé de…"): new goods, not someone's waste
    service: str  # the stem of a service a need opens on ("formation des encadrants à…"), or ""
    opens_on: str  # the stem of the service a need opens on, even one the knowledge base names ("formation CACES")
    stems: frozenset[str]  # every content word's stem
    size: int  # content words, for coverage
    listed: frozenset[str] = frozenset()  # a need: stems of the items it lists that no knowledge entry names
    heads: dict[str, Mention] = field(default_factory=dict)  # the resources named, by the stem of their first word
    # What the service a need asks for, or a capacity offers, applies to ("lavage *de vêtements de travail*").
    objects: dict[str, Mention] = field(default_factory=dict)
    # A word's stem -> the stem of the word saying which one, "de " first for a noun complement ("de pech").
    qualifiers: dict[str, str] = field(default_factory=dict)
    details: frozenset[str] = frozenset()  # stems that only say which or whose thing ("marc *de café*")
    applied: frozenset[str] = frozenset()  # a need opening on a service: the stems of what it applies to
    tainted: bool = False  # a capacity saying its resource is soiled (oily, chrome, treated wood…): see `_TAINT`
    trade: frozenset[str] = frozenset()  # people named: the stems saying which trade (« apprenti *boulanger* »)
    advice: bool = False  # a capacity offering advice or a study about its `objects` (see `_ADVICE`)
    pooled: dict[str, Mention] = field(default_factory=dict)  # a need: what else it pools on (an employers' group)
    days: str = ""  # "week-end": a capacity free only then; "semaine": a need on working days (see `_days`)
    used: bool = False  # a capacity saying its things are used or emptied (« bouteilles vides »): see `_USED`
    # Its index keys by side, giving or not (`atelier.rules.lead_index.keys_of`), computed once
    index_keys: dict[bool, frozenset[str]] = field(default_factory=dict, repr=False)

    @property
    def bought(self) -> bool:
        """A need for supplies bought new: opening on a purchase or ordering with others (`purchase`), or filed
        under group purchases by the interviewer."""
        return self.purchase or (self.entry.kind is EntryKind.NEED and self.entry.category == "achats-groupes")

    @property
    def named(self) -> bool:
        return bool(self.wants if self.entry.kind is EntryKind.NEED else self.resources or self.uses)


def analyse(entry: InterviewEntry, index: KnowledgeIndex | None, vocab: Mapping[str, Mapping[Term, str]],
             phrases: Mapping[str, list[Term]], stem_with: StemFunction) -> Line:
    lists = _words_for(stem_with)
    words = content_words(entry.description, stem_with)
    mentions = index.mentions(entry.description, words) if index else []
    # "chauffer la cabine sans fioul", "palettes sans clous": what comes after "sans" is neither wanted nor offered
    mentions = [m for m in mentions if _WITHOUT.search(entry.description[: words[m.first].start]) is None]
    if entry.kind is EntryKind.NEED:  # "remplacer la vieille chaudière fioul": what is replaced is not wanted
        mentions = [m for m in mentions if not _replaced(entry.description, words[m.first].start, words[m.last].end)]
    resources = {m.entry.key: m for m in mentions if not m.entry.is_use}
    uses = {m.entry.key: m for m in mentions if m.entry.is_use}
    purpose = _purpose_start(entry.description, words, mentions)
    wants = _wanted(entry.description, words, mentions, purpose) if entry.kind is EntryKind.NEED else {}
    if wants:  # "blocs béton pour refaire les alvéoles de la plateforme déchets verts" wants no green waste
        wants = _before_unknown_purpose(entry.description, words, wants, lists)
    objects: dict[str, Mention] = {}
    serving = entry.kind is EntryKind.NEED and _leads_with(words, _SERVICE_ON, lists)
    if wants and serving:  # "chauffer le hangar" wants heating, not a hangar
        objects = {k: m for k, m in wants.items() if not m.entry.is_use and m.first < purpose
                   and _object_of_opening(entry.description, words, m)}
        wants = {k: m for k, m in wants.items() if k not in objects}
    doing: dict[str, Mention] = {}
    if entry.kind is EntryKind.CAPACITY and uses:
        # "Blanchisserie : lavage, séchage, repassage": the list says what the laundry does (drying laundry is no
        # grain drier); a use of another kind than the thing named before the colon is a detail of it
        named = [m for m in mentions if not _colon_list(entry.description, words[m.first].start)]
        if named:
            kinds = {m.entry.category for m in named} | PEOPLE  # people and services say what they do
            uses = {k: m for k, m in uses.items() if m in named or m.entry.category in kinds}
    if entry.kind is EntryKind.CAPACITY and resources:
        if all(m.entry.category in PEOPLE for m in resources.values()):
            doing = uses  # "équipe espaces verts : tonte, taille…" says what the team does
        # What a capacity is (before "pour …") and what it is for (after): "copeaux … pour litière animale".
        uses = doing or {k: m for k, m in uses.items() if m.first >= purpose}
        if not doing and any(m.first < purpose and m.entry.uses for m in resources.values()):
            # A resource the knowledge base knows serves its own uses: "bois d’élagage à déchiqueter pour plaquette
            # de chauffage" is wood for a wood boiler, not heating for a poultry house on propane.
            uses = {}
        resources = _without_details(entry.description, words, resources)
        # "Biodéchets : épluchures, fruits et légumes abîmés": the list says which biowaste (no food for a canteen)
        head = {m.entry.key for m in mentions if not _colon_list(entry.description, words[m.first].start)}
        resources = {k: m for k, m in resources.items() if k in head} or resources
        # "…, sinon benne", "parties en benne", "livré par camion": where it goes or how it travels, not an offer
        resources = {k: m for k, m in resources.items()
                     if _WHERE_TO.search(entry.description[: words[m.first].start]) is None} or resources
        # "lavage de vêtements de travail", "stockage de bateaux": a service offered ON a thing offers the service,
        # not the thing; it meets a need for the same service on that thing
        objects = {k: m for k, m in resources.items() if m.first < purpose and any(
            w.norm in _SERVICE_ON for w in words[: m.first]) and _object_of_opening(entry.description, words, m)
            and _DE_END.search(entry.description[: words[m.first].start]) is not None}
        if words and words[0].norm in _ADVICE:
            objects = {**objects, **resources}
            resources = {}
        resources = {k: m for k, m in resources.items() if k not in objects}
    own = vocab.get(entry.category, {})
    found_phrases = {f.key: own.get(f.key, f.surface) for f in find_phrases(entry.description, words, phrases)}
    contexts: dict[Term, str] = {}
    singles: dict[Term, str] = {}
    for i, word in enumerate(words):
        if word.stem in lists.heads:
            j = i + 1  # past other services joined to it: "entretien et réparation de camions"
            while j < len(words) and words[j].stem in lists.heads and _close(entry.description, words[j - 1], words[j]):
                j += 1
            if j < len(words) and _close(entry.description, words[j - 1], words[j]) and (
                    words[j].norm in _OBJECTS or words[j].norm not in lists.generic):
                # "nettoyage des locaux", not a word three clauses further; "achat groupé" is no object
                contexts[(word.stem, words[j].stem)] = f"{word.surface} {words[j].surface}"
        if word.stem not in lists.generic and word.norm not in lists.generic:
            singles.setdefault((word.stem,), word.surface)
    markers = _TAKE_AWAY - _GIVE_AWAY if entry.kind is EntryKind.CAPACITY else _TAKE_AWAY
    norms = {w.norm for w in words}
    seasons = frozenset(({"ete"} if norms & _SUMMER else set()) | ({"hiver"} if norms & _WINTER else set()))
    amounts = tuple(quantities(entry.description))
    if entry.quantity is not None:
        amounts = (Quantity(entry.quantity, normalise(entry.unit), "", f"{entry.quantity:g} {entry.unit}".strip()),
                   *amounts)
    purchase = entry.kind is EntryKind.NEED and ((bool(words) and words[0].norm in _PURCHASE)
                                                 or _GROUP_ORDER.search(entry.description) is not None)
    opening = words[0] if words else None
    opens_on = opening.stem if entry.kind is EntryKind.NEED and opening is not None and opening.norm in _SERVICES \
        else ""
    service = opens_on if not any(m.first == 0 for m in mentions) else ""
    if opens_on and not service:  # "formation CACES des conducteurs": the training (an entry) is what it wants
        wants = {m.entry.key: m for m in mentions if m.first == 0}
    serves = index.served(resources) if index is not None and entry.kind is EntryKind.CAPACITY else {}
    if doing:  # people who say what they do serve that, not everything such people can do (cleaning rooms)
        serves = {k: v for k, v in serves.items() if k in resources or k in doing}
    takes_away = _leads_with(words, markers, lists) or (entry.kind is EntryKind.NEED and (
        _DISPOSAL.search(entry.description) is not None
        or (any(m.entry.waste_code for m in wants.values()) and bool(norms & _REMOVAL))))
    if takes_away and index is not None and HAZARDOUS_COLLECTION in index.entries:
        # Used oil, solvents, batteries… to take away all go to an approved collector: two such needs pool on it
        hazardous = [m for m in wants.values() if m.entry.hazardous]
        if hazardous:
            first = hazardous[0]
            wants = {**wants, HAZARDOUS_COLLECTION: Mention(index.entries[HAZARDOUS_COLLECTION], first.first,
                                                           first.last, first.surface)}
    if entry.kind is EntryKind.NEED and index is not None and EMPLOYER_GROUP in index.entries and (
            EMPLOYER_GROUP not in wants and _seasonal_staff(wants, seasons)):
        # An employers' group answers seasonal staff needs (code du travail, art. L1253-1): such a need pools with
        # a need for a shared, part-time employee (« un salarié partagé »): a part-time post and another's
        # seasonal peak make one job all year. (What meets it in a substitution is unchanged.)
        first = min(wants.values(), key=lambda m: m.first)
        pooled = {EMPLOYER_GROUP: Mention(index.entries[EMPLOYER_GROUP], first.first, first.last, first.surface)}
    else:
        pooled = {}
    if serving:  # the words of what the service applies to ("sortir *les bateaux* de l’eau")
        applied = frozenset(w.stem for w in words[1:purpose] if _object_word(entry.description, w))
    else:
        applied = frozenset()
    return Line(entry, mentions, serves, resources, uses, wants, found_phrases, contexts, singles,
                 takes_away, seasons, amounts, purchase, service, opens_on,
                 frozenset(w.stem for w in words), max(1, len(words)),
                 _unknown_items(entry, words, mentions) - lists.generic,
                 {words[m.first].stem: m for m in resources.values() if _named_by_head(entry.description, words, m)},
                 objects, *_qualified(entry.description, words, lists), applied,
                 entry.kind is EntryKind.CAPACITY and _TAINT.search(entry.description) is not None,
                 _trade(entry.description, words, mentions, lists),
                 entry.kind is EntryKind.CAPACITY and bool(words) and words[0].norm in _ADVICE, pooled,
                 _days(entry), entry.kind is EntryKind.CAPACITY and _USED.search(entry.description) is not None)


def _trade(text: str, words: Sequence[Word], mentions: Sequence[Mention], lists: _Words) -> frozenset[str]:
    """Which trade the people a line names are of: the words after the first of them, up to a purpose or a new
    clause (« apprenti boulanger », « stagiaires en charpente navale », « stages de mécanique et de construction
    navale »), the other people named included (« apprenti mécanicien marine »). Empty when the line names no
    people, or says no trade (« stages et apprentissages en entreprise »)."""
    # people (« apprenti », « accueil de stagiaires », « mécanicien »); a service (« entretien des camions ») applies
    # to a thing, which is no trade
    people = [m for m in mentions if m.entry.category == "competences-emploi"
              and words[m.first].norm not in _SERVICE_ON | _SERVICES]
    if not people:
        return frozenset()
    first = min(people, key=lambda m: m.first)
    found = set()
    for word in words[first.last + 1 :]:
        between = text[words[first.last].end : word.start]
        if _TRADE_END.search(between):
            break
        if word.stem not in lists.generic and word.norm not in lists.generic:
            found.add(word.stem)
    return frozenset(found)


_TRADE_END = re.compile(r"[;:.()?!]|\b(pour|afin|avec|sur|chez|dans|à|au|aux|qui|que|mobilisables?)\b", re.IGNORECASE)


# What says a by-product is soiled: it is what it is (oily chips still go to a metal recycler), but it serves no use
# on soil, in feed or in litter ("boues d’épuration (chrome)", "bois traité", "eaux … basiques (pH 12)").
# « non traité », « sans chrome » say the opposite.
_TAINT = re.compile(
    r"(?<!non\s)(?<!sans\s)\b(huileu(?:x|se|ses)|souillée?s?|chromée?s?|chrome|amiant[ée]e?s?|amiante|plomb|"
    r"hydrocarbures?|polluée?s?|contaminée?s?|basiques?|traitée?s?|peinte?s?|vernie?s?|antifouling|mastics?|"
    r"pH\s*1[1-4])\b",
    re.IGNORECASE,
)


# How French says "I have to get rid of it", anywhere in a need: "que faire des restes ?", "quelqu’un qui les
# reprend", "trouver preneur", "s’en débarrasser", "il faut une solution", "un débouché pour le lactosérum". Such a
# need is met by who takes it in, never by another's waste.
_DISPOSAL = re.compile(
    r"\bque\s+faire\s+(de|des|du|d['’])|\bqui\s+(les?|la|l['’]|en)\s*(reprenne|reprend|récupère|recupere|prenne|"
    r"prend|enlève|enleve|veut|veuille)|\bpreneurs?\b|\b(il\s+faut|trouver)\s+une\s+solution\b|\bdébarrasser\b|"
    r"\bdebarrasser\b|\bne\s+sai[st]\s+(plus\s+)?où|\bd[ée]bouch[ée]s?\b",
    re.IGNORECASE,
)
# "pour" followed by a time says when, not what for: "saisonniers pour l’hiver, et les loger" also wants housing.
_WHEN = (r"(?:l['’]\s*|le\s+|la\s+|les\s+|cet\s+|cette\s+)?(?:hiver|été|ete|printemps|automne|saisons?|week-?ends?|"
         r"vacances|congés|conges|fêtes|fetes|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|"
         r"octobre|novembre|décembre|decembre)\b")
_PURPOSE = re.compile(
    r"\b(pour(?!\s+" + _WHEN + r")|afin|comme|utilisables?|destinée?s?)\b|\bà\s+(?=\w+(?:er|ir|re)\b)", re.IGNORECASE)


def _purpose_start(text: str, words: Sequence[Word], mentions: Sequence[Mention]) -> int:
    """The index of the first word after a purpose marker ("pour", "comme"…) that follows the first mention.

    Before it, the line says what is offered or wanted; after it, what for. No marker: the end of the line.
    """
    if not mentions:
        return len(words)
    first_end = words[min(m.last for m in mentions if m.first == min(x.first for x in mentions))].end
    marker = _PURPOSE.search(text, first_end)
    if marker is None:
        return len(words)
    return next((i for i, w in enumerate(words) if w.start >= marker.end()), len(words))


def _before_unknown_purpose(text: str, words: Sequence[Word], wants: dict[str, Mention],
                            lists: _Words) -> dict[str, Mention]:
    """A need naming something the knowledge base does not know, then its purpose, wants that thing: a resource
    named in the purpose only says what for. A use there is still wanted ("substrat pour cultiver des
    pleurotes"), and so are the items it lists ("coproduits pour la ration (pulpes, drêches)")."""
    marker = _PURPOSE.search(text)
    if marker is None:
        return wants
    start = next((i for i, w in enumerate(words) if w.start >= marker.end()), len(words))
    if any(m.first < start for m in wants.values()) or not any(
            w.stem not in lists.generic and w.norm not in lists.generic for w in words[:start]):
        return wants
    return {k: m for k, m in wants.items() if m.entry.is_use or _in_list(text, words[m.first].start)}


def _close(text: str, before: Word, after: Word) -> bool:
    return len(text[before.end : after.start]) <= 6


def _wanted(text: str, words: Sequence[Word], mentions: Sequence[Mention], purpose: int) -> dict[str, Mention]:
    """What a need asks for: what it names before its purpose, or, with nothing there, its purpose.

    A use or resource written after "pour" says what the need is for, not a second need: "vapeur pour le chauffage"
    wants steam (any heat source would not do), "broyeur pour les tailles de haies" wants a shredder, not hedge
    trimmings, "laitier … pour le ciment" wants slag. A need opening on its purpose ("substrat pour cultiver des
    pleurotes") wants that purpose. A need listing the resources it takes, after a colon or in brackets
    ("intrants pour le méthaniseur : lisier, fumier…", "substrat (paille, marc, copeaux)"), wants those: its
    purpose only says what for, and not everything that could serve it is welcome. A list after a resource named
    says which kind of it ("invendus alimentaires frais (fruits, légumes)" wants unsold food, not vegetables).
    """
    wish = _WISH.search(text)
    if wish is not None:  # "vapeur pour les cuves : on voudrait passer au bois" also wants wood fuel
        said = {m.entry.key: m for m in mentions if words[m.first].start >= wish.end()}
        if said:
            return {**_wanted(text[: wish.start()], words, [m for m in mentions if m.entry.key not in said],
                              purpose), **said}
    before = {m.entry.key: m for m in mentions if m.first < purpose}
    in_list = {m.entry.key: m for m in mentions if _in_list(text, words[m.first].start)}
    named = {k: m for k, m in before.items() if k not in in_list and not m.entry.is_use}
    if named:  # "invendus alimentaires (fruits, légumes…)": the list says which invendus
        return {k: m for k, m in before.items() if k not in in_list}
    listed = {k: m for k, m in in_list.items() if not m.entry.is_use}
    if listed and _OPEN_LIST.search(text):  # "(paille, ou autre chose qui absorbe)": examples, the purpose stays
        return {**before, **listed}
    if listed:
        return listed
    return before or {m.entry.key: m for m in mentions}


# A clause after a colon or a dash saying what is wanted ("… : il faut de la terre, de la matière organique",
# "… : on voudrait passer au bois"): what it names is wanted, uses too, whatever comes before.
_WISH = re.compile(r"[:;—–]\s*(?:(?:on|nous|je)\s+(?:voudrai(?:t|s)|voudrions|cherch(?:e|ons)|aimerai(?:t|s)|"
                   r"souhait(?:e|ons|erait|erais))|il\s+(?:nous\s+|me\s+)?faut(?:drait)?)\b", re.IGNORECASE)

# A list that gives examples, not the only things welcome: "… ou autre chose", "etc.", "…", "tout ce qui…".
_OPEN_LIST = re.compile(r"\bou\s+autres?\b|\betc\b|…|\.\.\.|\btout\s+ce\s+qui\b|\bou\s+équivalent", re.IGNORECASE)


def _qualified(text: str, words: Sequence[Word], lists: _Words) -> tuple[dict[str, str], frozenset[str]]:
    """Which word says which thing each word is ("filets *de pêche*", "huiles *moteur*", "huile *d’olive*"), and
    the words that only do that after a noun that is not generic ("marc de *café*", "agents de *cuisine*"; the
    object of a generic head, "achat groupé d’*électricité*", is what the line is about)."""
    qualifiers: dict[str, str] = {}
    details: set[str] = set()
    for before, after in pairwise(words):
        between = text[before.end : after.start]
        if before.stem in details and _AND_DE.fullmatch(between):
            details.add(after.stem)  # "voiles de dériveurs et de planches": planches says which voiles too
            continue
        if not (between.strip() == "" or _DE_BETWEEN.fullmatch(between)):
            continue
        if after.stem in lists.generic or after.norm in lists.generic or before.norm in lists.generic \
                or before.stem in lists.generic:
            continue
        qualifiers.setdefault(before.stem, ("de " if between.strip() else "") + after.stem)
        if between.strip():
            details.add(after.stem)
    return qualifiers, frozenset(details)


def _named_by_head(text: str, words: Sequence[Word], mention: Mention) -> bool:
    """Whether the first word of a resource's mention names it: one word, or a head and its complement ("marc de
    café" is marc). A head with an adjective is another thing ("chambre froide" is no room to sleep in)."""
    return mention.first == mention.last or _DE_BETWEEN.fullmatch(
        text[words[mention.first].end : words[mention.first + 1].start]) is not None


# What a need replaces or tops up is what it has, not what it wants: « remplacer la vieille chaudière fioul »,
# « pour remplacer une partie de l’azote minéral », « compléter le forage pour l’irrigation » (wants water for
# irrigation, not a borehole), « chaufferie fioul … à remplacer par du bois ». Up to the end of the clause, a purpose
# or what it is replaced by (« par du bois »).
_REPLACING = re.compile(r"\b(remplacer|compléter|completer)\b(?![^,;:.()]*\b(?:par|pour|avec)\b)[^,;:.()]*$",
                        re.IGNORECASE)
_REPLACED_AFTER = re.compile(r"^[^,;:.()]*?\bà\s+remplacer\b", re.IGNORECASE)


def _replaced(text: str, start: int, end: int) -> bool:
    return _REPLACING.search(text[:start]) is not None or _REPLACED_AFTER.match(text[end:]) is not None


_WHERE_TO = re.compile(r"\b(en|avec|par|dans|via|sinon|vers|à\s+la|au|aux|sur\s+(?:le|la|les|l['’]))\s*$",
                       re.IGNORECASE)
_WITHOUT = re.compile(r"\bsans\s+(?:(?:le|la|les|du|de|des|d['’]|l['’])\s*)?$", re.IGNORECASE)
_DE_END = re.compile(r"\b(de|des|du|d['’]|de\s+la|de\s+l['’])\s*$", re.IGNORECASE)  # "lavage *de* vêtements"
_AND_DE = re.compile(r"\s*(,|et|ou)\s*(de|des|du|d['’]|de\s+la|de\s+l['’])\s*", re.IGNORECASE)
_DE_BETWEEN = re.compile(r"\s*(de|des|du|d['’]|de\s+la|de\s+l['’])\s*", re.IGNORECASE)


# Where the action a need opens on stops applying: a new clause ("…, notre chambre froide est trop petite"), or a
# means ("en camion frigorifique", "avec d’autres producteurs").
_CLAUSE_END = re.compile(r"[;:.()?!]|,\s*(?:notre|nos|mon|ma|mes|il|elle|on|nous|ça|ca|c['’]|je|j['’])\b",
                         re.IGNORECASE)
_MEANS = re.compile(r"\b(en|avec|par|dans|via|sans)\s*$", re.IGNORECASE)


def _object_word(text: str, word: Word) -> bool:
    end = _CLAUSE_END.search(text)
    return (end is None or word.start < end.start()) and _MEANS.search(text[: word.start]) is None


def _object_of_opening(text: str, words: Sequence[Word], mention: Mention) -> bool:
    """Whether a need's mention is what the service it opens on applies to ("livrer *les restaurants*")."""
    start = words[mention.first].start
    end = _CLAUSE_END.search(text)
    return (end is None or start < end.start()) and _MEANS.search(text[:start]) is None


def _without_details(text: str, words: Sequence[Word], resources: dict[str, Mention]) -> dict[str, Mention]:
    """A capacity's resources, less those in brackets after a resource of another kind: the brackets say where it
    comes from or what it holds ("marc de café (petit-déjeuner et restaurant)" offers coffee grounds, not a
    restaurant); of the same kind they say which ("déchets de bois (sciure, chutes)")."""
    outside = [m for m in resources.values() if text[: words[m.first].start].count("(")
               <= text[: words[m.first].start].count(")")]
    if not outside:
        return resources
    first = min(outside, key=lambda m: m.first)
    kept = {}
    for key, mention in resources.items():
        head = text[: words[mention.first].start]
        inside = head.count("(") > head.count(")")
        if not (inside and mention.first > first.first and mention.entry.category != first.entry.category):
            kept[key] = mention
    return kept


def _unknown_items(entry: InterviewEntry, words: Sequence[Word], mentions: Sequence[Mention]) -> frozenset[str]:
    """A need's listed items ("substrat (paille, marc, copeaux)") that no knowledge entry names: each meets a
    capacity whose resource starts with that word ("marc de café", "copeaux de rabotage")."""
    if entry.kind is not EntryKind.NEED or any(
            not m.entry.is_use and not _in_list(entry.description, words[m.first].start) for m in mentions):
        return frozenset()  # a resource named outside the list: the list details it
    covered = {i for m in mentions for i in range(m.first, m.last + 1)}
    return frozenset(w.stem for i, w in enumerate(words)
                     if i not in covered and _in_list(entry.description, w.start))


_ENUMERATION = re.compile(r",|\b(et|ou)\b", re.IGNORECASE)


def _in_list(text: str, position: int) -> bool:
    """Whether `position` lies in an enumeration after a colon or inside brackets ("… : lisier, fumier et
    vinasses", "(paille, marc, copeaux)"). A colon before one thing only is a note ("Chauffage : la serre…")."""
    head = text[:position]
    if head.count("(") > head.count(")"):
        start = head.rindex("(")
        end = text.find(")", position)
        segment = text[start + 1 : end if end >= 0 else len(text)]
    elif ":" in head:
        segment = text[head.rindex(":") + 1 :]
    else:
        return False
    return _ENUMERATION.search(segment) is not None


def _colon_list(text: str, position: int) -> bool:
    """Whether `position` lies in an enumeration after a colon, outside brackets ("Biodéchets : épluchures, …")."""
    head = text[:position]
    return ":" in head and head.count("(") <= head.count(")") and _in_list(text, position)


def _leads_with(words: Sequence[Word], markers: frozenset[str], lists: _Words) -> bool:
    """Whether the line opens on one of `markers`, generic words aside ("Collecte régulière des cartons").

    Further in, such a word is a detail ("saisonniers pour le tri des sciages"), not the direction of the line.
    """
    for word in words:
        if word.norm in markers:
            return True
        if word.stem not in lists.generic:
            return False
    return False


_WEEKEND = re.compile(r"\b(week-?ends?|samedis?|dimanches?)\b", re.IGNORECASE)
_WEEKDAYS = re.compile(r"\b(lundis?|mardis?|mercredis?|jeudis?|vendredis?|en\s+semaine|jours?\s+ouvrés|tous\s+les\s+"
                       r"jours|quotidien(?:ne)?s?|chaque\s+jour)\b", re.IGNORECASE)
# Taking employees to work (« navette pour les salariés », « covoiturage … 4 salariées sans voiture »).
_COMMUTING = re.compile(r"\b(salariée?s|employée?s|personnel)\b.*\b(navettes?|covoiturage|transport|trajets?|"
                        r"bus)\b|\b(navettes?|covoiturage|transport|trajets?)\b.*\b(salariée?s|employée?s|personnel)\b",
                        re.IGNORECASE)


def _days(entry: InterviewEntry) -> str:
    """When a line is: a capacity free only at the week-end (« libre le week-end », « le samedi »), a need on
    working days (weekdays named, or employees to take to work), else ""."""
    text = entry.description
    if entry.kind is EntryKind.CAPACITY:
        return "week-end" if _WEEKEND.search(text) and not _WEEKDAYS.search(text) else ""
    return "semaine" if (_WEEKDAYS.search(text) or _COMMUTING.search(text)) and not _WEEKEND.search(text) else ""


_USED = re.compile(r"\b(vides?|usagée?s?|usée?s?|hors\s+d['’]usage|réformée?s?|d['’]occasion|de\s+récupération)\b",
                   re.IGNORECASE)


def _seasonal_staff(wants: Mapping[str, Mention], seasons: frozenset[str]) -> bool:
    """Whether a need asks for staff for a season: seasonal workers, or people for a season it names."""
    people = [m for m in wants.values() if m.entry.category == "competences-emploi"]
    return bool(people) and (bool(seasons) or any(
        m.entry.key == SEASONAL_STAFF or SEASONAL_STAFF in m.entry.uses for m in people))
