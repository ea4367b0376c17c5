# ruff: noqa: E501  (the case tables read better one case per line)
"""Context rules that keep the leads to what a facilitator would propose on a territory nobody here tuned on,
table-driven: a service ON a thing is not a need for the thing, knowledge links only right in context, a lone
qualifier or detail word is no evidence, and two things sharing a word are not one thing."""

from __future__ import annotations

import pytest

from atelier.rules.leads import EntryKind, InterviewEntry, Lead, Strength, detect_leads
from atelier.scenario import load_knowledge

KNOWLEDGE = load_knowledge()
VOCABULARY: dict[str, list[str]] = {c: [] for c in (
    "matieres-dechets", "energie", "eau", "equipements-locaux", "transport-logistique", "achats-groupes",
    "competences-emploi", "services-partages", "autre")}  # fmt: skip
NEED, CAPACITY = EntryKind.NEED, EntryKind.CAPACITY


def _leads(first: tuple[EntryKind, str, str], second: tuple[EntryKind, str, str]) -> list[Lead]:
    return detect_leads([InterviewEntry("one", *first), InterviewEntry("two", *second)], VOCABULARY, KNOWLEDGE)


def _check(first: tuple[EntryKind, str, str], second: tuple[EntryKind, str, str], meet: bool) -> None:
    leads = _leads(first, second)
    assert bool(leads) is meet, [(lead.kind, lead.matched_words) for lead in leads]


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "equipements-locaux", "Hangar de 400 m² vide l’hiver"), (NEED, "energie", "Chauffer le hangar de stratification l’hiver"), False),
        ((CAPACITY, "energie", "Chaleur perdue du four"), (NEED, "energie", "Chauffer le hangar de stratification l’hiver"), True),
        ((CAPACITY, "services-partages", "Traiteur : repas du midi pour les salariés"), (NEED, "transport-logistique", "Livrer les crèmeries, restaurants et épiceries du littoral"), False),
        ((NEED, "transport-logistique", "Livrer les restaurants de la côte"), (NEED, "transport-logistique", "Livraison des restaurants et des bars"), True),
        ((CAPACITY, "equipements-locaux", "Place pour des bateaux dans le hangar"), (NEED, "equipements-locaux", "Stocker des palettes à l’abri"), False),
        ((CAPACITY, "matieres-dechets", "Palettes bois cassées"), (NEED, "equipements-locaux", "Stockage des palettes à l’abri"), False),
        ((CAPACITY, "equipements-locaux", "Chambre froide positive à moitié vide l’hiver"), (NEED, "equipements-locaux", "Stockage au froid des bourriches, notre chambre froide est trop petite"), True),
        ((CAPACITY, "equipements-locaux", "Hangar avec des places pour stocker des bateaux"), (NEED, "equipements-locaux", "Sortir les bateaux de l’eau pour le carénage"), False),
        ((CAPACITY, "equipements-locaux", "Élévateur à bateaux et aire de carénage"), (NEED, "equipements-locaux", "Sortir les bateaux de l’eau pour le carénage"), True),
        ((CAPACITY, "matieres-dechets", "Palettes Europe en bon état"), (NEED, "matieres-dechets", "Palettes pour nos expéditions"), True),
    ],
    ids=["a-hangar-does-not-heat-a-hangar", "heat-heats-it", "delivering-to-restaurants-is-not-catering",
         "two-deliveries-to-restaurants-pool", "storing-pallets-is-not-boats-nor-pallets",
         "pallets-do-not-store-pallets", "a-new-clause-is-not-the-object",
         "what-a-service-applies-to-is-not-offered-by-whoever-holds-it", "a-careening-area-careens",
         "a-need-for-pallets-wants-pallets"],
)  # fmt: skip
def test_a_service_on_a_thing_is_not_a_need_for_the_thing(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Chutes de filetage : têtes, arêtes et peaux de poisson"), (NEED, "matieres-dechets", "Toiles et tissus pour l’atelier couture"), False),
        ((CAPACITY, "matieres-dechets", "Chutes de cuir de la maroquinerie"), (NEED, "matieres-dechets", "Matières pour l’atelier couture"), True),
        ((CAPACITY, "equipements-locaux", "Pont élévateur libre le samedi"), (NEED, "equipements-locaux", "Manutention des palettes de livraison"), False),
        ((CAPACITY, "equipements-locaux", "Chariot élévateur libre le samedi"), (NEED, "equipements-locaux", "Manutention des palettes de livraison"), True),
        ((CAPACITY, "matieres-dechets", "Sacs de jute vides du café vert"), (NEED, "services-partages", "Entretien des espaces verts des résidences"), False),
        ((CAPACITY, "services-partages", "Équipe espaces verts : tonte, taille, débroussaillage"), (NEED, "services-partages", "Ménage des chambres les jours de pointe"), False),
        ((CAPACITY, "services-partages", "Équipe espaces verts : tonte, taille, débroussaillage"), (NEED, "services-partages", "Entretien des espaces verts des résidences"), True),
        ((CAPACITY, "equipements-locaux", "Congélateurs et chambres froides en trop"), (NEED, "energie", "Maintenance des installations frigorifiques (tunnels, chambres froides)"), False),
        ((CAPACITY, "equipements-locaux", "Serres de 2 000 m² libres l’hiver"), (NEED, "equipements-locaux", "Tunnels de surgélation à partager"), False),
        ((CAPACITY, "energie", "Chaleur de cogénération non valorisée (eau chaude à 85 °C)"), (NEED, "energie", "Chauffage des serres à plants"), True),
    ],
    ids=["fish-skins-are-not-leather", "leather-is", "a-garage-lift-is-not-a-forklift", "a-forklift-handles",
         "green-coffee-is-not-green-spaces", "a-grounds-team-does-not-clean-rooms", "a-grounds-team-does-grounds",
         "maintaining-cold-rooms-is-not-a-cold-room", "a-freezing-tunnel-is-not-a-greenhouse",
         "cogeneration-heat-is-waste-heat"],
)  # fmt: skip
def test_knowledge_links_only_right_in_context(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Marc de café (petit-déjeuner et restaurant)"), (NEED, "services-partages", "Restaurant d’entreprise pour nos salariés"), False),
        ((CAPACITY, "matieres-dechets", "Déchets de bois de fabrication (sciure, chutes)"), (NEED, "matieres-dechets", "Sciure pour la litière des chevaux"), True),
        ((CAPACITY, "equipements-locaux", "Studios meublés vacants, louables à des saisonniers"), (NEED, "matieres-dechets", "Meubles en bon état à remettre en vente"), False),
        ((CAPACITY, "matieres-dechets", "Poches ostréicoles en plastique abîmées"), (NEED, "matieres-dechets", "Caisses en polystyrène à faire reprendre"), False),
        ((CAPACITY, "transport-logistique", "Livraisons des clients en camion frigorifique, à moitié vide"), (NEED, "transport-logistique", "Expédition des fromages en camion frigorifique"), True),
        ((CAPACITY, "equipements-locaux", "Chambre froide positive à moitié vide"), (NEED, "equipements-locaux", "Logements pour le personnel saisonnier (studios ou chambres)"), False),
        ((CAPACITY, "matieres-dechets", "Marc de café de la cuisine"), (NEED, "competences-emploi", "Formation des agents de cuisine"), False),
        ((CAPACITY, "matieres-dechets", "Marc de café de la cuisine"), (NEED, "transport-logistique", "Livraisons aux cafés de la côte"), False),
        ((CAPACITY, "matieres-dechets", "Filets de pêche usagés"), (NEED, "equipements-locaux", "Filets de volley homologués"), False),
        ((CAPACITY, "matieres-dechets", "Sacs de jute vides"), (NEED, "achats-groupes", "Produits d’entretien et consommables (papier toilette, sacs, détergents)"), False),
        ((CAPACITY, "matieres-dechets", "Huiles moteur usagées"), (NEED, "achats-groupes", "Huile d’olive pour les conserves"), False),
        ((CAPACITY, "autre", "Tuiles romanes"), (NEED, "autre", "Tuiles anciennes"), True),
        ((CAPACITY, "equipements-locaux", "Pont libre env. 6 heures par semaine"), (NEED, "competences-emploi", "Animateur env. 6 heures par semaine"), False),
        ((CAPACITY, "equipements-locaux", "Terrain libre le matin"), (CAPACITY, "competences-emploi", "Agents libres tôt le matin"), False),
        ((CAPACITY, "matieres-dechets", "Légumes abîmés"), (CAPACITY, "matieres-dechets", "Poches ostréicoles abîmées"), False),
        ((CAPACITY, "matieres-dechets", "Vieilles voiles de dériveurs et de planches"), (NEED, "matieres-dechets", "Planches pour l’atelier"), False),
        ((CAPACITY, "matieres-dechets", "Filets de pêche usagés (nappes en nylon)"), (NEED, "services-partages", "Blanchisserie : draps et nappes"), False),
        ((CAPACITY, "matieres-dechets", "Nappes en coton usagées"), (NEED, "matieres-dechets", "Nappes pour la salle des fêtes"), True),
    ],
    ids=["brackets-say-where-it-comes-from", "brackets-of-the-same-kind-say-which", "furnished-studios-are-not-furniture",
         "plastic-bags-are-bags", "by-lorry-is-how-not-what", "a-cold-room-is-no-bedroom", "kitchen-staff-are-not-grounds",
         "cafes-are-not-coffee-grounds", "fishing-nets-are-not-volleyball-nets", "a-generic-listed-item-names-nothing", "engine-oil-is-not-olive-oil",
         "two-adjectives-one-thing", "about-is-not-a-resource", "a-morning-is-not-a-resource", "damaged-is-a-state",
         "a-chain-of-complements-says-which", "one-word-across-two-topics-is-not-a-lead", "one-word-in-one-topic-is"],
)  # fmt: skip
def test_a_lone_qualifier_or_detail_is_no_evidence(first, second, meet: bool) -> None:
    _check(first, second, meet)


