# ruff: noqa: E501  (the case tables read better one case per line)
"""The resource knowledge base and what it lets the detection see, table-driven; the context rules; the
explanations; what the facilitator's decisions teach; and properties that hold for any interview lines."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier.models import KnowledgeFile
from atelier.rules.lead_views import (
    STATUS_DISMISSED,
    STATUS_PROMOTED,
    feedback_of,
    lead_explanation,
    lead_reason,
    lead_snapshot,
    lead_title,
    learned_rules,
)
from atelier.rules.leads import EntryKind, InterviewEntry, Lead, LeadKind, Strength, detect_leads
from atelier.scenario import SESSIONS_DIR, ScenarioError, load_knowledge, load_scenario

KNOWLEDGE = load_knowledge()
VOCABULARY = {c: [] for c in (
    "matieres-dechets", "energie", "eau", "equipements-locaux", "transport-logistique", "achats-groupes",
    "competences-emploi", "services-partages", "autre")}  # fmt: skip
NEED, CAPACITY = EntryKind.NEED, EntryKind.CAPACITY


def need(actor: str, category: str, text: str, quantity: float | None = None, unit: str = "") -> InterviewEntry:
    return InterviewEntry(actor, NEED, category, text, quantity, unit)


def capacity(actor: str, category: str, text: str, quantity: float | None = None, unit: str = "") -> InterviewEntry:
    return InterviewEntry(actor, CAPACITY, category, text, quantity, unit)


def leads_of(*entries: InterviewEntry, knowledge: KnowledgeFile | None = KNOWLEDGE, **kwargs: object) -> list[Lead]:
    return detect_leads(list(entries), VOCABULARY, knowledge, **kwargs)  # type: ignore[arg-type]


# --- the file itself ----------------------------------------------------------------------------------------


def test_the_knowledge_base_is_several_hundred_sourced_entries() -> None:
    assert len(KNOWLEDGE.resources) + len(KNOWLEDGE.uses) >= 250
    assert KNOWLEDGE.problems() == []
    categories = {c.key for c in load_scenario().categories}
    for entry in [*KNOWLEDGE.resources, *KNOWLEDGE.uses]:
        assert entry.category in categories, entry.key
        assert entry.sources, entry.key
    codes = [r.waste_code for r in KNOWLEDGE.resources if r.waste_code]
    assert len(codes) >= 75  # the wastes carry their European List of Waste code
    assert all(re.fullmatch(r"\d{2} \d{2} \d{2}", code) for code in codes)


def test_the_scenario_loader_brings_the_knowledge_base() -> None:
    assert load_scenario().knowledge.resources == KNOWLEDGE.resources


def test_a_broken_knowledge_base_is_refused_in_french(tmp_path) -> None:
    (tmp_path / "ressources.toml").write_text(
        'ressources = [{ cle = "sciure", categorie = "matieres-dechets", noms = ["sciure"], '
        'usages = ["litiere-inconnue"], src = ["usage"] }]\n[sources]\nusage = "Usage courant"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="usage inconnu « litiere-inconnue »"):
        load_knowledge(tmp_path)
    assert load_knowledge(tmp_path / "absent").resources == []  # without the file: words only
    assert (SESSIONS_DIR / "ressources.toml").exists()


# --- a need reached through the uses of what is offered -----------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "needed", "evidence"),
    [
        (("matieres-dechets", "Marc de café des percolateurs"), ("autre", "Substrat pour cultiver des pleurotes"),
         "marc de café → culture de pleurotes"),
        (("matieres-dechets", "Coquilles d’huîtres de l’écailler"), ("matieres-dechets", "Chaulage des prairies acides"),
         "coquilles d’huîtres → chaulage"),
        (("energie", "Chaleur perdue du four à pain la nuit"), ("energie", "Chauffer la serre au printemps"),
         "chaleur fatale → chauffage"),
        (("matieres-dechets", "Palettes cassées, une benne par mois"), ("matieres-dechets", "Bois de récup pour fabriquer des meubles"),
         "palettes cassées → fabriquer des meubles"),
        (("equipements-locaux", "Salle des fêtes vide du lundi au jeudi"), ("equipements-locaux", "Une salle pour 12 stagiaires"),
         "salle des fêtes → salle de formation"),
        (("competences-emploi", "Comptable retraitée, quelques heures par semaine"),
         ("competences-emploi", "Tenir la comptabilité de la brasserie"), "comptable → comptabilité"),
        (("matieres-dechets", "Petit-lait de la fromagerie"), ("matieres-dechets", "Nourrir les cochons à moindre coût"),
         "lactosérum → alimentation animale"),
        (("matieres-dechets", "Sciure de mélèze"), ("energie", "Combustible bois pour la chaudière"),
         "sciure → bois énergie"),
    ],
    ids=["coffee-to-mushrooms", "oyster-shells-to-liming", "oven-heat-to-greenhouse", "pallets-to-furniture",
         "empty-hall-to-training", "bookkeeper-to-accounts", "synonym-petit-lait", "across-categories"],
)  # fmt: skip
def test_a_use_is_reached_through_the_knowledge_base(
    offered: tuple[str, str], needed: tuple[str, str], evidence: str
) -> None:
    (lead,) = leads_of(capacity("giver", *offered), need("taker", *needed))
    assert lead.kind is LeadKind.SUBSTITUTION and lead.strength is Strength.STRONG
    assert (lead.providers, lead.receivers) == (("giver",), ("taker",))
    assert evidence in [e.text for e in lead.evidence]
    assert all(e.kind == "connaissance" for e in lead.evidence if e.text == evidence)


def test_without_the_knowledge_base_these_lines_do_not_meet() -> None:
    assert (
        leads_of(
            capacity("cafe", "matieres-dechets", "Marc de café"),
            need("champi", "autre", "Substrat pour cultiver des pleurotes"),
            knowledge=None,
        )
        == []
    )


@pytest.mark.parametrize(
    ("offered", "needed"),
    [
        (("matieres-dechets", "Cartons, 5 tonnes par mois"), ("matieres-dechets", "Verre à reprendre, 2 tonnes par mois")),
        (("competences-emploi", "Bénévole 2 heures par semaine"), ("services-partages", "Ménage 3 heures par semaine")),
        (("eau", "Saumure usée, 5 t par mois"), ("matieres-dechets", "Copeaux d’acier, 3 t par mois")),
        (("matieres-dechets", "Pneus usagés de tracteurs"), ("matieres-dechets", "Vieux draps usagés pour l’atelier couture")),
        (("matieres-dechets", "Copeaux d’acier d’usinage"), ("matieres-dechets", "Copeaux de bois pour la litière")),
        (("matieres-dechets", "Invendus de produits laitiers"), ("matieres-dechets", "Laitier de haut fourneau pour le ciment")),
        (("matieres-dechets", "Palettes cassées à évacuer"), ("matieres-dechets", "Palettes Europe en bon état")),
        (("matieres-dechets", "Restes de repas de l’hôtel"), ("matieres-dechets", "Aliment pour les porcs")),
    ],
    ids=["tonnes-are-not-a-resource", "hours-are-not-a-resource", "units-across-categories", "usages-is-not-a-matter",
         "steel-is-not-wood", "dairy-is-not-slag", "broken-pallets-are-not-good-ones", "catering-waste-not-pig-feed"],
)  # fmt: skip
def test_never_through_a_unit_or_a_homonym(offered: tuple[str, str], needed: tuple[str, str]) -> None:
    assert leads_of(capacity("giver", *offered), need("taker", *needed)) == []


# --- context rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((NEED, "services-partages", "Nettoyage des locaux"), (NEED, "services-partages", "Nettoyage des bureaux"), True),
        ((CAPACITY, "services-partages", "Nettoyage de voitures"), (NEED, "services-partages", "Nettoyage des locaux"), False),
        ((CAPACITY, "equipements-locaux", "Terrain de football libre le dimanche"), (NEED, "equipements-locaux", "Terrain pour poser des ruches"), False),
        ((CAPACITY, "equipements-locaux", "Terrains communaux en friche"), (NEED, "equipements-locaux", "Terrain pour poser des ruches"), True),
        ((NEED, "matieres-dechets", "Collecte des déchets de l’atelier"), (NEED, "matieres-dechets", "Collecte des déchets banals"), True),
        ((CAPACITY, "matieres-dechets", "Cartons vides"), (NEED, "matieres-dechets", "Collecte des cartons du magasin"), False),
        ((CAPACITY, "competences-emploi", "Pisteurs sans emploi l’été"), (NEED, "competences-emploi", "Saisonniers pour l’hiver"), False),
        ((CAPACITY, "competences-emploi", "Pisteurs sans emploi l’été"), (NEED, "competences-emploi", "Saisonniers en juillet"), True),
        ((NEED, "energie", "Vapeur pour le chauffage des cuves"), (NEED, "energie", "Chauffage des bureaux"), False),
        ((CAPACITY, "matieres-dechets", "Chutes de carton"), (NEED, "achats-groupes", "Achat groupé de cartons d’emballage"), False),
        ((CAPACITY, "matieres-dechets", "Épluchures de légumes de la conserverie"), (NEED, "matieres-dechets", "Que faire de nos déchets de cuisine ? quelqu’un qui les reprenne"), False),
        ((CAPACITY, "matieres-dechets", "Compostage des biodéchets sur notre plateforme"), (NEED, "matieres-dechets", "que faire de nos épluchures ?"), True),
        ((CAPACITY, "equipements-locaux", "Tonne à lisier à louer"), (NEED, "energie", "Intrants pour le méthaniseur"), False),
        ((CAPACITY, "matieres-dechets", "Lisier de porc"), (NEED, "energie", "Intrants pour le méthaniseur"), True),
        ((CAPACITY, "matieres-dechets", "Pneus usagés de tracteurs"), (NEED, "services-partages", "Déneigement des routes"), False),
        ((CAPACITY, "energie", "Chaleur perdue du compresseur"), (NEED, "equipements-locaux", "Atelier chauffé pour la mise en bouteille"), False),
        ((CAPACITY, "energie", "Chaleur perdue du compresseur"), (NEED, "energie", "Chauffer l’atelier de mise en bouteille"), True),
        ((CAPACITY, "matieres-dechets", "Invendus alimentaires du magasin"), (NEED, "energie", "Intrants pour notre méthaniseur : fumier et lisier"), False),
        ((CAPACITY, "matieres-dechets", "Fumier de cheval"), (NEED, "energie", "Intrants pour notre méthaniseur : fumier et lisier"), True),
        ((CAPACITY, "matieres-dechets", "Marc de café du bar"), (NEED, "autre", "Substrat pour champignons (paille, marc)"), True),
        ((NEED, "competences-emploi", "Formation CACES des nouveaux conducteurs"), (NEED, "competences-emploi", "Conducteurs d’engins en renfort"), False),
        ((NEED, "matieres-dechets", "Récupérer des invendus alimentaires (fruits, légumes)"), (NEED, "achats-groupes", "Fruits et légumes locaux pour la cantine"), False),
        ((CAPACITY, "matieres-dechets", "Fumier de cheval"), (NEED, "autre", "Cultiver des pleurotes"), False),
        ((CAPACITY, "matieres-dechets", "Paille d’orge"), (NEED, "autre", "Cultiver des pleurotes"), True),
        ((CAPACITY, "energie", "Chaleur perdue des fours"), (CAPACITY, "eau", "Eau tiède des condenseurs"), True),
        ((CAPACITY, "energie", "Chaleur perdue des compresseurs"), (NEED, "energie", "Chauffage : la serre gèle l’hiver"), True),
        ((NEED, "competences-emploi", "Saisonniers pour la cueillette en été"), (NEED, "competences-emploi", "Saisonniers pour la taille en hiver"), True),
        ((CAPACITY, "equipements-locaux", "Mobil-homes vides hors saison"), (NEED, "competences-emploi", "Cuisiniers pour l’hiver, et les loger"), True),
        ((CAPACITY, "equipements-locaux", "Mobil-homes vides, pourraient loger des saisonniers d’hiver"), (NEED, "competences-emploi", "Saisonniers en juillet"), False),
        ((NEED, "equipements-locaux", "Local pour extraire le miel en juillet"), (NEED, "services-partages", "Nettoyage des sanitaires en juillet"), False),
        ((CAPACITY, "equipements-locaux", "Hangar hors gel de 200 m², vide l’été"), (NEED, "energie", "Chauffage au propane des bureaux"), False),
        ((CAPACITY, "matieres-dechets", "Lactosérum doux de la fromagerie"), (NEED, "matieres-dechets", "Un sous-produit laitier pour nos porcs"), True),
        ((CAPACITY, "matieres-dechets", "Drêches humides, une benne par brassin"), (NEED, "matieres-dechets", "Un complément pour l’engraissement des agneaux"), True),
        ((CAPACITY, "matieres-dechets", "Petit-lait"), (NEED, "matieres-dechets", "De quoi remplacer une partie de l’orge des truies"), True),
        ((CAPACITY, "energie", "Plaquettes sèches livrées à la demande"), (NEED, "energie", "Chaufferie fioul de l’école : on voudrait passer au bois"), True),
        ((CAPACITY, "services-partages", "Capacité de lavage libre en hiver"), (NEED, "services-partages", "Laver les draps des gîtes"), True),
        ((CAPACITY, "matieres-dechets", "Compost de la plateforme intercommunale"), (NEED, "matieres-dechets", "Reverdir les talus du lotissement : il faut de la matière organique, des semences"), True),
        ((CAPACITY, "energie", "Plaquettes de bois séchées sous hangar"), (NEED, "energie", "Vapeur pour l’autoclave (chaudière gaz) : on voudrait passer au bois"), True),
        ((CAPACITY, "energie", "Plaquettes de bois séchées sous hangar"), (NEED, "energie", "Vapeur pour l’autoclave (chaudière gaz)"), False),
        ((CAPACITY, "matieres-dechets", "Chutes de chêne, bouts de poutres"), (NEED, "energie", "Bûches et bois d’allumage pour le poêle du gîte"), True),
        ((CAPACITY, "matieres-dechets", "Chutes de douglas non traité"), (NEED, "matieres-dechets", "Du bois pour fabriquer des nichoirs"), True),
        ((NEED, "achats-groupes", "Produits d’accueil des chambres, achetés seuls"), (NEED, "achats-groupes", "Produits d’entretien en commande groupée"), True),
        ((NEED, "matieres-dechets", "Huiles usagées et filtres du garage à faire enlever"), (NEED, "matieres-dechets", "Faire reprendre nos huiles de vidange"), True),
        ((NEED, "matieres-dechets", "Restes de repas, pas de place pour composter"), (NEED, "matieres-dechets", "Épluchures de la cantine, pas de jardin pour composter"), True),
        ((CAPACITY, "equipements-locaux", "Grange vide de juin à septembre"), (NEED, "equipements-locaux", "Un endroit sec pour nos sacs de ciment, l’été"), True),
        ((CAPACITY, "equipements-locaux", "Hangar agricole vide l’été"), (NEED, "equipements-locaux", "Un abri pour stocker le bois de chauffage"), True),
        ((NEED, "achats-groupes", "Visserie et colles, achetées seules"), (NEED, "achats-groupes", "Quincaillerie : petites commandes, prix forts"), True),
        ((NEED, "achats-groupes", "Film sous vide pour les fromages"), (NEED, "achats-groupes", "Emballages alimentaires, petits volumes"), True),
        ((CAPACITY, "equipements-locaux", "Salle polyvalente libre du lundi au jeudi"), (NEED, "equipements-locaux", "Une salle pour le club de scrabble, en semaine"), True),
        ((CAPACITY, "transport-logistique", "Cars et chauffeurs libres en juillet-août"), (NEED, "transport-logistique", "Une navette vers la plage l’été"), True),
        ((CAPACITY, "transport-logistique", "Cars et chauffeurs libres en juillet-août"), (NEED, "matieres-dechets", "Pneus de cars usagés à faire enlever"), False),
        ((CAPACITY, "matieres-dechets", "Restes de repas de la brasserie"), (NEED, "matieres-dechets", "Mettre en place la collecte des biodéchets des commerces"), True),
        ((CAPACITY, "equipements-locaux", "Séchoir à bois de la scierie, peu rempli"), (NEED, "matieres-dechets", "Bois d’œuvre sec pour nos fenêtres, aujourd’hui importé"), True),
        ((NEED, "matieres-dechets", "Bois d’œuvre sec pour nos fenêtres, aujourd’hui importé"), (NEED, "equipements-locaux", "Un abri pour ranger le bois et faire sécher les bûches"), False),
        ((CAPACITY, "equipements-locaux", "Séchoir à bois de la scierie, peu rempli"), (NEED, "energie", "Séchage des chaussures de location"), False),
        ((CAPACITY, "transport-logistique", "Monte-charge libre l’été, jusqu’à 500 kg"), (NEED, "transport-logistique", "Grumier : jusqu'à 3 semaines d'attente"), False),
        ((CAPACITY, "energie", "Microcentrale sur le ruisseau, production vendable en direct"), (NEED, "energie", "Électricité de l’atelier : on cherche de l’électricité produite localement"), True),
    ],
    ids=["same-thing-cleaned", "cleaning-cars-is-not-cleaning-rooms", "football-pitch-is-not-for-hives",
         "waste-land-is-for-hives", "three-collections-of-waste-pool", "both-have-cartons-to-give",
         "summer-staff-winter-need", "summer-staff-summer-need", "steam-for-heating-wants-steam",
         "a-purchase-is-not-waste", "a-need-to-get-rid-is-not-met-by-more-waste",
         "a-need-to-get-rid-is-met-by-who-takes-it-in", "a-slurry-tanker-is-not-slurry", "slurry-feeds-a-digester",
         "tractor-tyres-are-not-a-tractor", "a-heated-room-is-a-room", "heating-a-room-is-heat",
         "a-listed-need-wants-its-list", "a-listed-item-is-welcome", "an-item-listed-unknown-to-the-base",
         "a-training-is-not-staff", "a-list-after-a-resource-says-which", "manure-is-not-an-oyster-substrate",
         "straw-is", "cooling-water-is-waste-heat", "a-colon-before-one-thing-is-a-note",
         "needs-in-turn-pool-one-job-all-year", "pour-l-hiver-is-when-not-what-for", "housing-staff-is-not-staff",
         "a-month-is-not-a-resource", "a-frost-free-room-offers-no-heat", "a-dairy-by-product-is-whey",
         "fattening-is-feed", "replacing-barley-is-feed", "dry-chips-to-a-switch-to-wood", "washing-capacity-is-laundry",
         "what-is-needed-after-il-faut", "what-is-wanted-after-on-voudrait", "a-gas-boiler-alone-wants-no-wood",
         "offcuts-of-a-species-are-kindling", "offcuts-make-nest-boxes", "amenities-and-cleaning-products-pool",
         "used-oil-and-filters-pool-on-a-collector", "composting-leftovers-is-a-removal",
         "a-dry-place-is-storage", "a-shelter-to-store-is-storage", "hardware-supplies-pool", "food-packaging-pools",
         "a-room-for-a-club-is-a-room", "idle-coaches-run-a-shuttle", "coach-tyres-are-no-coach",
         "leftovers-feed-a-biowaste-collection", "a-timber-kiln-dries-timber", "a-timber-kiln-dries-no-boots",
         "drying-logs-is-not-buying-dried-timber", "jusqu-is-no-word",
         "small-hydro-sells-local-power"],
)  # fmt: skip
def test_context_rules(first: tuple[EntryKind, str, str], second: tuple[EntryKind, str, str], meet: bool) -> None:
    leads = leads_of(InterviewEntry("one", *first), InterviewEntry("two", *second))
    assert bool(leads) is meet, [(lead.kind, lead.matched_words) for lead in leads]


def test_three_actors_needing_waste_collection_are_pooled() -> None:
    entries = [need(a, "matieres-dechets", text) for a, text in (
        ("garage", "Collecte des déchets de l’atelier"), ("boulangerie", "Ramassage des déchets banals"),
        ("imprimerie", "Collecte mutualisée des déchets non dangereux"))]  # fmt: skip
    (lead,) = leads_of(*entries)
    assert lead.kind is LeadKind.MUTUALISATION and lead.actor_keys == ("boulangerie", "garage", "imprimerie")


# --- explanations -------------------------------------------------------------------------------------------


def test_the_title_names_the_resource_on_both_sides() -> None:
    (lead,) = leads_of(
        capacity("cafe", "matieres-dechets", "Marc de café, 2 seaux par jour"),
        need("champi", "autre", "Substrat pour cultiver des pleurotes"),
    )
    names = {"cafe": "Café du Marché", "champi": "Champignonnière"}
    assert lead_title(lead, names) == "marc de café (Café du Marché) → cultiver des pleurotes (Champignonnière)"


def test_every_contributing_entry_and_word_is_shown_with_its_source() -> None:
    (lead,) = leads_of(
        capacity("cafe", "matieres-dechets", "Marc de café"),
        need("champi", "autre", "Substrat pour cultiver des pleurotes"),
    )
    assert lead.reason.startswith("forte : ")
    lines = lead_explanation(lead)
    assert lines == ["connaissance : marc de café → culture de pleurotes [LER 20 01 08 ; CAFE ; CHAMPIGNONS]"]
    (weak,) = leads_of(
        capacity("a", "autre", "Vieilles tuiles romanes"), need("b", "autre", "Tuiles romanes"), knowledge=None
    )
    assert weak.strength is Strength.MEDIUM and {e.text for e in weak.evidence} == {"tuiles", "romanes"}
    assert weak.reason == "moyenne : 2 mots en commun"
    (single,) = leads_of(capacity("a", "autre", "Broyat"), need("b", "autre", "du broyat"), knowledge=None)
    assert single.strength is Strength.WEAK and single.reason == "faible : un seul mot en commun, à vérifier"


def test_quantities_are_compared_when_both_sides_give_them() -> None:
    (lead,) = leads_of(
        capacity("scierie", "matieres-dechets", "Sciure, 2 t par mois"),
        need("ferme", "matieres-dechets", "Litière pour les vaches, 4 t par mois"),
    )
    assert lead.quantities == "offre 2 t par mois ; besoin 4 t par mois : l’offre couvre 50 % du besoin"
    assert "quantités : offre 2 t par mois ; besoin 4 t par mois : l’offre couvre 50 % du besoin" in lead_explanation(
        lead
    )
    (one_side,) = leads_of(
        capacity("scierie", "matieres-dechets", "Sciure, 2 t par mois"),
        need("ferme", "matieres-dechets", "Litière pour les vaches"),
    )
    assert one_side.quantities == ""


def test_a_lead_reads_in_english_on_an_english_page() -> None:
    """The detection returns data (strength, kinds of evidence, knowledge entries); the words are the page's."""
    (lead,) = leads_of(
        capacity("cafe", "matieres-dechets", "Marc de café, 2 t par mois"),
        need("champi", "autre", "Substrat pour cultiver des pleurotes, 4 t par mois"),
    )
    assert lead_reason(lead, "en") == "strong: the knowledge base links what is offered to what is sought"
    assert lead_reason(lead, "fr") == lead.reason == ("forte : la base de connaissances relie ce qui est offert à ce "
                                                      "qui est cherché")
    assert lead_explanation(lead, "en") == [
        "knowledge: coffee grounds → oyster mushroom growing [LER 20 01 08 ; CAFE ; CHAMPIGNONS]",
        "quantities: offer 2 t par mois; need 4 t par mois: the offer covers 50% of the need",
    ]
    (pooled,) = leads_of(capacity("a", "energie", "Chaleur fatale des fours"), capacity("b", "energie", "Chaleur perdue"))
    assert lead_title(pooled, {"a": "A", "b": "B"}, "en") == "In common: chaleur fatale (A, B)"
    assert lead_explanation(pooled, "en") == ["knowledge: waste heat (same resource) [KALUNDBORG ; DUNKERQUE ; ADEME-EIT]"]
    (weak,) = leads_of(capacity("a", "autre", "Tuiles romanes"), need("b", "autre", "Tuiles anciennes"), knowledge=None)
    assert lead_reason(weak, "en") == "weak: a single word in common, to be checked"
    assert lead_explanation(weak, "en") == ["word: tuiles"]


