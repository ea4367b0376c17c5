"""The console's list of ideas (order, filter, search) and the suggested groupings: pure rules, table-driven."""

from __future__ import annotations

import pytest

from atelier.models import Idea
from atelier.rules.groupings import IdeaText, suggest_groupings
from atelier.rules.idea_list import FILTER_ALL, FILTER_HIDDEN, FILTER_UNSORTED, Sort, listed

CATEGORIES = ["matieres", "energie", "transport"]


def idea(id: int, title: str, category: str = "energie", at: float | None = None, **fields: object) -> Idea:
    when = float(id) if at is None else at
    return Idea(**{"id": id, "workshop_id": 1, "participant_id": 1, "client_id": f"c-{id:08d}", "title": title,
                   "category": category, "created_at": when, "updated_at": when, **fields})


def titles(ideas: list[Idea]) -> list[str]:
    return [i.title for i in ideas]


IDEAS = [
    idea(1, "Chaufferie bois partagée", "energie"),
    idea(2, "Camion frigo", "transport"),
    idea(3, "Palettes consignées", "matieres"),
    idea(4, "Idée hors sujet", "energie", hidden=True),
    idea(5, "Retirée", "energie", withdrawn=True),
    idea(6, "Sans catégorie", ""),
    idea(7, "Ancienne catégorie", "supprimee"),
]


@pytest.mark.parametrize(("sort", "shown", "query", "expected"), [
    (Sort.NEWEST, FILTER_ALL, "", ["Ancienne catégorie", "Sans catégorie", "Idée hors sujet", "Palettes consignées",
                                   "Camion frigo", "Chaufferie bois partagée"]),
    # ideas to sort first (they wait for the facilitator), then the territory's order of categories
    (Sort.CATEGORY, FILTER_ALL, "", ["Ancienne catégorie", "Sans catégorie", "Palettes consignées",
                                     "Idée hors sujet", "Chaufferie bois partagée", "Camion frigo"]),
    (Sort.NEWEST, FILTER_HIDDEN, "", ["Idée hors sujet"]),
    (Sort.NEWEST, FILTER_UNSORTED, "", ["Ancienne catégorie", "Sans catégorie"]),
    (Sort.NEWEST, "transport", "", ["Camion frigo"]),
    # search folds accents and case, every word must be there
    (Sort.NEWEST, FILTER_ALL, "CHAUFFERIE partagee", ["Chaufferie bois partagée"]),
    (Sort.NEWEST, FILTER_ALL, "categorie", ["Ancienne catégorie", "Sans catégorie"]),
    (Sort.NEWEST, FILTER_ALL, "bois camion", []),
    (Sort.NEWEST, FILTER_ALL, "retirée", []),  # withdrawn ideas are not in play
])
def test_order_filter_and_search(sort: Sort, shown: str, query: str, expected: list[str]) -> None:
    assert titles(listed(IDEAS, sort=sort, shown=shown, query=query, categories=CATEGORIES)) == expected


def test_a_group_stands_where_its_newest_idea_stood_and_its_ideas_leave_the_list() -> None:
    ideas = [idea(1, "Un"), idea(2, "Deux", merged_into=9), idea(3, "Trois"), idea(4, "Quatre", merged_into=9),
             idea(5, "Cinq"), idea(9, "Groupe", at=100.0, is_group=True, participant_id=None)]
    assert titles(listed(ideas, sort=Sort.NEWEST, shown=FILTER_ALL, query="", categories=CATEGORIES)) == [
        "Cinq", "Groupe", "Trois", "Un"]  # the group is made last, yet stands where "Quatre" stood


def test_a_group_is_found_by_the_words_of_its_ideas() -> None:
    ideas = [idea(1, "Tournée de livraison", merged_into=3), idea(2, "Autre"),
             idea(3, "Logistique", is_group=True, participant_id=None)]
    assert titles(listed(ideas, sort=Sort.NEWEST, shown=FILTER_ALL, query="livraison", categories=CATEGORIES)) == [
        "Logistique"]


