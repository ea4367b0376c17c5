"""French text helpers for matching interview wording: normalisation, words, stemmers, units, multi-word phrases.

Pure functions. Three stemmers can turn a word into the key two lines meet on (see `STEMMERS`):
* "snowball": the Snowball French stemmer (PyStemmer), on the word without accents so that "litiere" typed without
  its accent meets "litière";
* "simplemma": simplemma's French lemmatiser (dictionary based: "copeaux" → "copeau", "saisonnières" →
  "saisonnier"), the lemma then stripped of accents;
* "maison": the hand-written light stemmer `stem` this module started with (a few ordered suffix rules).
`DEFAULT_STEMMER` is the one the quality bench measured best on the labelled territories (figures in the bench's
output and in the commit that chose it). Numbers and units ("5 tonnes", "2 heures par semaine", "m³") are never
content words: a quantity says how much, not what.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import simplemma
import Stemmer as _snowball  # PyStemmer


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (easier to read and edit than a list)."""
    return frozenset(text.split())


# Short on purpose: articles, prepositions, pronouns, auxiliaries, elided forms ("l", "d", "qu"). Not "non":
# "bois non traité" is not "bois traité".
STOP_WORDS = word_set(
    """
    a au aux avec ce ces cet cette c d dans de des du elle elles en entre est et etre eux il ils
    j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous on ou par pas
    plus pour qu que qui quoi s sa se ses si son sur t ta te tes toi ton tu un une vos votre vous y
    ci ca dont dans chez sans tres peu bien aussi deja encore tout tous toute toutes autre autres
    ont sont sera etait fait faire avoir afin lors apres avant depuis vers jusqu lorsqu puisqu quoiqu
    un deux trois quatre cinq six sept huit neuf dix fois environ
    """
)

# Units, periods and counting words: they say how much or how often, never what. Normalised (no accents).
UNIT_WORDS = word_set(
    """
    t kg g tonne tonnes tonnage litre litres l hl hectolitre hectolitres m m2 m3 km ha hectare hectares
    stere steres map mwh kwh kw mw gwh w wh h heure heures min minute minutes jour jours journee journees
    semaine semaines mois an ans annee annees hebdo hebdomadaire mensuel mensuelle annuel annuelle quotidien
    par fois environ quelques plusieurs beaucoup nombre quantite volume volumes unite unites pourcent
    place places couvert couverts
    """
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=100_000)  # words repeat a lot across interview lines; the result never changes
def normalise(text: str) -> str:
    """Lowercase, ASCII letters: accents stripped, œ→oe, æ→ae, typographic apostrophes made plain.

    Elisions are split ("d’œuvre" → "d oeuvre", "l’eau" → "l eau") so the noun stands alone.
    """
    text = text.translate(_APOSTROPHES).translate(_LIGATURES).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\b([cdjlmnst]|qu|jusqu|lorsqu|puisqu)'", r"\1 ", text)


def sort_key(text: str) -> tuple[str, str, str]:
    """French alphabetical order without ICU: letters first compared without accents, case or ligatures
    ("Épicerie" between "Eau" and "Ferme", "Œuvre" as "oeuvre"), leading quotes and punctuation ignored
    ("« Le Panier »" under L); then accents and case only break ties, so the order is total and stable."""
    base = text.translate(_APOSTROPHES).translate(_LIGATURES).casefold()
    base = "".join(ch for ch in unicodedata.normalize("NFKD", base) if not unicodedata.combining(ch))
    primary = " ".join(re.sub(r"[\W_]+", " ", base).split())
    return primary, text.casefold(), text


def sorted_french(texts: Iterable[str]) -> list[str]:
    """`texts` in French alphabetical order (see `sort_key`)."""
    return sorted(texts, key=sort_key)


# --- stemming -------------------------------------------------------------------------------------------

# Derivational and inflectional endings, tried in this order; the first that fits is removed once.
# (ending, replacement, shortest stem allowed). Longer endings come before the shorter ones they contain.
_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    ("abilite", "abl", 4),  # comptabilité → comptabl (= comptable), disponibilité → disponibl
    ("issage", "i", 4),  # apprentissage → apprenti
    ("issement", "", 4),
    ("ation", "", 4),  # valorisation → valoris (= valoriser), formation → form
    ("ition", "", 4),
    ("trice", "t", 4),  # élévatrice → elevat (= élévateur)
    ("ement", "", 4),  # chargement → charg (= charger)
    ("ment", "", 4),
    ("aison", "", 3),  # livraison → livr (= livrer)
    ("iaire", "", 3),  # stagiaire → stag (= stage)
    ("iere", "", 4),  # saisonnière → saisonn → saison
    ("erie", "", 4),  # légumerie → legum (= légume), boulangerie → boulang
    ("euse", "", 4),  # raboteuse → rabot
    ("ique", "ic", 4),  # électrique → electric (= électricité)
    ("ite", "", 4),
    ("ion", "", 4),
    ("eur", "", 4),  # transporteur → transport, broyeur → broy (= broyer)
    ("ier", "", 4),  # saisonnier → saisonn → saison
    ("age", "", 4),  # chauffage → chauff (= chauffer), stockage → stock
    ("ive", "", 4),
    ("if", "", 4),
    ("ee", "", 3),  # tournée → tourn
    ("er", "", 3),  # livrer → livr
    ("e", "", 4),  # palette → palett → palet
)

