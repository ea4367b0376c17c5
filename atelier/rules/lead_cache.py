"""Interview lines read once, pairs of them compared once and leads built once, kept across lead detections
(`atelier.rules.leads.detect_leads`). No I/O.

Reading a line (`atelier.rules.lead_lines.analyse`: its words, knowledge mentions, context; then its index keys)
is about a third of a detection, and a territory's leads are detected again after every interview, when most lines
have not changed. A line's reading depends only on the line (who, which side, category, text, quantity), the
knowledge index, the category vocabulary and the stemmer: lines are kept by the whole entry, and a detection with
another knowledge index, vocabulary or stemmer empties the cache.

What a pair of kept lines gave when compared (a match or nothing) is kept too, before the facilitator's decisions
apply (they are applied on each detection): a re-detection compares only the pairs with a new or changed line. So
is the lead each group of matches made: a lead none of whose matches changed is not built again.

Bounded, because it stays in the server's memory between detections: at most `CAPACITY` lines, the least recently
used out first; only pairs and leads of kept lines are kept (they hold their lines), at most `PAIR_CAPACITY` and
`LEAD_CAPACITY`, and pushing lines out empties them. Measured (tracemalloc): a territory of 1,000 actors (5,000
lines, 50,000 pairs, 12,000 leads) keeps about 56 MB, one of 5,000 actors about 58 MB (its first 6,000 lines and
their pairs); a usual territory of a few hundred lines, a few MB. A detection with more lines than the bound keeps
the lines already kept and adds what fits, rather than pushing out the lines it is about to need again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence

from atelier.rules.french import StemFunction, phrase_index, phrase_key, vocabulary_keys
from atelier.rules.knowledge import KnowledgeIndex
from atelier.rules.lead_lines import GENERIC_PHRASES, InterviewEntry, Line, Term, analyse

CAPACITY = 6_000  # lines (about 4 KB each): a territory of 1,000 actors and a few small ones
# Pairs of lines compared (`atelier.rules.leads._compare`), with what they gave: a territory of 1,000 actors
# compares about 50,000 pairs, one of 5,000 about 270,000.
PAIR_CAPACITY = 60_000
# Leads built (`atelier.rules.leads._build`), by the very matches that made them: about 12,000 for 1,000 actors.
LEAD_CAPACITY = 15_000
UNKNOWN = object()  # a pair not compared yet, a lead not built yet
PairKey = tuple[str, Line, Line]  # (kind of lead, first line, second line): lines are kept by identity


class LineCache:
    """Lines read, by entry, for one reading context at a time (knowledge index, vocabulary, stemmer).

    Safe to share between threads (the leads page and the board detect in worker threads): the lines themselves
    are not changed once read, except for their index keys, which are the same whoever computes them.
    """

    def __init__(self, capacity: int = CAPACITY, pair_capacity: int = PAIR_CAPACITY,
                 lead_capacity: int = LEAD_CAPACITY) -> None:
        self.capacity = capacity
        self.pair_capacity = pair_capacity
        self.lead_capacity = lead_capacity
        self._lines: OrderedDict[InterviewEntry, Line] = OrderedDict()
        self._held: set[Line] = set()  # the same lines, by identity: a cheap "is this line kept?"
        # What each pair of kept lines gave (a match or None), least recently used first. A pair holds its lines:
        # a line pushed out of `_lines` lives on in its pairs until they are pushed out too (never found again).
        self._pairs: OrderedDict[Hashable, object] = OrderedDict()
        self._leads: OrderedDict[Hashable, object] = OrderedDict()  # (kind, *matches) -> lead
        self._context: tuple[KnowledgeIndex | None, StemFunction, Hashable] | None = None
        self._vocab: dict[str, dict[Term, str]] = {}
        self._phrases: dict[str, list[Term]] = {}
        self._lock = threading.Lock()
        self.hits = 0  # lines found already read, since the cache was made (for the bench and tests)
        self.misses = 0

    def __len__(self) -> int:
        return len(self._lines)

    def clear(self) -> None:
        with self._lock:
            self._forget_everything()
            self._context = None

    def _forget_everything(self) -> None:
        """Lines, pairs and leads (the caller holds the lock)."""
        self._lines.clear()
        self._held.clear()
        self._pairs.clear()
        self._leads.clear()

    def read(self, entries: Sequence[InterviewEntry], index: KnowledgeIndex | None,
             vocabulary: Mapping[str, Sequence[str]], stem_with: StemFunction) -> list[Line]:
        """Each entry's line, in order (the entries are distinct): kept ones as they are, the others read now."""
        signature = tuple((category, tuple(words)) for category, words in vocabulary.items())
        with self._lock:
            context = self._context
            if context is None or context[0] is not index or context[1] is not stem_with or context[2] != signature:
                self._forget_everything()
                self._vocab = vocabulary_keys(vocabulary, stem_with)
                generic = {phrase_key(p, stem_with) for p in GENERIC_PHRASES}
                self._phrases = phrase_index(key for keyed in self._vocab.values() for key in keyed
                                             if key not in generic)
                self._context = context = (index, stem_with, signature)
            vocab, phrases = self._vocab, self._phrases
            found = [self._lines.get(entry) for entry in entries]
            for entry, line in zip(entries, found, strict=True):
                if line is not None:
                    self._lines.move_to_end(entry)
        lines = [line if line is not None else analyse(entry, index, vocab, phrases, stem_with)
                 for entry, line in zip(entries, found, strict=True)]
        missing = [(entry, line) for entry, line, kept in zip(entries, lines, found, strict=True) if kept is None]
        with self._lock:
            self.hits += len(entries) - len(missing)
            self.misses += len(missing)
            if self._context is not context:  # another detection changed the context meanwhile: keep nothing
                return lines
            # Room first from the lines this detection did not use (at the front: the ones it used moved back).
            unused = len(self._lines) - (len(entries) - len(missing))
            out = min(unused, len(self._lines) + len(missing) - self.capacity)
            if out > 0:  # pairs and leads hold their lines: those of lines pushed out go with them (all, simply)
                self._pairs.clear()
                self._leads.clear()
            for _ in range(out):
                self._held.discard(self._lines.popitem(last=False)[1])
            for entry, line in missing[: max(0, self.capacity - len(self._lines))]:
                self._held.discard(self._lines.get(entry))  # another detection read it meanwhile
                self._lines[entry] = line
                self._held.add(line)
        return lines

    def known_pairs(self, keys: Sequence[PairKey]) -> list[object]:
        """What each pair gave when compared before (a match or None), or `UNKNOWN`."""
        return self._known(self._pairs, keys)

    def keep_pairs(self, compared: Sequence[tuple[PairKey, object]]) -> None:
        """Pairs just compared, with what they gave, when both lines are kept (a pair holds its lines: the bound on
        lines is a bound on memory); the least recently used go past `pair_capacity`."""
        with self._lock:
            held = self._held
            kept = [(key, value) for key, value in compared if key[1] in held and key[2] in held]
        self._keep(self._pairs, kept, self.pair_capacity)

    def known_leads(self, keys: Sequence[tuple[object, ...]]) -> list[object]:
        """The lead each group of matches made before (the key: kind, then the very matches, in order), or
        `UNKNOWN`."""
        return self._known(self._leads, keys)

    def keep_leads(self, built: Sequence[tuple[tuple[object, ...], object]]) -> None:
        """Leads just built, when every line of their matches is kept (as `keep_pairs`)."""
        with self._lock:
            held = self._held
            kept = [(key, lead) for key, lead in built
                    if all(m.a in held and m.b in held for m in key[1:])]  # type: ignore[attr-defined]
        self._keep(self._leads, kept, self.lead_capacity)

    def _known(self, memo: OrderedDict[Hashable, object], keys: Sequence[Hashable]) -> list[object]:
        with self._lock:
            found = [memo.get(key, UNKNOWN) for key in keys]
            for key, value in zip(keys, found, strict=True):
                if value is not UNKNOWN:
                    memo.move_to_end(key)
        return found

    def _keep(self, memo: OrderedDict[Hashable, object], items: Sequence[tuple[Hashable, object]],
              capacity: int) -> None:
        with self._lock:
            memo.update(items)
            for _ in range(len(memo) - capacity):
                memo.popitem(last=False)

    @property
    def pairs(self) -> int:
        return len(self._pairs)

    @property
    def leads(self) -> int:
        return len(self._leads)


LINES = LineCache()  # the process's cache, used by `detect_leads` unless it is given another
