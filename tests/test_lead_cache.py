"""Lines read and pairs compared once, kept across detections (`atelier.rules.lead_cache`): a detection with kept
lines and pairs gives exactly the leads of a fresh one, whatever changed in between (lines, vocabulary, decisions),
and the cache stays within its bounds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from atelier.bench.leads_quality import (
    LABELLED_TERRITORY,
    load_territory,
    load_vocabulary,
    territory_entries,
)
from atelier.rules.lead_cache import LineCache
from atelier.rules.leads import EntryKind, Feedback, InterviewEntry, Lead, detect_leads
from atelier.scenario import load_knowledge


@pytest.fixture(scope="module")
def territory() -> tuple[list[InterviewEntry], dict[str, list[str]], object]:
    return territory_entries(load_territory(LABELLED_TERRITORY)), load_vocabulary(), load_knowledge()


def _fresh(entries: list[InterviewEntry], vocabulary, knowledge) -> list[Lead]:
    return detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=LineCache())


def test_a_detection_again_reads_no_line_again_and_finds_the_same_leads(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache()
    first = detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept)
    again = detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept)
    assert first and again == first
    assert kept.misses == len(set(entries)) and kept.hits == len(set(entries))


def test_after_one_line_changed_the_leads_are_those_of_a_fresh_detection(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache()
    before = detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept)
    # A need becomes one that a capacity of the territory meets differently: the leads change.
    n = next(i for i, e in enumerate(entries) if e.kind is EntryKind.NEED)
    changed = [*entries]
    changed[n] = replace(entries[n], description="sciure et copeaux de bois pour litière des volailles")
    misses = kept.misses
    after = detect_leads(changed, vocabulary, knowledge, held_back=True, lines_read=kept)
    assert kept.misses == misses + 1  # only the changed line was read
    assert after == _fresh(changed, vocabulary, knowledge)
    assert after != before


def test_an_actor_removed_leaves_no_lead_of_its_lines(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache()
    detect_leads(entries, vocabulary, knowledge, lines_read=kept)
    gone = entries[0].actor_key
    rest = [e for e in entries if e.actor_key != gone]
    leads = detect_leads(rest, vocabulary, knowledge, held_back=True, lines_read=kept)
    assert all(gone not in lead.actor_keys for lead in leads)
    assert leads == _fresh(rest, vocabulary, knowledge)


def test_another_vocabulary_or_knowledge_base_reads_every_line_again(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache()
    detect_leads(entries, vocabulary, knowledge, lines_read=kept)
    fewer_words = {category: words[:1] for category, words in vocabulary.items()}
    misses = kept.misses
    leads = detect_leads(entries, fewer_words, knowledge, held_back=True, lines_read=kept)
    assert kept.misses == misses + len(set(entries))
    assert leads == _fresh(entries, fewer_words, knowledge)
    misses = kept.misses
    words_only = detect_leads(entries, fewer_words, None, held_back=True, lines_read=kept)
    assert kept.misses == misses + len(set(entries))
    assert words_only == _fresh(entries, fewer_words, None)


def test_the_cache_holds_no_more_lines_than_its_bound_and_keeps_those_it_holds(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache(capacity=10)
    leads = detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept)
    assert len(set(entries)) > 10 and len(kept) == 10
    assert leads == _fresh(entries, vocabulary, knowledge)
    # Again: the ten kept lines are found, not pushed out by the lines read anew.
    hits = kept.hits
    assert detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept) == leads
    assert kept.hits == hits + 10 and len(kept) == 10


def test_lines_no_longer_used_make_room_for_new_ones(territory) -> None:
    entries, vocabulary, knowledge = territory
    actors = sorted({e.actor_key for e in entries})
    first = [e for e in entries if e.actor_key in actors[:5]]
    second = [e for e in entries if e.actor_key in actors[5:10]]
    kept = LineCache(capacity=len(set(second)))
    detect_leads(first, vocabulary, knowledge, lines_read=kept)
    detect_leads(second, vocabulary, knowledge, lines_read=kept)
    hits = kept.hits
    detect_leads(second, vocabulary, knowledge, lines_read=kept)
    assert kept.hits == hits + len(set(second)) and len(kept) == len(set(second))


def test_pairs_compared_before_meet_the_facilitators_new_decisions(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache()
    leads = detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept)
    compared = kept.pairs
    assert compared > 0
    # The first lead dismissed, the second promoted: the kept pairs are not compared again, the decisions apply.
    feedback = Feedback({s: "pas pertinent" for s in leads[0].signature},
                        frozenset(leads[1].signature) - set(leads[0].signature))
    again = detect_leads(entries, vocabulary, knowledge, feedback, held_back=True, lines_read=kept)
    assert kept.pairs == compared
    assert kept.leads > 0
    assert again == detect_leads(entries, vocabulary, knowledge, feedback, held_back=True, lines_read=LineCache())
    assert any(lead.blocked for lead in again) and not any(lead.blocked for lead in leads)
    # And without the decisions again, the leads of the start.
    assert detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept) == leads


def test_the_pairs_and_leads_kept_stay_within_their_bounds(territory) -> None:
    entries, vocabulary, knowledge = territory
    kept = LineCache(pair_capacity=50, lead_capacity=5)
    leads = detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept)
    assert kept.pairs == 50 and kept.leads == 5
    assert detect_leads(entries, vocabulary, knowledge, held_back=True, lines_read=kept) == leads
    assert leads == _fresh(entries, vocabulary, knowledge)