def test_a_need_to_take_in_a_waste_and_one_to_have_it_collected_do_not_pool() -> None:
    leads = _leads((NEED, "energie", "Co-substrats pour le méthaniseur : graisses, biodéchets"),
                   (NEED, "matieres-dechets", "Biodéchets de la cuisine à faire collecter séparément"))
    assert [lead for lead in leads if lead.kind == "mutualisation"] == []


def test_a_need_naming_a_waste_to_be_removed_is_not_met_by_more_of_it() -> None:
    leads = _leads((CAPACITY, "matieres-dechets", "Huiles moteur usagées (vidanges)"),
                   (NEED, "matieres-dechets", "Huiles moteur usagées des bateaux : enlèvement à organiser"))
    assert [lead for lead in leads if lead.kind == "substitution"] == []


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Vieilles voiles de dériveurs"), (CAPACITY, "matieres-dechets", "Voiles usagées des plaisanciers"), False),
        ((NEED, "transport-logistique", "Expédition de caisses de légumes"), (NEED, "transport-logistique", "Glace pour les expéditions"), False),
        ((CAPACITY, "services-partages", "Entretien d’espaces verts par l’équipe en insertion"), (CAPACITY, "services-partages", "Nettoyage de locaux et entretien des espaces verts"), True),
        ((NEED, "transport-logistique", "Livraison des tomates aux magasins"), (NEED, "transport-logistique", "Livraison de tomates vers les grossistes"), True),
    ],
    ids=["one-word-is-not-a-common-offer", "one-word-is-not-a-common-need", "two-teams-offering-one-service-pool",
         "one-service-on-one-thing-pools"],
)  # fmt: skip
def test_a_mutualisation_needs_more_than_one_word(first, second, meet: bool) -> None:
    _check(first, second, meet)


