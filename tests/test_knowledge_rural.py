# ruff: noqa: E501  (the case tables read better one case per line)
"""The knowledge base on a rural or semi-urban territory's actors (farms, silo, quarry, sawmill, dairy, bakery, garages,
care home, campsite, municipality, waste syndicate, integration association), table-driven: a use is reached
through another writer's words and across categories, and never through a unit or a word that only looks alike."""

from __future__ import annotations

import re

import pytest

from atelier.models import KnowledgeFile
from atelier.rules.french import phrase_key, stemmer
from atelier.rules.knowledge import KnowledgeIndex
from atelier.rules.leads import EntryKind, InterviewEntry, Lead, LeadKind, Strength, detect_leads
from atelier.scenario import load_knowledge

KNOWLEDGE = load_knowledge()
VOCABULARY = {c: [] for c in (
    "matieres-dechets", "energie", "eau", "equipements-locaux", "transport-logistique", "achats-groupes",
    "competences-emploi", "services-partages", "autre")}  # fmt: skip
NEED, CAPACITY = EntryKind.NEED, EntryKind.CAPACITY


def leads_of(*entries: InterviewEntry, knowledge: KnowledgeFile | None = KNOWLEDGE) -> list[Lead]:
    return detect_leads(list(entries), VOCABULARY, knowledge)  # type: ignore[arg-type]


# --- the file -----------------------------------------------------------------------------------------------


def test_the_base_has_some_four_hundred_sourced_entries() -> None:
    assert len(KNOWLEDGE.resources) + len(KNOWLEDGE.uses) >= 400
    assert KNOWLEDGE.problems() == []
    for key in ("LER", "ADIVALOR", "CENDRES", "CARRIERES", "CALCAIRE", "ADEME-RESSOURCERIES", "GAROT"):
        assert KNOWLEDGE.sources[key], key
    wastes = {r.key: r.waste_code for r in KNOWLEDGE.resources}
    # The wastes added for a rural territory carry their European List of Waste code (decision 2000/532/EC).
    expected = {"fines-calcaires": "01 04 10", "steriles-decouverte": "01 01 02", "boues-lavage-granulats": "01 04 12",
                "grains-declasses": "02 03 04", "effluents-elevage": "02 01 06", "lait-declasse": "02 05 01",
                "farine-perimee": "02 06 01", "batteries": "16 06 01", "filtres-huile": "16 01 07", "vhu": "16 01 04",
                "dasri": "18 01 03", "evpp": "15 01 10", "graisses-flottation": "19 08 09", "filets-peche": "02 01 04"}
    assert {k: wastes[k] for k in expected} == expected
    assert all(re.fullmatch(r"\d{2} \d{2} \d{2}", code) for code in wastes.values() if code)


def test_no_phrasing_shrinks_to_a_lone_common_word() -> None:
    """A phrasing whose other words are stop words matches any line holding the one word left ("tout-venant" read
    as "venir", "remonter le pH" as "remonter", "son de blé" as "blé"). Those that do are reviewed: their one stem
    is specific enough to stand alone ("faire pâturer", "toiture de")."""
    reviewed = {"toit", "toiture", "tournee", "compost", "loger", "stocker", "paturer", "bidon", "parking", "bureau",
                "outil", "ensilage", "secher", "sechage", "scier", "decouper", "ble", "minibu", "froid"}
    index = KnowledgeIndex(KNOWLEDGE, stemmer())
    indexed = {(stems, key) for candidates in index._by_first.values() for stems, key in candidates}
    shrunk = []
    for entry in [*KNOWLEDGE.resources, *KNOWLEDGE.uses]:
        for phrasing in getattr(entry, "names", None) or entry.phrases:
            stems = phrase_key(phrasing, index.stem_with)
            several = len(phrasing.replace("’", " ").replace("'", " ").replace("-", " ").split()) > 1
            if several and len(stems) == 1 and (stems, entry.key) in indexed and stems[0] not in reviewed:
                shrunk.append((entry.key, phrasing))
    assert shrunk == []


