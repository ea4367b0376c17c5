"""Interview lines read once and kept across lead detections (`atelier.rules.leads.detect_leads`). No I/O.

Reading a line (`atelier.rules.lead_lines.analyse`: its words, knowledge mentions, context; then its index keys)
is about a third of a detection, and a territory's leads are detected again after every interview, when most lines
have not changed. A line's reading depends only on the line (who, which side, category, text, quantity), the
knowledge index, the category vocabulary and the stemmer: lines are kept by the whole entry, and a detection with
another knowledge index, vocabulary or stemmer empties the cache. Bounded: at most `capacity` lines, the least
recently used out first (a line takes about 4 KB: 30,000 lines, some 130 MB, hold a territory of 5,000 actors and
a few small ones; a usual territory of a few hundred lines takes a few MB). A detection with more lines than that
keeps the lines already kept and adds what fits, rather than pushing out the lines it is about to need again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence

from atelier.rules.french import StemFunction, phrase_index, phrase_key, vocabulary_keys
from atelier.rules.knowledge import KnowledgeIndex
from atelier.rules.lead_lines import GENERIC_PHRASES, InterviewEntry, Line, Term, analyse

CAPACITY = 30_000


class LineCache:
    """Lines read, by entry, for one reading context at a time (knowledge index, vocabulary, stemmer).

    Safe to share between threads (the leads page and the board detect in worker threads): the lines themselves
    are not changed once read, except for their index keys, which are the same whoever computes them.
    """

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._lines: OrderedDict[InterviewEntry, Line] = OrderedDict()
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
            self._lines.clear()
            self._context = None

    def read(self, entries: Sequence[InterviewEntry], index: KnowledgeIndex | None,
             vocabulary: Mapping[str, Sequence[str]], stem_with: StemFunction) -> list[Line]:
        """Each entry's line, in order (the entries are distinct): kept ones as they are, the others read now."""
        signature = tuple((category, tuple(words)) for category, words in vocabulary.items())
        with self._lock:
            context = self._context
            if context is None or context[0] is not index or context[1] is not stem_with or context[2] != signature:
                self._lines.clear()
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
            for _ in range(min(unused, len(self._lines) + len(missing) - self.capacity)):
                self._lines.popitem(last=False)
            for entry, line in missing[: max(0, self.capacity - len(self._lines))]:
                self._lines[entry] = line
        return lines


LINES = LineCache()  # the process's cache, used by `detect_leads` unless it is given another