def test_a_line_meeting_on_one_word_does_not_ride_along_a_stronger_lead() -> None:
    entries = [
        InterviewEntry("torrefaction", CAPACITY, "energie", "Chaleur des fumées du torréfacteur, rejetée dehors"),
        InterviewEntry("torrefaction", CAPACITY, "matieres-dechets", "Toiles de jute vides des sacs"),
        InterviewEntry("habitat", NEED, "energie", "Chauffer les locaux de la résidence"),
        InterviewEntry("habitat", NEED, "matieres-dechets", "Toiles pour protéger les massifs"),
    ]
    (lead,) = detect_leads(entries, VOCABULARY, KNOWLEDGE)
    assert [e.description for e in lead.entries] == ["Chaleur des fumées du torréfacteur, rejetée dehors",
                                                     "Chauffer les locaux de la résidence"]
    (alone,) = detect_leads(entries[1::2], VOCABULARY, KNOWLEDGE)  # without the heat, the word is the lead
    assert alone.matched_words == ("toiles",)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Coquilles d’huîtres vides et brisures"), (NEED, "matieres-dechets", "Complément calcique en paillettes pour les pondeuses"), True),
        ((CAPACITY, "matieres-dechets", "Drêches de brasserie humides"), (NEED, "matieres-dechets", "Aliment riche en protéines pour les vaches"), True),
        ((CAPACITY, "matieres-dechets", "Pain invendu, baguettes de la veille"), (NEED, "matieres-dechets", "Aliment riche en protéines pour remplacer le tourteau"), False),
        ((CAPACITY, "matieres-dechets", "Pain invendu, baguettes de la veille"), (NEED, "matieres-dechets", "Aliment pour les porcs"), True),
        ((CAPACITY, "equipements-locaux", "Hangar vide pendant la fermeture"), (NEED, "equipements-locaux", "Hivernage à l’abri pour 25 dériveurs"), True),
        ((CAPACITY, "equipements-locaux", "Atelier vide de mai à octobre"), (NEED, "matieres-dechets", "Litière pour la bergerie pendant l’hivernage"), False),
        ((CAPACITY, "matieres-dechets", "Caisses en polystyrène propres"), (NEED, "matieres-dechets", "Caisses en polystyrène souillées : il faut une solution"), False),
    ],
    ids=["oyster-shells-are-hens-grit", "spent-grain-is-protein-feed", "bread-is-no-protein-feed", "bread-feeds-pigs",
         "a-hangar-winters-boats-an-elision-is-no-litre",
         "wintering-sheep-is-not-storage", "a-need-for-a-solution-is-to-get-rid"],
)  # fmt: skip
def test_knowledge_of_uses_added_from_the_unseen_territory(first, second, meet: bool) -> None:
    _check(first, second, meet)


FERTILISER_GIVERS = [("centre-equestre", "Fumier de cheval pailleux"), ("poulailler", "Fientes de volailles sèches"),
                     ("cafe", "Marc de café du comptoir"), ("conserverie", "Déchets de poisson de la conserverie"),
                     ("champignonniere", "Substrat de champignons épuisé")]


def test_a_need_met_through_a_use_keeps_its_best_three_givers_the_others_held_back() -> None:
    entries = [InterviewEntry(actor, CAPACITY, "matieres-dechets", text) for actor, text in FERTILISER_GIVERS]
    entries.append(InterviewEntry("cooperative", NEED, "matieres-dechets", "Fertilisants organiques pour les adhérents"))
    proposed = detect_leads(entries, VOCABULARY, KNOWLEDGE)
    assert len(proposed) == 3 and not any(lead.held_back for lead in proposed)
    everything = detect_leads(entries, VOCABULARY, KNOWLEDGE, held_back=True)
    assert everything[:3] == proposed  # the proposed first, the same
    assert len(everything) == 5 and all(lead.held_back for lead in everything[3:])
    assert {p for lead in everything for p in lead.providers} == {actor for actor, _ in FERTILISER_GIVERS}