# --- a use reached through the base, whatever the categories ------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "needed", "evidence"),
    [
        (("matieres-dechets", "Fines calcaires de concassage, stock de 2 000 t"), ("matieres-dechets", "Amendement calcaire pour les parcelles acides"), "fines calcaires → chaulage"),
        (("eau", "Eau d’exhaure pompée en fond de carrière"), ("eau", "Eau de gâchage pour la centrale à béton"), "eau d’exhaure → eau de gâchage"),
        (("matieres-dechets", "Grains cassés et poussières de silo"), ("matieres-dechets", "Nourrir les cochons à moindre coût"), "grains déclassés → alimentation animale"),
        (("matieres-dechets", "Rémanents et bois d’élagage de la commune"), ("energie", "Alimenter la chaudière à plaquettes de l’école"), "bois d’élagage → bois énergie"),
        (("energie", "Chaleur du séchoir à grains, perdue hors moisson"), ("energie", "Chauffer la piscine du camping"), "chaleur fatale → chauffage"),
        (("matieres-dechets", "Peaux de moutons de l’abattoir"), ("matieres-dechets", "Peaux à tanner pour la mégisserie"), "peaux fraîches → tannerie"),
        (("matieres-dechets", "Blocs de pierre déclassés de la carrière"), ("matieres-dechets", "Restaurer les murets en pierre sèche du village"), "blocs déclassés → murets en pierre sèche"),
        (("matieres-dechets", "Stériles de découverte de la carrière"), ("matieres-dechets", "Remblayer le nouveau parking"), "stériles → remblai"),
        (("matieres-dechets", "Lait déclassé du GAEC"), ("energie", "Intrants pour la méthanisation"), "lait déclassé → méthaniseur"),
        (("matieres-dechets", "Farine périmée du fournil"), ("matieres-dechets", "Aliment pour les cochons"), "farine périmée → alimentation animale"),
        (("matieres-dechets", "Chutes de coupe de tissu de l’atelier de confection"), ("matieres-dechets", "Chiffons pour l’atelier mécanique"), "chutes de coupe → chiffons d’essuyage"),
        (("competences-emploi", "Agents techniques sous-occupés en hiver"), ("competences-emploi", "Bras supplémentaires pour les vendanges"), "agents d’entretien disponibles → bras supplémentaires"),
        (("equipements-locaux", "Lingerie de l’EHPAD avec deux lave-linge industriels"), ("services-partages", "Lavage du linge du camping"), "lingerie → blanchisserie"),
        (("equipements-locaux", "Pont-bascule de la coopérative ouvert aux voisins"), ("equipements-locaux", "Peser les bennes de déchets verts"), "pont-bascule → pesée"),
        (("equipements-locaux", "Séchoir à grains libre hors moisson"), ("energie", "Séchage des plaquettes de bois"), "séchoir à grain → séchage"),
        (("equipements-locaux", "Ancien atelier municipal inoccupé"), ("equipements-locaux", "Local pour l’association d’insertion"), "atelier municipal → local associatif"),
        (("transport-logistique", "Camion benne de la commune"), ("services-partages", "Débarras des maisons pour la ressourcerie"), "camion benne → enlèvement des encombrants"),
        (("equipements-locaux", "Bungalows vides hors saison"), ("equipements-locaux", "Loger des apprentis en alternance"), "mobil-homes → hébergement temporaire"),
        (("matieres-dechets", "Algues échouées ramassées sur la plage"), ("matieres-dechets", "Amendement organique pour les cultures"), "algues échouées → amendement organique"),
        (("matieres-dechets", "Plants invendus de la jardinerie"), ("autre", "Fleurissement du village"), "plants invendus → fleurissement"),
        (("equipements-locaux", "Débardeur à cheval"), ("services-partages", "Sortir le bois de la forêt communale"), "débardeur → débardage"),
        (("competences-emploi", "Formateur HACCP à la retraite"), ("competences-emploi", "Formation hygiène du personnel de cuisine"), "formatrice hygiène → formation hygiène"),
        (("matieres-dechets", "Sacs de jute vides du torréfacteur"), ("matieres-dechets", "Paillage des planches du potager"), "sacs de jute → paillage"),
        (("matieres-dechets", "Coques de noix de l’huilerie"), ("energie", "Combustible pour la chaudière"), "coques de noix → bois énergie"),
        (("matieres-dechets", "Balles de sarrasin du décorticage"), ("matieres-dechets", "Litière pour les poules"), "balles d’épeautre → litière"),
        (("matieres-dechets", "Effluents d’élevage de la ferme"), ("energie", "Intrants pour le méthaniseur"), "effluents d’élevage → méthaniseur"),
        (("equipements-locaux", "Moulin à meules de la ferme voisine"), ("matieres-dechets", "Moudre notre blé pour le pain"), "trieur à grains → trier les grains"),
        (("matieres-dechets", "Cubis et GRV vides"), ("eau", "Cuves pour stocker l’eau de pluie"), "fûts → contenants"),
        (("equipements-locaux", "Aire de lavage avec karcher"), ("services-partages", "Laver les pulvérisateurs et les tracteurs"), "aire de lavage → lavage des véhicules"),
        (("matieres-dechets", "Os et carcasses de la boucherie"), ("energie", "Intrants méthanisables"), "carcasses → méthaniseur"),
        (("matieres-dechets", "Tontes de gazon du terrain de foot"), ("matieres-dechets", "Paillis pour le potager de l’école"), "déchets verts → paillage"),
        (("equipements-locaux", "Serre vide en été"), ("equipements-locaux", "Terrain pour installer un jeune maraîcher"), "serre → terre à cultiver"),
        (("equipements-locaux", "Cuisine de la salle des fêtes aux normes"), ("equipements-locaux", "Labo pour transformer nos fruits en confitures"), "cuisine professionnelle → laboratoire de transformation"),
        (("matieres-dechets", "Laine de tonte invendue"), ("energie", "Isolant pour la rénovation de la mairie"), "laine → isolation"),
        (("matieres-dechets", "Huiles de friture usagées du restaurant"), ("energie", "Carburant végétal pour le tracteur"), "huile de friture → biocarburant"),
        (("energie", "Chaufferie bois communale surdimensionnée"), ("energie", "Chauffer les locaux de la maison de santé"), "chaufferie surdimensionnée → chauffage"),
        (("equipements-locaux", "Four de boulangerie libre l’après-midi"), ("equipements-locaux", "Accès à un four pour cuire nos pains"), "four de boulangerie → cuisson"),
        (("competences-emploi", "Menuisier retraité disponible"), ("services-partages", "Petites réparations dans les chalets"), "maçon → petits travaux"),
        (("eau", "Eau de vidange de la piscine en septembre"), ("services-partages", "Nettoyage de la voirie"), "eau de la piscine → nettoyage de la voirie"),
    ],
    ids=["quarry-fines-to-liming", "exhaure-water-to-concrete", "reject-grain-to-pigs", "pruning-wood-to-school-boiler",
         "grain-dryer-heat-to-pool", "hides-to-tawing", "reject-blocks-to-dry-stone-walls", "overburden-to-backfill",
         "reject-milk-to-digester", "old-flour-to-pigs", "textile-offcuts-to-rags", "idle-staff-to-harvest",
         "care-home-laundry-to-campsite", "weighbridge-to-weighing", "grain-dryer-to-wood-chips",
         "vacant-workshop-to-association", "tipper-to-clearances", "bungalows-to-apprentices", "seaweed-to-soil",
         "unsold-plants-to-flower-beds", "horse-skidding", "haccp-trainer", "jute-sacks-to-mulch", "nut-shells-to-boiler",
         "husks-to-hen-bedding", "effluents-to-digester", "mill-to-milling", "bulk-containers-to-tanks",
         "washing-bay-to-sprayers", "carcasses-to-digester", "clippings-to-mulch", "greenhouse-to-new-grower",
         "hall-kitchen-to-jam", "wool-to-insulation", "frying-oil-to-fuel", "spare-boiler-to-health-centre",
         "bakery-oven-to-bakers", "joiner-to-repairs", "pool-water-to-street-cleaning"],
)  # fmt: skip
def test_another_writers_words_reach_the_use(offered: tuple[str, str], needed: tuple[str, str], evidence: str) -> None:
    (lead,) = leads_of(InterviewEntry("giver", CAPACITY, *offered), InterviewEntry("taker", NEED, *needed))
    assert lead.kind is LeadKind.SUBSTITUTION and lead.strength is Strength.STRONG
    assert (lead.providers, lead.receivers) == (("giver",), ("taker",))
    assert [(e.kind, e.text) for e in lead.evidence] == [("connaissance", evidence)]


