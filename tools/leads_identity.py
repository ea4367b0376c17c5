"""Whether a change to the lead detection's speed left its results alone: `python tools/leads_identity.py save DIR`
writes every lead (every field: lines, strength, score, evidence, explanations, held back or not) of each labelled
territory of tests/data, the demo territory, one territory with the facilitator's feedback and the 1,000-actor
synthetic territory (twice: again with every line already read); `python tools/leads_identity.py check DIR`
detects them again and lists what differs.

A speed change must leave them identical; a rule change is scored with `python -m atelier.bench.leads_quality`.
The results must not depend on the process's string hash seed either: run `check` with another PYTHONHASHSEED
than `save` to see it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from atelier.bench.leads_quality import (
    DEMO_TERRITORY,
    LABELLED,
    load_territory,
    load_vocabulary,
    synthetic_entries,
    territory_entries,
)
from atelier.memory import collector_paused
from atelier.rules.leads import Feedback, InterviewEntry, Lead, detect_leads
from atelier.scenario import load_knowledge


def _sets() -> dict[str, list[InterviewEntry]]:
    sets = {name: territory_entries(load_territory(path)) for name, path, _, _ in LABELLED}
    sets["demo"] = territory_entries(load_territory(DEMO_TERRITORY))
    sets["synthetic-1000"] = synthetic_entries(1000)
    return sets


def _feedback(leads: list[Lead]) -> Feedback:
    """Every fifth lead dismissed and every seventh promoted: the learning paths run too."""
    blocked = {s: f"écartée {n}" for n, lead in enumerate(leads) if n % 5 == 0 for s in lead.signature}
    promoted = frozenset(s for n, lead in enumerate(leads) if n % 7 == 3 for s in lead.signature) - blocked.keys()
    return Feedback(blocked, promoted)


def snapshot() -> dict[str, list[str]]:
    vocabulary, knowledge = load_vocabulary(), load_knowledge()
    found: dict[str, list[str]] = {}
    for name, entries in _sets().items():
        with collector_paused():
            leads = detect_leads(entries, vocabulary, knowledge, held_back=True)
        found[name] = [repr(lead) for lead in leads]
        if name.startswith("synthetic"):  # again, every line already read (`atelier.rules.lead_cache`)
            found[name + "-again"] = [repr(lead) for lead in detect_leads(entries, vocabulary, knowledge,
                                                                           held_back=True)]
        if name == "projet":  # the same territory again, with feedback, and again in another order
            learned = detect_leads(entries, vocabulary, knowledge, _feedback(leads), held_back=True)
            found["projet-feedback"] = [repr(lead) for lead in learned]
            found["projet-reversed"] = [repr(lead) for lead in detect_leads(entries[::-1], vocabulary, knowledge,
                                                                           held_back=True)]
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__)
        return 2
    folder = Path(argv[1])
    now = snapshot()
    if argv[0] == "save":
        folder.mkdir(parents=True, exist_ok=True)
        for name, leads in now.items():
            (folder / f"{name}.txt").write_text("\n".join(leads) + "\n", encoding="utf-8")
            print(f"{name}: {len(leads)} leads saved")
        return 0
    differing = 0
    for name, leads in now.items():
        saved = (folder / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        if saved == leads:
            print(f"{name}: {len(leads)} leads, identical")
            continue
        differing += 1
        gone, new = set(saved) - set(leads), set(leads) - set(saved)
        print(f"{name}: DIFFERENT ({len(saved)} saved, {len(leads)} now; {len(gone)} gone, {len(new)} new"
              f"{'; same leads, other order' if not gone and not new else ''})")
        for text in sorted(gone)[:3]:
            print(f"  - {text[:300]}")
        for text in sorted(new)[:3]:
            print(f"  + {text[:300]}")
    print("IDENTICAL" if not differing else f"{differing} set(s) differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