def test_givers_of_the_very_resource_a_need_names_are_never_held_back() -> None:
    entries = [InterviewEntry(f"ferme-{n}", CAPACITY, "matieres-dechets", f"Fumier de bovins, tas n° {n}")
               for n in range(5)]
    entries.append(InterviewEntry("maraicher", NEED, "matieres-dechets", "Fumier pour les planches de légumes"))
    leads = detect_leads(entries, VOCABULARY, KNOWLEDGE, held_back=True)
    substitutions = [lead for lead in leads if lead.kind == "substitution"]
    assert len(substitutions) == 5 and not any(lead.held_back for lead in leads)


@pytest.mark.parametrize(
    ("offered", "strength"),
    [("Chutes de bois de la menuiserie (palettes)", Strength.MEDIUM), ("Palettes Europe en bon état", Strength.STRONG),
     ("Palettes Europe (une quarantaine)", Strength.STRONG)],
    ids=["named-in-passing-is-moyenne", "named-is-forte", "brackets-after-the-name-do-not-weaken"],
)
def test_strength_says_how_specific_the_knowledge_evidence_is(offered: str, strength: Strength) -> None:
    (lead,) = _leads((CAPACITY, "matieres-dechets", offered), (NEED, "matieres-dechets", "Palettes pour nos expéditions"))
    assert lead.why == "connaissance" and lead.strength is strength


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Fumier de cheval"), (CAPACITY, "matieres-dechets", "Fumier de bovins"), False),
        ((CAPACITY, "matieres-dechets", "Palettes perdues de livraison"), (CAPACITY, "matieres-dechets", "Palettes cassées à évacuer"), False),
        ((CAPACITY, "eau", "Eaux de rinçage des cuves"), (CAPACITY, "eau", "Eaux de lavage des camions, décantées"), False),
        ((CAPACITY, "energie", "Chaleur perdue des fours"), (CAPACITY, "energie", "Chaleur de cogénération disponible"), True),
        ((CAPACITY, "energie", "Toiture de 3 000 m² disponible pour du photovoltaïque"), (CAPACITY, "energie", "Grande toiture libre, 2 000 m²"), True),
        ((CAPACITY, "equipements-locaux", "Nacelle 18 m disponible avec conducteur"), (CAPACITY, "equipements-locaux", "Nacelle 14 m disponible l’hiver"), False),
        ((CAPACITY, "equipements-locaux", "Tracteur et benne disponibles l’hiver"), (CAPACITY, "equipements-locaux", "Tracteur avec épareuse, utilisé trois semaines par an"), False),
        ((CAPACITY, "services-partages", "Entretien d’espaces verts par l’équipe en insertion"), (CAPACITY, "services-partages", "Nettoyage de locaux et entretien des espaces verts"), True),
    ],
    ids=["two-manures-are-two-substitutions", "two-piles-of-pallets", "two-rinse-waters", "two-heat-sources-feed-one-network",
         "two-roofs-one-solar-project", "two-aerial-platforms-are-each-lent", "two-tractors-are-each-lent",
         "two-teams-one-service"],
)  # fmt: skip
def test_two_offers_pool_only_on_what_they_do_together(first, second, meet: bool) -> None:
    leads = _leads(first, second)
    assert bool(leads) is meet, [(lead.kind, lead.matched_words) for lead in leads]