def test_every_knowledge_entry_has_an_english_label() -> None:
    entries = [*KNOWLEDGE.resources, *KNOWLEDGE.uses]
    missing = [e.key for e in entries if not e.label_en]
    assert missing == []
    assert not [e.key for e in entries if set(e.label_en) & set("éèêàâçùûôîœ")]  # English, not French left over


def test_one_lead_per_pair_and_kind() -> None:
    entries = [capacity("scierie", "matieres-dechets", "Sciure"), capacity("scierie", "matieres-dechets", "Copeaux de bois"),
               need("ferme", "matieres-dechets", "Litière pour les vaches"),
               need("ferme", "energie", "Combustible bois pour la chaudière")]  # fmt: skip
    (lead,) = leads_of(*entries)
    assert lead.kind is LeadKind.SUBSTITUTION and len(lead.entries) == 4
    assert lead.categories == ("energie", "matieres-dechets")


# --- learning from the facilitator --------------------------------------------------------------------------


def _decision(lead: Lead, status: str, reason: str = "") -> dict[str, object]:
    return {"status": status, "reason": reason, "snapshot": lead_snapshot(lead)}


def test_a_dismissed_lead_becomes_a_non_match_for_this_territory_and_can_be_undone() -> None:
    first = [
        capacity("garage", "services-partages", "Vieilles tuiles romanes"),
        need("mairie", "autre", "Tuiles romanes"),
    ]
    (lead,) = leads_of(*first, knowledge=None)
    decisions = {lead.key: _decision(lead, STATUS_DISMISSED, "tuiles cassées, inutilisables")}
    again = [*first, capacity("ferme", "autre", "Tuiles romanes de la grange"), need("gite", "autre", "Tuiles romanes")]
    leads = leads_of(*again, knowledge=None, feedback=feedback_of(decisions))
    assert leads and all(lead.blocked and lead.blocked_reason == "tuiles cassées, inutilisables" for lead in leads)
    (rule,) = learned_rules(decisions)
    assert rule.lead_key == lead.key and rule.status == STATUS_DISMISSED and rule.evidence == ("romanes", "tuiles")
    decisions[lead.key]["status"] = "proposee"  # restored: the rule goes
    assert not any(lead.blocked for lead in leads_of(*again, knowledge=None, feedback=feedback_of(decisions)))