# Words whose regular stem would collide with an unrelated word, or that only look plural.
_EXCEPTIONS = {
    "chauffeur": "chauffeur",  # a driver, not heating (chauffage)
    "chaudiere": "chaudier",  # a boiler, not "chaud" (hot, as in "eau chaude")
    "paillage": "paillag",  # mulching, not straw (paille)
    "dechetterie": "dechetterie",  # the tip, not the waste itself
    "compostage": "compostage",  # the process (a service), not the compost (a product)
    "eaux": "eau",
    "materiaux": "materiau",
    "travaux": "travail",
    "bois": "bois",
    "fois": "fois",
    "pays": "pays",
    "process": "process",
}


def _singular(word: str) -> str:
    if word.endswith("eaux") or word.endswith("eux"):
        return word[:-1]  # copeaux → copeau, feux → feu
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"  # locaux → local, métaux → métal
    if word.endswith(("s", "x")) and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@functools.lru_cache(maxsize=50_000)  # interview wording repeats a lot; the stem of a word never changes
def stem(word: str) -> str:
    """A light French stem of one normalised word (lowercase, no accents).

    Plural -s/-x and -aux→-al, then one derivational or inflectional ending (see `_SUFFIXES`), then a final
    doubled consonant is undoubled (saisonn → saison, palett → palet). Short words are kept as they are.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    word = _singular(word)
    if word in _EXCEPTIONS:  # the singular of an exception ("chauffeurs")
        return _EXCEPTIONS[word]
    for ending, replacement, shortest in _SUFFIXES:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            word = word[: -len(ending)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouy":
        word = word[:-1]
    return word


# --- words and phrases ----------------------------------------------------------------------------------


class Word(NamedTuple):  # a tuple: made for every word of every line, it must be cheap
    """One content word of a text: as written (lowercased), normalised, stemmed, and where it is."""

    surface: str
    norm: str
    stem: str
    start: int
    end: int


def tokens(text: str) -> list[str]:
    """The normalised words of `text`, stop words included (hyphens and apostrophes separate words)."""
    return _WORD.findall(normalise(text))


def is_content(norm: str) -> bool:
    """Whether a normalised word can carry meaning: not a stop word, not a number or unit, at least 3 letters."""
    return len(norm) >= 3 and norm.isalpha() and norm not in STOP_WORDS and norm not in UNIT_WORDS


# --- stemmers -------------------------------------------------------------------------------------------

StemFunction = Callable[[str], str]  # a lowercased word as written (accents kept) → the key lines meet on


@functools.lru_cache(maxsize=100_000)
def _snowball_stem(word: str) -> str:
    return _SNOWBALL.stemWord(normalise(word))


@functools.lru_cache(maxsize=100_000)
def _simplemma_stem(word: str) -> str:
    word = word.translate(_LIGATURES)  # "œuvre" and "oeuvre" typed either way give one lemma
    lemma = simplemma.lemmatize(word, lang="fr")
    if lemma == word and not simplemma.is_known(word, lang="fr"):
        lemma = _singular(normalise(word))  # a spelling the dictionary lacks ("elevateurs" without accents)
    elif word.endswith("es") and not word.endswith("ées") and lemma.endswith("er"):
        # A plural read as a verb's "tu" form: « serres » → serrer, « vides » → vider, « sèches » → sécher,
        # « tailles » → tailler. Interviews are not written to "tu": the plural is its singular's noun or adjective.
        lemma = simplemma.lemmatize(word[:-1], lang="fr")
    return normalise(lemma)


@functools.lru_cache(maxsize=100_000)
def _house_stem(word: str) -> str:
    return stem(normalise(word))


_SNOWBALL = _snowball.Stemmer("french")
STEMMERS: dict[str, StemFunction] = {"snowball": _snowball_stem, "simplemma": _simplemma_stem, "maison": _house_stem}
DEFAULT_STEMMER = "simplemma"


def warm_up() -> None:
    """Loads the default stemmer's tables (simplemma reads its French dictionary on first use)."""
    stemmer()("palettes")


def stemmer(name: str | None = None) -> StemFunction:
    """The stem function called `name` (default: `DEFAULT_STEMMER`)."""
    return STEMMERS[name or DEFAULT_STEMMER]


def content_words(text: str, stem_with: StemFunction | None = None) -> list[Word]:
    """The content words of `text`, in order, with their position in the original text."""
    stem_of = stem_with or stemmer()
    words = []
    for match in _WORD.finditer(text):
        lower = match.group().lower()
        for norm, stemmed in _parts(lower, stem_of):
            words.append(Word(lower, norm, stemmed, match.start(), match.end()))
    return words