def test_two_needs_for_a_by_product_someone_offers_are_met_by_the_offer_not_pooled() -> None:
    needs = [InterviewEntry("gaec", NEED, "matieres-dechets", "Paille pour la litière des génisses"),
             InterviewEntry("haras", NEED, "matieres-dechets", "Paille de litière pour les boxes")]
    alone = detect_leads(needs, VOCABULARY, KNOWLEDGE)
    assert [lead.kind.value for lead in alone] == ["mutualisation"]  # nobody here offers straw: buy it together
    offered = detect_leads([*needs, InterviewEntry("cereales", CAPACITY, "matieres-dechets", "Paille de blé en surplus")],
                           VOCABULARY, KNOWLEDGE)
    assert sorted((lead.kind.value, lead.providers, lead.receivers) for lead in offered) == [
        ("substitution", ("cereales",), ("gaec",)), ("substitution", ("cereales",), ("haras",))]
    collections = [InterviewEntry("garage", NEED, "matieres-dechets", "Collecte des cartons du magasin"),
                   InterviewEntry("imprimerie", NEED, "matieres-dechets", "Collecte des cartons d’emballage"),
                   InterviewEntry("smictom", CAPACITY, "matieres-dechets", "Collecte des cartons des professionnels")]
    assert "mutualisation" in {lead.kind.value for lead in detect_leads(collections, VOCABULARY, KNOWLEDGE)}


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Copeaux d’usinage acier et alu, huileux"), (NEED, "matieres-dechets", "Litière pour la chèvrerie (copeaux ou sciure en sous-couche)"), False),
        ((CAPACITY, "matieres-dechets", "Copeaux de rabotage secs"), (NEED, "matieres-dechets", "Litière pour la chèvrerie (copeaux ou sciure en sous-couche)"), True),
        ((CAPACITY, "matieres-dechets", "Boues de station d’épuration (chrome)"), (NEED, "matieres-dechets", "Fertilisation organique des vergers"), False),
        ((CAPACITY, "matieres-dechets", "Boues de station d’épuration"), (NEED, "matieres-dechets", "Fertilisation organique des vergers"), True),
        ((CAPACITY, "matieres-dechets", "Bois traités de démolition"), (NEED, "matieres-dechets", "Paillage des massifs"), False),
        ((CAPACITY, "matieres-dechets", "Chutes de bois non traité"), (NEED, "energie", "Bois pour la chaudière de l’atelier"), True),
        ((CAPACITY, "eau", "Eaux de lavage des toupies décantées, basiques (pH 12)"), (NEED, "eau", "Eau d’irrigation en été"), False),
        ((CAPACITY, "matieres-dechets", "Chutes de cuir fini"), (NEED, "matieres-dechets", "Chiffons d’essuyage pour l’atelier"), False),
        ((CAPACITY, "matieres-dechets", "Linge réformé : draps et torchons en coton"), (NEED, "matieres-dechets", "Chiffons d’essuyage pour l’atelier"), True),
        ((CAPACITY, "matieres-dechets", "Verre ménager collecté (calcin)"), (NEED, "achats-groupes", "Bouteilles en verre 75 cl"), False),
        ((CAPACITY, "matieres-dechets", "Bouteilles en verre vides et propres"), (NEED, "achats-groupes", "Bouteilles en verre 75 cl"), True),
    ],
    ids=["metal-chips-are-no-litter", "wood-shavings-are", "chrome-sludge-is-no-fertiliser", "sewage-sludge-is",
         "treated-wood-is-no-mulch", "untreated-wood-burns", "ph-12-wash-water-irrigates-nothing",
         "leather-wipes-nothing", "retired-linen-makes-rags", "cullet-is-remelted-not-bottles", "empty-bottles-are-reused"],
)  # fmt: skip
def test_what_a_resource_is_good_for_in_context(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Tontes de gazon des stades"), (NEED, "matieres-dechets", "Blocs béton pour refaire les alvéoles de la plateforme déchets verts"), False),
        ((CAPACITY, "matieres-dechets", "Retours de béton coulés en blocs"), (NEED, "matieres-dechets", "Blocs béton pour refaire les alvéoles de la plateforme déchets verts"), True),
        ((CAPACITY, "services-partages", "Capacité libre de lavage de vêtements de travail"), (NEED, "achats-groupes", "EPI et vêtements haute visibilité"), False),
        ((CAPACITY, "services-partages", "Capacité libre de lavage de vêtements de travail"), (NEED, "services-partages", "Lavage des vêtements de travail des soudeurs"), True),
        ((CAPACITY, "equipements-locaux", "Nettoyage des véhicules et des engins au karcher"), (NEED, "equipements-locaux", "Lavage des véhicules chaque semaine"), True),
        ((CAPACITY, "matieres-dechets", "Mobilier des chambres rénovées, sinon benne"), (NEED, "equipements-locaux", "Benne pour les gravats du chantier"), False),
        ((CAPACITY, "transport-logistique", "Minibus 9 places libre le week-end"), (NEED, "competences-emploi", "Salarié de remplacement pour la traite, 1 week-end sur 3"), False),
        ((CAPACITY, "matieres-dechets", "Peaux de bovins fraîches"), (NEED, "matieres-dechets", "Denrées : produits frais, fruits et légumes"), False),
        ((NEED, "matieres-dechets", "Débouché local et stable pour le lactosérum"), (NEED, "matieres-dechets", "Lactosérum pour la soupe des porcs"), False),
        ((CAPACITY, "matieres-dechets", "Bois d’élagage à déchiqueter pour plaquette de chauffage"), (NEED, "energie", "Chauffage des poulaillers au démarrage (propane)"), False),
        ((CAPACITY, "matieres-dechets", "Bois d’élagage à déchiqueter pour plaquette de chauffage"), (NEED, "energie", "Plaquettes forestières pour la chaufferie bois"), True),
        ((CAPACITY, "matieres-dechets", "Biodéchets : fruits et légumes abîmés, produits périmés"), (NEED, "achats-groupes", "Légumes locaux pour la cantine"), False),
        ((CAPACITY, "matieres-dechets", "Légumes abîmés ou déclassés, encore bons"), (NEED, "achats-groupes", "Légumes locaux pour la cantine"), True),
    ],
    ids=["a-platform-for-green-waste-wants-no-green-waste", "it-wants-concrete-blocks", "washing-clothes-sells-none",
         "washing-clothes-washes-them", "cleaning-vehicles-with-a-pressure-washer", "sinon-benne-says-where-it-goes",
         "week-end-is-when", "fresh-is-a-state", "an-outlet-for-whey-does-not-pool-with-a-need-for-whey",
         "pruning-wood-is-no-heating-for-a-propane-house", "pruning-wood-feeds-a-wood-boiler",
         "a-list-after-a-colon-says-which-biowaste", "damaged-vegetables-still-feed"],
)  # fmt: skip
def test_what_a_line_offers_or_wants(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "competences-emploi", "Accompagnement à la création d’un groupement d’employeurs"), (NEED, "competences-emploi", "Secrétariat et facturation, quelques heures par semaine"), False),
        ((CAPACITY, "competences-emploi", "Groupement d’employeurs : secrétaire à temps partagé"), (NEED, "competences-emploi", "Secrétariat et facturation, quelques heures par semaine"), True),
        ((CAPACITY, "energie", "Toiture de 900 m² orientée plein sud, sans panneaux"), (NEED, "energie", "Une toiture pour installer des panneaux solaires"), True),
    ],
    ids=["advice-on-creating", "the-thing-itself", "the-roof-itself"],
)
def test_advice_or_a_study_about_a_thing_does_not_offer_the_thing(first, second, meet: bool) -> None:
    _check(first, second, meet)