@pytest.mark.parametrize(
    ("offered", "needed"),
    [
        (("matieres-dechets", "Castine et filler de la carrière"), ("matieres-dechets", "Chaulage des prairies acides")),
        (("eau", "Eau d’exhaure de la carrière"), ("eau", "Eau de gâchage pour la centrale à béton")),
        (("matieres-dechets", "Peaux de moutons de l’abattoir"), ("matieres-dechets", "Approvisionner la tannerie artisanale")),
        (("equipements-locaux", "Pont-bascule de la coopérative"), ("equipements-locaux", "Peser les bennes de déchets verts")),
    ],
    ids=["fines-need-the-base", "exhaure-needs-the-base", "hides-need-the-base", "weighbridge-needs-the-base"],
)  # fmt: skip
def test_without_the_base_these_lines_do_not_meet(offered: tuple[str, str], needed: tuple[str, str]) -> None:
    lines = (InterviewEntry("giver", CAPACITY, *offered), InterviewEntry("taker", NEED, *needed))
    assert leads_of(*lines, knowledge=None) == []
    assert [lead.kind for lead in leads_of(*lines)] == [LeadKind.SUBSTITUTION]


@pytest.mark.parametrize(
    ("category", "first", "second"),
    [
        ("services-partages", (NEED, "Analyses de sol pour les parcelles"), (NEED, "Analyses d’eau du forage")),
        ("services-partages", (NEED, "Médecine du travail trop loin"), (NEED, "Visites médicales des salariés")),
        ("competences-emploi", (NEED, "Difficultés de recrutement"), (NEED, "Postes non pourvus depuis un an")),
        ("services-partages", (NEED, "Matériel pour la fête du village"), (NEED, "Prêt de tables pour le marché de noël")),
        ("services-partages", (NEED, "Impression de flyers"), (NEED, "Reprographie des documents de l’association")),
        ("matieres-dechets", (NEED, "Évacuer les bâches d’ensilage usagées"), (NEED, "Films plastiques agricoles à faire collecter")),
        ("equipements-locaux", (NEED, "Salle de réunion le soir"), (NEED, "Salle des fêtes en semaine")),
        ("equipements-locaux", (NEED, "Bungalows hors saison"), (NEED, "Chalets en novembre")),
        ("equipements-locaux", (NEED, "Tables et bancs pour le marché"), (NEED, "Barnum pour la fête")),
    ],
    ids=["lab-analyses", "occupational-health", "recruiting", "event-equipment-needed", "printing", "farm-plastics",
         "meeting-room-and-hall", "off-season-lodging", "event-equipment-offered"],
)  # fmt: skip
def test_the_same_thing_in_other_words_is_pooled(
    category: str, first: tuple[EntryKind, str], second: tuple[EntryKind, str]
) -> None:
    leads = leads_of(InterviewEntry("one", first[0], category, first[1]), InterviewEntry("two", second[0], category, second[1]))
    assert [lead.kind for lead in leads] == [LeadKind.MUTUALISATION], leads
    assert {e.kind for e in leads[0].evidence} == {"connaissance"}