def test_a_promoted_lead_strengthens_similar_matches() -> None:
    (lead,) = leads_of(capacity("a", "autre", "Broyat"), need("b", "autre", "Broyat"), knowledge=None)
    assert lead.strength is Strength.WEAK
    feedback = feedback_of({lead.key: _decision(lead, STATUS_PROMOTED)})
    (similar,) = leads_of(
        capacity("c", "autre", "Broyat"), need("d", "autre", "Broyat"), knowledge=None, feedback=feedback
    )
    assert similar.strength is Strength.MEDIUM and "une piste semblable a été promue" in similar.reason


def test_a_snapshot_from_before_learning_teaches_nothing() -> None:
    old = {
        "k": {"status": STATUS_DISMISSED, "reason": "x", "snapshot": json.dumps({"mots": ["sciure"]})},
        "bad": {"status": STATUS_DISMISSED, "reason": "x", "snapshot": "not json"},
    }
    assert learned_rules(old) == [] and not feedback_of(old).blocked


# --- properties for any lines -------------------------------------------------------------------------------

WORDS = [
    "sciure",
    "copeaux",
    "palettes",
    "litière",
    "chaleur",
    "serre",
    "marc de café",
    "pleurotes",
    "comptable",
    "tonnes",
    "2 heures",
    "nettoyage",
    "locaux",
    "collecte",
    "cartons",
    "usagés",
    "terrain",
    "ruches",
    "vapeur",
]
LINE = st.builds(
    InterviewEntry,
    st.sampled_from(["a", "b", "c", "d"]),
    st.sampled_from([NEED, CAPACITY]),
    st.sampled_from(sorted(VOCABULARY)),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=14))
def test_never_an_actor_with_itself_and_never_a_lead_twice(entries: list[InterviewEntry]) -> None:
    leads = detect_leads(entries, VOCABULARY, KNOWLEDGE)
    assert len({lead.key for lead in leads}) == len(leads)
    seen = set()
    for lead in leads:
        assert len(lead.actor_keys) >= 2  # never an actor with itself
        if lead.kind is LeadKind.SUBSTITUTION:
            assert len(lead.providers) == len(lead.receivers) == 1 and lead.providers != lead.receivers
            pair = (lead.kind, lead.providers, lead.receivers)
        else:
            pair = (lead.kind, lead.entries[0].kind, lead.actor_keys)
        assert pair not in seen  # one lead per pair (or group) and kind
        seen.add(pair)