def test_what_comes_after_sans_is_neither_wanted_nor_evidence() -> None:
    without = _leads((NEED, "energie", "Chauffer la cabine de peinture sans fioul"),
                     (CAPACITY, "energie", "Cuve de fioul de 3 000 L, vide depuis le passage au bois"))
    assert without == []
    pooled = _leads((NEED, "energie", "Chauffer la cabine de peinture sans fioul"),
                    (NEED, "energie", "Chauffer les poussinières sans propane"))
    assert all("fioul" not in " ".join(lead.matched_words) for lead in pooled)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((NEED, "services-partages", "Tonte des pelouses de l’EHPAD"), (NEED, "services-partages", "Entretien des espaces verts du camping"), True),
        ((NEED, "competences-emploi", "Formation CACES des caristes"), (NEED, "competences-emploi", "Deux caristes pour l’été"), False),
    ],
    ids=["one-service-two-openings", "a-training-and-staff"],
)
def test_two_needs_for_one_service_pool_however_each_opens(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((NEED, "matieres-dechets", "Huiles de vidange à faire collecter"), (NEED, "matieres-dechets", "Batteries usagées et filtres à huile à faire enlever"), True),
        ((NEED, "matieres-dechets", "Solvants usagés de l’atelier à faire reprendre"), (NEED, "matieres-dechets", "Se débarrasser des huiles de vidange"), True),
        ((NEED, "matieres-dechets", "Huiles de vidange à faire collecter"), (NEED, "matieres-dechets", "Pneus usagés à faire reprendre"), False),
        ((NEED, "matieres-dechets", "Huiles de vidange à faire collecter"), (NEED, "energie", "Huile pour la chaudière de l’atelier"), False),
    ],
    ids=["oil-and-batteries", "solvents-and-oil", "tyres-are-not-hazardous", "bringing-in-is-not-taking-away"],
)
def test_two_hazardous_wastes_to_take_away_pool_on_one_approved_collection(first, second, meet: bool) -> None:
    _check(first, second, meet)
    if meet:
        assert any("déchets dangereux" in " ".join(lead.matched_words) for lead in _leads(first, second))