# --- never through a unit, a lone common word or a thing that only looks alike -------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((CAPACITY, "matieres-dechets", "Copeaux et chutes d’acier d’usinage, 3 tonnes par mois"), (NEED, "autre", "Substrat pour cultiver des pleurotes")),
        ((CAPACITY, "matieres-dechets", "Granulats, 3 tonnes par semaine"), (NEED, "matieres-dechets", "Grains déclassés, 3 tonnes par semaine")),
        ((CAPACITY, "competences-emploi", "Bénévoles réparateurs (électroménager, vélos)"), (NEED, "competences-emploi", "Main-d’œuvre pour les vendanges")),
        ((CAPACITY, "competences-emploi", "Service de remplacement agricole"), (NEED, "energie", "Remplacer le fioul de la chaudière")),
        ((NEED, "matieres-dechets", "Enlèvement des solvants usagés"), (NEED, "matieres-dechets", "Enlèvement des cartons du magasin")),
        ((NEED, "services-partages", "Lavage des fûts de retour de livraison"), (NEED, "transport-logistique", "Livraisons des clients en camion frigorifique")),
        ((NEED, "energie", "Gaz de procédé en complément du gaz naturel"), (NEED, "energie", "Chauffage des serres, la facture de gaz est trop lourde")),
        ((CAPACITY, "equipements-locaux", "Parking pour les bus scolaires"), (NEED, "transport-logistique", "Transport des salariés le matin")),
        ((CAPACITY, "matieres-dechets", "Films d’enrubannage usagés"), (NEED, "matieres-dechets", "Fourrage pour les brebis")),
        ((CAPACITY, "matieres-dechets", "Huile de friture usagée"), (NEED, "achats-groupes", "Lubrifiants pour les engins")),
        ((CAPACITY, "equipements-locaux", "Trieur à grains, 2 heures par jour"), (NEED, "services-partages", "Ménage 2 heures par jour")),
        ((CAPACITY, "matieres-dechets", "Poches ostréicoles abîmées"), (NEED, "matieres-dechets", "Voiles usagées pour l’atelier couture")),
    ],
    ids=["steel-swarf-is-not-wood", "tonnes-are-not-grain", "volunteers-are-not-labour", "replacing-oil-is-not-a-replacement",
         "two-removals-of-different-things", "a-delivery-return-is-not-a-delivery", "natural-gas-is-not-a-gas-bill",
         "a-bus-park-is-not-transport", "wrap-film-is-not-wrapped-forage", "frying-oil-is-not-a-lubricant",
         "hours-are-not-a-resource", "oyster-bags-are-not-sails"],
)  # fmt: skip
def test_never_through_a_unit_or_a_lookalike(first: tuple[EntryKind, str, str], second: tuple[EntryKind, str, str]) -> None:
    assert leads_of(InterviewEntry("one", *first), InterviewEntry("two", *second)) == []