def test_sort_by_support_puts_the_most_supported_first_then_the_newest() -> None:
    ideas = [idea(1, "Un"), idea(2, "Deux"), idea(3, "Trois")]
    assert titles(listed(ideas, sort=Sort.SUPPORT, shown=FILTER_ALL, query="", categories=CATEGORIES,
                         support={1: 4, 2: 0, 3: 4})) == ["Trois", "Un", "Deux"]


def groupings(*texts: str | tuple[str, str]) -> list[tuple[int, ...]]:
    ideas = [IdeaText(n, t) if isinstance(t, str) else IdeaText(n, *t) for n, t in enumerate(texts, start=1)]
    return [s.idea_ids for s in suggest_groupings(ideas)]


@pytest.mark.parametrize(("texts", "expected"), [
    # two shared words, by stem and without accents
    (["Broyeur à végétaux en commun", "Acheter un broyeur de vegetaux", "Camion frigo"], [(1, 2)]),
    # one title word covering half of the shorter title
    (["Covoiturage domicile-travail", "Covoiturage entre entreprises"], [(1, 2)]),
    # plural and derived forms meet
    (["Compost collectif", "Composteurs collectifs pour les restaurants"], [(1, 2)]),
    # words every pooling workshop says do not make ideas alike
    (["Broyeur partagé", "Local partagé", "Mutualiser un camion"], []),
    # a shared word only in the details weighs half: two are not enough, with a title word they are
    ([("Chaufferie", "avec des plaquettes de bois"), ("Réseau de chaleur", "plaquettes de bois locales")], []),
    ([("Chaufferie de la scierie Dumas", "plaquettes de hêtre"), ("Réseau de chaleur pour la scierie et l’école",
                                                                   "plaquettes de hêtre")], [(1, 2)]),
    ([("Chaufferie de la scierie Dumas", "plaquettes"), ("Réseau de chaleur pour la scierie et l’école", "")], []),
    (["Réparer les vélos", "Atelier couture"], []),
])
def test_suggested_groupings(texts: list, expected: list[tuple[int, ...]]) -> None:
    assert groupings(*texts) == expected


def test_a_word_in_more_than_a_fifth_of_the_ideas_does_not_count() -> None:
    texts = [f"Énergie solaire site {n}" for n in range(8)] + [f"Atelier {w}" for w in
                                                             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx"]
    # "énergie" and "solaire" are in 8 of 58 ideas (under a fifth): the eight group, but at most six at once
    found = groupings(*texts)
    assert [len(ids) for ids in found] == [6, 2]


def test_a_dismissed_suggestion_stays_away_until_an_idea_joins_it() -> None:
    ideas = [IdeaText(1, "Broyeur de végétaux"), IdeaText(2, "Broyeur à végétaux partagé")]
    [first] = suggest_groupings(ideas)
    assert suggest_groupings(ideas, frozenset({first.key})) == []
    more = [*ideas, IdeaText(3, "Un broyeur de végétaux pour la commune")]
    assert [s.idea_ids for s in suggest_groupings(more, frozenset({first.key}))] == [(1, 2, 3)]
    assert first.words == ("broyeur", "végétaux")


def test_no_chains_every_idea_of_a_suggestion_is_alike_to_every_other() -> None:
    # 1~2 (broyeur, végétaux) and 2~3 (déchets, végétaux) but 1 and 3 share one word only: not one pile
    found = groupings("Broyeur de végétaux pour la mairie", "Broyeur des déchets de végétaux",
                      "Déchets de végétaux des jardins")
    assert found in ([(1, 2)], [(2, 3)])


def test_a_shared_place_is_not_what_an_idea_is_about() -> None:
    # "collège" is in both titles but heads neither: a place, not a subject
    assert groupings("Local de stockage du collège", "Covoiturage du collège") == []
