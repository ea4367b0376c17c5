"""Backups from someone else: every hostile file is refused whole, in French, and nothing of it lands.

A backup is data, never SQL: its keys must be the store's own columns, its values within bounds, its keys slugs,
its indexes within their agenda and its references inside the file. The Hypothesis tests fuzz the reader: it
either imports or raises the project's own refusal, never anything else, and never leaves a partial state.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_backup import busy_territory

from atelier.cli import main
from atelier.hub import Hub
from atelier.rules import Refused
from atelier.service import Service
from atelier.store import BACKUP_TABLES, Store

Document = dict[str, Any]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """A busy territory's backup, as JSON to spoil."""
    service = busy_territory(tmp_path_factory.mktemp("source") / "a.sqlite")
    return json.loads(service.export_territory(service.territories()[0]["id"]))


@pytest.fixture
def target(tmp_path: Path) -> Service:
    return Service(Store(tmp_path / "cible.sqlite"), Hub())


def counts(service: Service) -> dict[str, int]:
    """Rows of every table a restore writes: equal before and after a refusal means nothing landed."""
    conn = service.store.db.conn
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t, _, _ in BACKUP_TABLES}


def spoiled(document: Document, change: Callable[[Document], object]) -> bytes:
    document = copy.deepcopy(document)
    change(document)
    return json.dumps(document, ensure_ascii=False).encode()


def first(table: str, **values: object) -> Callable[[Document], object]:
    return lambda d: d["tables"][table][0].update(values)