def test_the_wastes_starred_in_the_list_of_waste_are_marked_hazardous() -> None:
    # Decision 2000/532/EC: these codes carry an asterisk (hazardous); tyres (16 01 03) and WEEE (20 01 36) do not.
    starred = {"13 02 05", "14 06 03", "15 01 10", "15 02 02", "16 01 04", "16 01 07", "16 01 14", "16 06 01",
               "17 06 05", "18 01 03"}
    marked = {r.waste_code for r in KNOWLEDGE.resources if r.hazardous}
    assert marked == starred & {r.waste_code for r in KNOWLEDGE.resources}


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "equipements-locaux", "Trieur à grains, libre l’hiver"), (NEED, "equipements-locaux", "Trier nos céréales avant la vente"), True),
        ((CAPACITY, "equipements-locaux", "Broyeur de végétaux sur remorque, prêtable"), (NEED, "equipements-locaux", "Broyer les branches après l’élagage"), True),
        ((CAPACITY, "matieres-dechets", "Branches et tailles de haies en tas"), (NEED, "equipements-locaux", "Broyer les branches après l’élagage"), False),
    ],
    ids=["a-sorter-sorts-our-grain", "a-shredder-shreds-our-branches", "more-branches-do-not"],
)
def test_a_need_to_have_its_own_things_processed_meets_the_equipment_not_more_of_them(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Sciure de pin, assez sèche"), (NEED, "matieres-dechets", "De quoi pailler la bergerie (paille, ou autre chose qui absorbe)"), True),
        ((CAPACITY, "matieres-dechets", "Sciure de pin, assez sèche"), (NEED, "matieres-dechets", "Litière pour la bergerie (paille, foin)"), False),
        ((CAPACITY, "matieres-dechets", "Issues de nettoyage du grain (brisures, grains échaudés)"), (NEED, "matieres-dechets", "Complément pour les brebis en fin de gestation"), True),
        ((CAPACITY, "energie", "Dosses et délignures de chêne, en bois de feu"), (NEED, "energie", "Bois sec en bûches pour le four"), True),
        ((CAPACITY, "eau", "Eau d’exhaure claire pompée dans la fosse"), (NEED, "eau", "Eau pour l’irrigation des légumes l’été"), True),
    ],
    ids=["an-open-list-keeps-its-purpose", "a-closed-list-does-not", "grain-screenings-feed-ewes", "slabs-are-firewood",
         "dewatering-water-irrigates"],
)
def test_a_rural_writers_words(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "competences-emploi", "Accueil d’apprentis et de stagiaires en charpente navale"), (NEED, "competences-emploi", "Apprenti boulanger"), False),
        ((CAPACITY, "competences-emploi", "Accueil de stagiaires en maraîchage"), (NEED, "competences-emploi", "Un apprenti mécanicien marine"), False),
        ((CAPACITY, "competences-emploi", "Accueil d’apprentis et de stagiaires en charpente navale"), (NEED, "competences-emploi", "Entreprises d’accueil pour les stages de mécanique et de construction navale"), True),
        ((CAPACITY, "competences-emploi", "Accueil d’apprentis et de stagiaires en tonnellerie"), (NEED, "competences-emploi", "Stages et apprentissages en entreprise pour les élèves"), True),
        ((CAPACITY, "services-partages", "Entretien et réparation de camions, cars et engins de chantier"), (NEED, "services-partages", "Entretien des camions et des semi-remorques près du dépôt"), True),
    ],
    ids=["boat-carpentry-apprentices-bake-no-bread", "market-gardening-trainees-repair-no-engines", "the-same-trade",
         "no-trade-said", "a-service-on-lorries-is-no-trade"],
)  # fmt: skip
def test_people_of_two_trades_do_not_meet(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "competences-emploi", "Savoir-faire tonte et parage des onglons, on dépanne"), (NEED, "services-partages", "Entretien des espaces verts de la commune"), False),
        ((CAPACITY, "competences-emploi", "Dépannage et maintenance électrique, contrats d’entretien"), (NEED, "competences-emploi", "Mécanicien pour les engins (chargeuse, tombereaux)"), False),
        ((CAPACITY, "matieres-dechets", "Co-compostage des algues vertes échouées sur la plateforme"), (NEED, "achats-groupes", "Algues, bière, cidre et légumes locaux pour la carte"), False),
        ((CAPACITY, "autre", "Algues alimentaires séchées ou fraîches (dulse, wakamé, laitue de mer)"), (NEED, "achats-groupes", "Algues, bière, cidre et légumes locaux pour la carte"), True),
        ((NEED, "energie", "Électricité du froid : la facture a doublé"), (NEED, "energie", "Réduire la consommation électrique de la fabrique de glace et des chambres froides"), True),
        ((NEED, "energie", "Électricité du froid : la facture a doublé"), (NEED, "transport-logistique", "Expédier en froid vers Paris et Lyon en décembre"), False),
        ((CAPACITY, "equipements-locaux", "Internat de 90 lits vide en juillet et août"), (NEED, "competences-emploi", "Loger les saisonniers de l’été"), True),
        ((CAPACITY, "matieres-dechets", "Pain rassis et invendus"), (NEED, "achats-groupes", "Malt d’orge bio (et ce qui peut remplacer une part du malt)"), True),
        ((CAPACITY, "equipements-locaux", "Terrain communal de 1 ha en zone artisanale"), (NEED, "equipements-locaux", "Un terrain pour stocker et sécher le broyat"), True),
        ((CAPACITY, "equipements-locaux", "Terre-plein de 2 000 m² libre d’octobre à mars"), (NEED, "equipements-locaux", "Local de stockage supplémentaire"), False),
        ((CAPACITY, "equipements-locaux", "Cellules froides positives et négatives disponibles"), (NEED, "equipements-locaux", "Une chambre froide pour les dons"), True),
        ((CAPACITY, "matieres-dechets", "Invendus alimentaires consommables (fruits, légumes, laitages)"), (NEED, "autre", "Denrées fraîches à redistribuer"), True),
    ],
    ids=["shearing-sheep-is-no-mowing", "electrical-repairs-are-no-mechanic", "stranded-seaweed-is-no-food",
         "edible-seaweed-is", "two-refrigeration-power-bills-pool", "a-power-bill-is-no-cold-delivery",
         "a-boarding-school-empty-in-summer-houses-seasonal-workers", "stale-bread-replaces-malt",
         "municipal-land-stores-wood-chips", "an-open-yard-is-no-storeroom", "cold-cells-are-cold-rooms",
         "unsold-food-is-redistributed"],
)  # fmt: skip
def test_knowledge_of_one_thing_named_two_ways(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Pneus usagés de voitures et 4x4"), (NEED, "achats-groupes", "GNR et pneumatiques de chargeuse, gros volumes"), False),
        ((CAPACITY, "matieres-dechets", "Cartons vides de livraison"), (NEED, "achats-groupes", "Pots, opercules et cartons d’expédition"), False),
        ((CAPACITY, "matieres-dechets", "Cartons vides de livraison"), (NEED, "matieres-dechets", "Cartons pour caler nos colis"), True),
        ((CAPACITY, "matieres-dechets", "Légumes déclassés, 10 % de la récolte"), (NEED, "achats-groupes", "Légumes locaux pour la cantine"), True),
        ((CAPACITY, "matieres-dechets", "Palettes perdues de livraison"), (NEED, "matieres-dechets", "Palettes en bois en commande groupée"), False),
    ],
    ids=["used-tyres-are-not-bought-tyres", "empty-boxes-are-not-bought-boxes", "empty-boxes-wedge-parcels",
         "graded-out-vegetables-are-local-vegetables", "ordered-with-others-is-bought-new"],
)  # fmt: skip
def test_a_need_for_supplies_bought_new_is_not_met_by_the_used_thing(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "matieres-dechets", "Copeaux et poussières de ponçage (bois, mastic, antifouling mélangés)"), (NEED, "matieres-dechets", "Litière sèche pour les poulaillers (copeaux, paille)"), False),
        ((CAPACITY, "matieres-dechets", "Copeaux de rabotage secs, non traités"), (NEED, "matieres-dechets", "Litière sèche pour les poulaillers (copeaux, paille)"), True),
        ((NEED, "matieres-dechets", "Du paillage pour les allées et les buttes (broyat, paille)"), (NEED, "matieres-dechets", "Litière sèche pour les poulaillers (copeaux, paille)"), False),
        ((NEED, "matieres-dechets", "Litière pour les brebis (paille, sciure)"), (NEED, "matieres-dechets", "Litière sèche pour les poulaillers (copeaux, paille)"), True),
        ((CAPACITY, "services-partages", "Laboratoire traiteur libre le lundi"), (NEED, "matieres-dechets", "Capter les biodéchets des cantines, de l’hôpital et des restaurants"), False),
    ],
    ids=["sanding-dust-is-no-litter", "clean-shavings-are", "straw-to-mulch-and-straw-for-litter-do-not-pool",
         "two-litters-pool", "a-chain-of-complements-says-whose-biowaste"],
)  # fmt: skip
def test_soiled_offers_purposes_and_chains_of_complements(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "competences-emploi", "Accompagnement à la création d’un groupement d’employeurs"), (NEED, "competences-emploi", "Un salarié à mi-temps, à partager avec d’autres fermes"), True),
        ((CAPACITY, "competences-emploi", "Appui à la création d’un groupement d’employeurs"), (NEED, "competences-emploi", "Un salarié partagé avec d’autres fermes"), True),
        ((CAPACITY, "competences-emploi", "Accompagnement à la création d’un groupement d’employeurs"), (NEED, "services-partages", "Secrétariat partagé, une demi-journée par semaine"), False),
        ((NEED, "competences-emploi", "Un salarié partagé avec d’autres fermes"), (NEED, "competences-emploi", "Saisonniers pour la récolte"), True),
        ((NEED, "competences-emploi", "Un salarié à mi-temps, à partager avec d’autres fermes"), (NEED, "competences-emploi", "Un chauffeur de benne pendant la moisson"), True),
        ((NEED, "competences-emploi", "Un salarié partagé avec d’autres fermes"), (NEED, "competences-emploi", "Un comptable"), False),
    ],
    ids=["help-to-set-up-an-employers-group-meets-a-shared-employee", "support-too", "not-what-such-a-group-could-do",
         "a-part-time-post-and-a-seasonal-peak-pool", "harvest-is-a-season", "a-bookkeeper-is-no-seasonal-peak"],
)  # fmt: skip
def test_an_employers_group(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "eau", "Eau d’exhaure claire pompée en fond de fosse, rejetée au ruisseau"), (NEED, "eau", "Compléter le forage pour l’irrigation d’été"), True),
        ((CAPACITY, "eau", "Forage agricole peu utilisé"), (NEED, "eau", "Compléter le forage pour l’irrigation d’été"), True),
        ((CAPACITY, "achats-groupes", "Fioul domestique en commande groupée"), (NEED, "energie", "Remplacer la vieille chaudière fioul"), False),
        ((NEED, "achats-groupes", "Bocaux et couvercles pour les rillettes et pâtés"), (NEED, "achats-groupes", "Pots en verre et couvercles en gros"), True),
        ((CAPACITY, "equipements-locaux", "Ancienne école vide, 250 m², avec cour"), (NEED, "equipements-locaux", "Un local plus grand pour la recyclerie (200 m² au moins)"), True),
    ],
    ids=["topping-up-a-borehole-wants-water-for-irrigation", "another-borehole-irrigates-too", "replacing-fuel-oil-wants-no-fuel-oil",
         "jars-and-glass-pots-are-bought-together", "an-empty-school-is-a-bigger-room"],
)  # fmt: skip
def test_what_a_need_replaces_or_tops_up_is_not_wanted(first, second, meet: bool) -> None:
    _check(first, second, meet)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ((CAPACITY, "transport-logistique", "Minibus 9 places libre le week-end"), (NEED, "transport-logistique", "Navette ou covoiturage vers la zone d’activités pour les salariés"), False),
        ((CAPACITY, "transport-logistique", "Minibus 9 places libre le week-end"), (NEED, "transport-logistique", "Transport des jeunes du club aux tournois du samedi"), True),
        ((CAPACITY, "transport-logistique", "Minibus 9 places libre le mercredi et le week-end"), (NEED, "transport-logistique", "Navette ou covoiturage vers la zone d’activités pour les salariés"), True),
        ((CAPACITY, "services-partages", "Blanchisserie solidaire : lavage, séchage, repassage"), (NEED, "energie", "Sécher le grain en août"), False),
        ((CAPACITY, "services-partages", "Blanchisserie solidaire : lavage, séchage, repassage"), (NEED, "services-partages", "Lavage des draps et serviettes"), True),
        ((CAPACITY, "achats-groupes", "Bouteilles de vin vides, verre mélangé"), (NEED, "achats-groupes", "Bouteilles 75 cl et bouchons, commandés avec d’autres"), False),
    ],
    ids=["free-at-the-week-end-takes-no-one-to-work", "it-takes-a-club-on-saturday", "free-on-a-weekday-too",
         "drying-laundry-dries-no-grain", "a-laundry-washes-sheets", "empty-wine-bottles-are-not-bottles-bought-new"],
)  # fmt: skip
def test_when_an_offer_is_free_what_a_list_details_and_used_things(first, second, meet: bool) -> None:
    _check(first, second, meet)