@functools.lru_cache(maxsize=200_000)  # a territory repeats its words; the result never changes
def _parts(lower: str, stem_of: StemFunction) -> tuple[tuple[str, str], ...]:
    """The content words one written word makes, normalised and stemmed ("œuvre" → "oeuvre"; "m³" → "m3")."""
    norms = [lower] if lower.isascii() else tokens(lower)
    return tuple((norm, stem_of(lower if len(norms) == 1 else norm)) for norm in norms if is_content(norm))


def stems(text: str, stem_with: StemFunction | None = None) -> list[str]:
    """The stems of the content words of `text`, in order."""
    return [w.stem for w in content_words(text, stem_with)]


def phrase_key(phrase: str, stem_with: StemFunction | None = None) -> tuple[str, ...]:
    """How a phrase is matched: the stems of its content words ("chutes de bois" → ("chut", "bois"))."""
    return tuple(stems(phrase, stem_with))


# --- quantities -----------------------------------------------------------------------------------------

_QUANTITY = re.compile(
    r"(?<![\w,.])(\d+(?:[  .]\d{3})*(?:[,.]\d+)?)\s*(?:à\s*\d+(?:[,.]\d+)?\s*)?"
    r"(t|kg|tonnes?|litres?|l|hl|m3|m³|m2|m²|map|stères?|kwh|mwh|heures?|h|jours?|seaux?|bacs?|sacs?|couverts|repas|"
    r"palettes?|ha)\b(?:\s*(?:par|/|a|an)\s*(jour|semaine|mois|an|année|saison))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    amount: float
    unit: str  # normalised: "t", "kg", "l", "m3", "h", "jour"…
    period: str  # "jour", "semaine", "mois", "an" or ""
    text: str  # as written

    def per_year(self) -> float | None:
        factor = {"jour": 365.0, "semaine": 52.0, "mois": 12.0, "an": 1.0, "annee": 1.0}.get(self.period)
        return None if factor is None else self.amount * factor


_DIGIT = re.compile(r"\d")
_UNITS = {"tonne": "t", "tonnes": "t", "litre": "l", "litres": "l", "m³": "m3", "m²": "m2", "heure": "h", "heures": "h",
          "jours": "jour", "stere": "stere", "steres": "stere", "seaux": "seau", "bacs": "bac", "sacs": "sac",
          "palettes": "palette"}


def quantities(text: str) -> list[Quantity]:
    """The quantities written in a line ("2 t par mois", "100 t/an", "3 000 litres par jour")."""
    found: list[Quantity] = []
    if _DIGIT.search(text) is None:
        return found
    for match in _QUANTITY.finditer(text):
        amount = float(re.sub(r"[  .](?=\d{3})", "", match.group(1)).replace(",", "."))
        unit = normalise(match.group(2))
        found.append(Quantity(amount, _UNITS.get(unit, unit), normalise(match.group(3) or ""), match.group(0).strip()))
    return found


@dataclass(frozen=True)
class PhraseMatch:
    key: tuple[str, ...]
    surface: str  # the words as written in the text, e.g. "chariot elevateur"
    first: int  # index of its first word in the word list
    last: int


def phrase_index(keys: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Multi-word keys by their first stem, for `find_phrases` (build it once for many lines)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in keys:
        if len(key) > 1:
            by_first.setdefault(key[0], []).append(key)
    return by_first


def find_phrases(
    text: str, words: Sequence[Word], keys: Iterable[tuple[str, ...]] | Mapping[str, list[tuple[str, ...]]]
) -> list[PhraseMatch]:
    """Multi-word keys found as consecutive content words (stop words between them are skipped).

    Overlapping phrases are all reported: "récupération de chaleur fatale" holds two vocabulary phrases.
    `keys`: the keys, or their `phrase_index`.
    """
    by_first = keys if isinstance(keys, Mapping) else phrase_index(keys)
    found = []
    stems_in_text = [w.stem for w in words]
    for i, first in enumerate(stems_in_text):
        for key in by_first.get(first, ()):
            if tuple(stems_in_text[i : i + len(key)]) == key:
                last = i + len(key) - 1
                surface = text[words[i].start : words[last].end].lower()
                found.append(PhraseMatch(key, surface, i, last))
    return found


def vocabulary_keys(
    vocabulary: Mapping[str, Sequence[str]], stem_with: StemFunction | None = None
) -> dict[str, dict[tuple[str, ...], str]]:
    """Per category, each vocabulary entry's key with its written form (the first entry wins on a tie)."""
    keyed: dict[str, dict[tuple[str, ...], str]] = {}
    for category, phrases in vocabulary.items():
        entries = keyed.setdefault(category, {})
        for phrase in phrases:
            key = phrase_key(phrase, stem_with)
            if key:
                entries.setdefault(key, phrase)
    return keyed