HOSTILE: dict[str, tuple[Callable[[Document], object], str]] = {
    # The attack of issue 11: a row's key became a column name of the INSERT.
    "column-name-injection": (first("territories", **{"name) VALUES ('x'); DROP TABLE actors; --": 1}),
                              "colonne inconnue"),
    "facilitator-table-smuggled": (lambda d: d["tables"].update(facilitators=[{"id": 1, "secret": "x"}]),
                                   "Tables inconnues"),
    "browser-id-given": (first("participants", browser_id="fac"), "colonne « browser_id » : colonne inconnue"),
    "missing-column": (lambda d: d["tables"]["workshops"][0].pop("code"), "colonne « code » : colonne absente"),
    "huge-integer": (first("workshops", phase_index=10**30), "est trop grand"),
    "integer-past-sqlite": (first("actions", position=2**63), "est trop grand"),
    "phase-index-million": (first("workshops", phase_index=10**6), "phase_index"),
    "phase-index-past-agenda": (first("workshops", phase_index=60), "hors de l’ordre du jour"),
    "negative-index": (first("workshops", phase_index=-1), "est trop petit"),
    "territory-key-path": (first("territories", key="../../../../tmp/evil"), "n’est pas une clé"),
    "category-key-markup": (first("categories", key="<script>"), "n’est pas une clé"),
    "actor-key-path": (first("actors", key="../../etc/passwd"), "n’est pas une clé"),
    "dangling-reference": (first("ideas", participant_id=999), "absente du fichier"),
    "duplicate-id": (lambda d: d["tables"]["ideas"][1].update(id=d["tables"]["ideas"][0]["id"]), "figure deux fois"),
    "two-territories": (lambda d: d["tables"]["territories"].append({**d["tables"]["territories"][0], "id": 2}),
                        "exactement un territoire"),
    "900-kB-title": (first("ideas", title="x" * 900_000), "texte trop long"),
    "flag-as-boolean": (first("ideas", hidden=True), "n’est pas un nombre entier"),
    "id-as-text": (first("ideas", id="1"), "n’est pas un nombre entier"),
    "infinite-time": (first("ideas", created_at=float("inf")), "colonne « created_at »"),
    "unknown-status": (first("actions", status="piratee"), "inconnue"),
    "unknown-quadrant": (first("swot_items", quadrant="cachette"), "inconnue"),
    "actor-sheet-not-json": (first("actors", data="{pas du json"), "JSON invalide"),
    "actor-sheet-other-key": (first("actors", data=json.dumps({"cle": "autre", "nom": "X", "type": "autre"})),
                              "ne correspond pas"),
    "agenda-not-a-list": (first("workshops", phases='{"cle": "x"}'), "l’ordre du jour"),
    "settings-out-of-range": (first("workshops", settings='{"points_budget": 1000000}'), "les réglages"),
    "join-code-markup": (first("workshops", code="<b>X</b>"), "n’a pas la forme attendue"),
    "rows-not-objects": (lambda d: d["tables"].update(ideas=[1, 2]), "ce n’est pas un objet"),
    "table-not-a-list": (lambda d: d["tables"].update(ideas={"a": 1}), "ce n’est pas une liste"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_backup_is_refused_whole_in_french(source: Document, target: Service, case: str) -> None:
    change, says = HOSTILE[case]
    before = counts(target)
    with pytest.raises(Refused) as caught:
        target.import_territory(spoiled(source, change))
    assert caught.value.key == "backup.invalid" and says in caught.value.params["reason"], caught.value.params
    assert counts(target) == before


@pytest.mark.parametrize(
    ("content", "says"),
    [(b'{"format": "atelier-territoire", "version": ' + b"9" * 5000 + b"}", "nombre démesuré"),
     (b"[" * 100_000 + b"]" * 100_000, "imbriqué trop profondément"),
     (b'{"format": "atelier-territoire", "version": true, "tables": {}}', "version"),
     (b" " * (100 * 1024 * 1024 + 1), "Mo")],
    ids=["integer-of-5000-digits", "nested-100000-deep", "version-as-boolean", "over-100-MB"],
)
def test_a_file_that_is_no_backup_at_all_is_refused_in_french(target: Service, content: bytes, says: str) -> None:
    with pytest.raises(Refused) as caught:
        target.import_territory(content)
    assert caught.value.key == "backup.invalid" and says in caught.value.params["reason"]


def test_a_row_contradicting_another_undoes_the_whole_restore(source: Document, target: Service) -> None:
    """Two categories with one key pass each row's check; SQLite refuses the second and nothing stays."""
    def twin(d: Document) -> None:
        d["tables"]["categories"][1]["key"] = d["tables"]["categories"][0]["key"]

    before = counts(target)
    with pytest.raises(Refused) as caught:
        target.import_territory(spoiled(source, twin))
    assert "rien n’a été importé" in caught.value.params["reason"]
    assert counts(target) == before
    target.import_territory(spoiled(source, lambda d: None))  # the connection is usable: no transaction left open
    assert len(target.territories()) == 1


def test_the_restore_never_names_a_column_from_the_file(source: Document, target: Service) -> None:
    """Even past read_backup, restore_rows builds its INSERT from the database's own columns."""
    tables = copy.deepcopy(source["tables"])
    tables["territories"][0]["name) VALUES ('x') --"] = "piège"
    territory_id = target.store.restore_rows(tables, target.store.code_taken, lambda: "ZZZZZ")
    assert target.territory(territory_id)["name"] == source["tables"]["territories"][0]["name"]


# --- Fuzzing --------------------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
    | st.sampled_from(["", "../../etc/passwd", "x" * 5000, "forces", "retenue", "{}", "[]", "a-b"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
TABLE_NAMES = [t for t, _, _ in BACKUP_TABLES]


def like(value: object) -> st.SearchStrategy[object]:
    """Values of the same kind as the one replaced: most pass the checks, so the accepted path is fuzzed too."""
    if isinstance(value, bool) or value is None:
        return st.none() | st.booleans()
    if isinstance(value, int):
        return st.integers(min_value=-2, max_value=value * 2 + 10)
    if isinstance(value, float):
        return st.floats(min_value=0, max_value=value * 2 + 1)
    if isinstance(value, str):
        return st.text(max_size=30) | st.just(value[: len(value) // 2]) | st.from_regex(r"[a-z0-9-]{1,12}",
                                                                                        fullmatch=True)
    return JSON_VALUES


@st.composite
def mutations(draw: st.DrawFn, document: Document) -> bytes:
    """A real backup with one to three of its values, keys or rows changed."""
    document = copy.deepcopy(document)
    tables = document["tables"]
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from([t for t in TABLE_NAMES if tables.get(t)]))
        rows = tables[table]
        row = rows[draw(st.integers(0, len(rows) - 1))]
        action = draw(st.sampled_from(["value", "value", "value", "new-key", "drop-key", "drop-row", "copy-row"]))
        if action == "value":
            column = draw(st.sampled_from(sorted(row)))
            row[column] = draw(JSON_VALUES | like(row[column]))
        elif action == "new-key":
            row[draw(st.text(min_size=1, max_size=20))] = draw(JSON_VALUES)
        elif action == "drop-key":
            row.pop(draw(st.sampled_from(sorted(row))))
        elif action == "drop-row":
            rows.remove(row)
        else:
            rows.append(dict(row))
    return json.dumps(document, ensure_ascii=False).encode()


def imports_whole_or_refuses(service: Service, content: bytes) -> None:
    """The property: a territory that reads back, or the project's own refusal with nothing written."""
    before = counts(service)
    try:
        territory_id = service.import_territory(content, copy=True)
    except Refused as refusal:
        assert refusal.key == "backup.invalid" and refusal.params["reason"]
        assert counts(service) == before
        return
    # What was accepted is usable by the pages: agendas, actions, actors, SWOT, a new backup.
    for workshop in service.workshops(territory_id):
        assert workshop.phase.title
    service.candidate_actions(territory_id)
    service.store.actors(territory_id)
    service.store.swot_items(territory_id)
    service.export_territory(territory_id)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_fuzzed_backups_import_whole_or_are_refused(source: Document, tmp_path: Path, data: st.DataObject) -> None:
    service = fuzz_target(tmp_path)
    imports_whole_or_refuses(service, data.draw(mutations(source)))


@FUZZ
@given(content=st.binary(max_size=300) | JSON_VALUES.map(lambda v: json.dumps(v).encode())
       | st.builds(lambda tables: json.dumps({"format": "atelier-territoire", "version": 1,
                                              "tables": tables}).encode(),
                   st.dictionaries(st.sampled_from([*TABLE_NAMES, "meta"]), JSON_VALUES, max_size=3)))
def test_arbitrary_bytes_are_refused_in_french(tmp_path: Path, content: bytes) -> None:
    imports_whole_or_refuses(fuzz_target(tmp_path), content)


_TARGETS: dict[Path, Service] = {}


def fuzz_target(directory: Path) -> Service:
    """One database per test, shared by its examples (a new one per example would be most of the run)."""
    if directory not in _TARGETS:
        _TARGETS[directory] = Service(Store(directory / "fuzz.sqlite"), Hub())
    return _TARGETS[directory]


def test_sqlite_keeps_what_the_bounds_allow(source: Document, target: Service) -> None:
    """The largest values the checks accept are stored and read back as they were."""
    content = spoiled(source, first("actions", position=1_000_000, title="t" * 1000))
    territory_id = target.import_territory(content)
    assert 1_000_000 in {a.position for a in target.candidate_actions(territory_id)}


def test_atelier_import_refuses_the_takeover_file_in_french(source: Document, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The command line of issue 11's attack: exit code 2, the reason in French, no territory in the database."""
    path = tmp_path / "piege.json"
    path.write_bytes(spoiled(source, first("territories", **{"name) SELECT value FROM meta --": "x"})))
    db = tmp_path / "cible.sqlite"
    code = main(["import", str(path), "--db", str(db)])
    assert (code, "colonne inconnue" in capsys.readouterr().err, Store(db).territories()) == (2, True, [])


def test_atelier_import_refuses_a_huge_file_before_reading_it(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "enorme.json"
    with path.open("wb") as file:
        file.truncate(101 * 1024 * 1024)  # sparse: nothing is written, nothing should be read
    assert main(["import", str(path), "--db", str(tmp_path / "cible.sqlite")]) == 2
    assert "pèse plus de 100 Mo" in capsys.readouterr().err
