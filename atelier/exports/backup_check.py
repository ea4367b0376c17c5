"""What each row of a territory backup may hold, checked before anything is stored.

A backup is a file from someone else: nothing in it becomes SQL, a path or an unbounded allocation. Its column
names must be the store's own (given by the caller from the live schema), every value is checked by a pydantic
model with bounds (strings, integers within SQLite's range and far below, keys as slugs, statuses from their
list, JSON columns by the models that read them back), phase indexes stay within their workshop's agenda and every
reference points at a row of the same file. The first problem found refuses the whole file with a French message
naming the table, the row and the column. Pure: rows in, a BackupError or nothing out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from atelier.models import ACTION_STATUSES, Actor, Interview, PhaseTemplate, Quadrant, WorkshopSettings


class BackupError(Exception):
    """A file that cannot be restored; the message says why, in French."""


# Far above any territory (a few hundred actors, a few thousand ideas), low enough to keep a hostile file small.
MAX_ROWS_PER_TABLE = 200_000
MAX_ID = 1_000_000_000  # the file's ids are renumbered 1, 2, 3… per table
MAX_COUNT = 1_000_000  # positions, versions, minutes, points, thresholds
MAX_TIME = 32_503_680_000.0  # year 3000, in epoch seconds
MAX_PHASES = 100
SHORT, LINE, TEXT, LONG = 200, 1_000, 20_000, 200_000  # characters
# A territory key follows the scenario files' rule (models.TerritoryInfo). Other keys (actors, categories,
# templates, leads) come from hand-written scenario files too, so accented letters and "_" are kept; what a key
# must never hold is a path or markup: no "/", ".", space, "<" or quote.
SLUG = r"^[a-z0-9-]+$"
KEY = r"^[\w-]+$"

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Ref = Id | None
Flag = Annotated[int, Field(strict=True, ge=0, le=1)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
Time = Annotated[float, Field(strict=True, ge=0, le=MAX_TIME, allow_inf_nan=False)]
Slug = Annotated[str, Field(strict=True, min_length=1, max_length=80, pattern=SLUG)]
Key = Annotated[str, Field(strict=True, min_length=1, max_length=80, pattern=KEY)]
Short = Annotated[str, Field(strict=True, max_length=SHORT)]
Line = Annotated[str, Field(strict=True, max_length=LINE)]
Text = Annotated[str, Field(strict=True, max_length=TEXT)]
Long = Annotated[str, Field(strict=True, max_length=LONG)]
Named = Annotated[str, Field(strict=True, min_length=1, max_length=LINE)]
Grade = Annotated[int, Field(strict=True, ge=1, le=5)] | None
Token = Annotated[str, Field(strict=True, pattern=r"^[A-Za-z0-9_-]{8,64}$")]
Code = Annotated[str, Field(strict=True, pattern=r"^[A-Z0-9]{3,12}$")]
Status = Literal[tuple(ACTION_STATUSES)]  # type: ignore[valid-type]
Horizon = Literal["", "court", "moyen", "long"]
QuadrantName = Literal[tuple(q.value for q in Quadrant)]  # type: ignore[valid-type]  # strict: the plain text


class Row(BaseModel):
    # Unknown keys are refused before this (see check_rows), so "forbid" here guards the models themselves.
    model_config = ConfigDict(extra="forbid", strict=True)


class ColumnError(ValueError):
    """A row's check that is about one of its columns (the message then names it)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _json(text: str, what: str, column: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ColumnError(column, f"{what} illisible (JSON invalide)") from e


_WORDS = TypeAdapter(list[Annotated[str, Field(max_length=SHORT)]])
_PHASES = TypeAdapter(list[PhaseTemplate])


def _nested(adapter: TypeAdapter[Any] | type[BaseModel], text: str, what: str, column: str) -> Any:
    """A JSON column read by the model that reads it back, its first problem said in French."""
    value = _json(text, what, column)
    try:
        if isinstance(adapter, TypeAdapter):
            return adapter.validate_python(value)
        return adapter.model_validate(value)
    except ValidationError as e:
        raise ColumnError(column, f"{what} : {_french(e.errors()[0])}") from None


class Territories(Row):
    id: Id
    key: Slug
    name: Named
    description: Text
    cohort_threshold: Annotated[int, Field(strict=True, ge=1, le=1000)]


class Categories(Row):
    territory_id: Id
    key: Key
    label: Named
    colour: Annotated[str, Field(strict=True, pattern=r"^#[0-9a-fA-F]{6}$")]
    words: Long
    position: Count

    @model_validator(mode="after")
    def words_are_a_list(self) -> Categories:
        _nested(_WORDS, self.words, "la liste de mots", "words")
        return self


class Actors(Row):
    id: Id
    territory_id: Id
    key: Key
    name: Named
    kind: Short
    status: Short
    public_consent: Flag
    archived: Flag
    data: Long
    updated_at: Time

    @model_validator(mode="after")
    def data_is_the_actor(self) -> Actors:
        actor = _nested(Actor, self.data, "la fiche de l’acteur", "data")
        if actor.key != self.key or actor.kind.value != self.kind or actor.status.value != self.status:
            raise ColumnError("data", "la fiche de l’acteur (clé, type, statut) ne correspond pas à sa ligne")
        return self


class Interviews(Row):
    actor_id: Id
    data: Long
    version: Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]
    updated_at: Time

    @model_validator(mode="after")
    def data_is_an_interview(self) -> Interviews:
        _nested(Interview, self.data, "l’entretien", "data")
        return self


class InterviewHistory(Row):
    id: Id
    actor_id: Id
    data: Long
    version: Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]
    saved_at: Time
    author: Line
    conflict: Flag

    @model_validator(mode="after")
    def data_is_an_interview(self) -> InterviewHistory:
        _nested(Interview, self.data, "l’entretien", "data")
        return self


class Workshops(Row):
    id: Id
    territory_id: Id
    code: Code
    title: Named
    template_key: Key
    phases: Long
    phase_index: Annotated[int, Field(strict=True, ge=0, lt=MAX_PHASES)]
    locked: Flag
    timer_ends_at: Time | None
    timer_remaining: Time | None
    closed: Flag
    created_at: Time
    settings: Text

    @model_validator(mode="after")
    def index_within_its_agenda(self) -> Workshops:
        phases = _nested(_PHASES, self.phases, "l’ordre du jour", "phases")
        if not 1 <= len(phases) <= MAX_PHASES:
            raise ColumnError("phases", f"l’ordre du jour doit compter de 1 à {MAX_PHASES} phases")
        if self.phase_index >= len(phases):
            raise ColumnError("phase_index", f"{self.phase_index} est hors de l’ordre du jour ({len(phases)} phases, "
                                             f"de 0 à {len(phases) - 1})")
        _nested(WorkshopSettings, self.settings, "les réglages", "settings")
        return self


class Participants(Row):
    id: Id
    workshop_id: Id
    name: Line
    organisation: Line
    actor_id: Ref
    joined_at: Time
    anonymous: Flag = 0  # joined an anonymous workshop (migration 7)


class Ideas(Row):
    id: Id
    workshop_id: Id
    participant_id: Ref
    client_id: Short
    title: Line
    details: Text
    category: Key
    hidden: Flag
    withdrawn: Flag
    merged_into: Ref
    is_group: Flag
    action_id: Ref
    origin: Literal["participant", "piste"]
    created_at: Time
    updated_at: Time
    pending: Flag = 0  # waits for the facilitator's approval (migration 7)


class Actions(Row):
    id: Id
    territory_id: Id
    workshop_id: Ref
    title: Named
    description: Text
    category: Key
    origin: Short
    source_idea_id: Ref
    created_at: Time
    position: Count
    horizon: Horizon
    actor_keys: Text
    deleted: Flag
    selection: Literal["", "retenue", "non_retenue"]
    selection_reason: Line
    pilot: Line
    working_group: Flag
    next_step: Line
    next_step_owner: Line
    next_step_due: Annotated[str, Field(strict=True, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
    status: Status
    progress: Annotated[int, Field(strict=True, ge=0, le=100)]

    @model_validator(mode="after")
    def actor_keys_are_a_list(self) -> Actions:
        _nested(_WORDS, self.actor_keys, "la liste des acteurs", "actor_keys")
        return self


class LeadDecisions(Row):
    territory_id: Id
    key: Key
    status: Literal["proposee", "ecartee", "promue"]
    reason: Line
    idea_id: Ref
    snapshot: Long
    decided_at: Time

    @model_validator(mode="after")
    def snapshot_is_an_object(self) -> LeadDecisions:
        if not isinstance(_json(self.snapshot, "la piste enregistrée", "snapshot"), dict):
            raise ColumnError("snapshot", "la piste enregistrée n’est pas un objet JSON")
        return self


class SwotItems(Row):
    id: Id
    territory_id: Id
    workshop_id: Ref
    participant_id: Ref
    client_id: Short
    quadrant: QuadrantName
    text: Line
    hidden: Flag
    merged_into: Ref
    created_at: Time
    updated_at: Time


class Ratings(Row):
    workshop_id: Id
    action_id: Id
    participant_id: Id
    impact: Grade
    ease: Grade
    horizon: Horizon
    engagement: Literal["pilote", "contributeur", "interesse", "aucun"]
    updated_at: Time


class DotVotes(Row):
    workshop_id: Id
    action_id: Id
    participant_id: Id
    points: Annotated[int, Field(strict=True, ge=0, le=1000)]


class SelectionLog(Row):
    id: Id
    workshop_id: Id
    action_id: Id
    decision: Short
    reason: Line
    automatic: Flag
    at: Time


class ActionStatusLog(Row):
    id: Id
    action_id: Id
    status: Status
    progress: Annotated[int, Field(strict=True, ge=0, le=100)]
    note: Text
    author: Line
    at: Time


class WorkingGroups(Row):
    id: Id
    action_id: Id
    objective: Text
    pilot_token: Token
    created_at: Time


class GroupMembers(Row):
    group_id: Id
    member: Named
    role: Short
    joined_at: Time


class Meetings(Row):
    id: Id
    group_id: Id
    starts_at: Short
    minutes: Annotated[int, Field(strict=True, ge=0, le=24 * 60)]
    place: Line
    attendance: Long
    notes: Long
    decisions: Long
    held: Flag
    workshop_id: Ref
    created_at: Time

    @model_validator(mode="after")
    def attendance_is_a_list(self) -> Meetings:
        _nested(_WORDS, self.attendance, "la liste de présence", "attendance")
        return self


class MeetingSteps(Row):
    id: Id
    meeting_id: Id
    text: Line
    owner: Line
    due: Short
    done: Flag


class GroupJoinRequests(Row):
    id: Id
    group_id: Id
    organisation: Named
    participant_id: Ref
    status: Short
    created_at: Time
    decided_at: Time | None


class JoinRequests(Row):
    id: Id
    territory_id: Id
    organisation: Named
    kind: Short
    commune: Line
    contact_name: Line
    email: Annotated[str, Field(strict=True, max_length=320)]
    message: Text
    source: Short
    status: Short
    cohort_id: Ref
    actor_id: Ref
    created_at: Time


class Supports(Row):
    idea_id: Id
    participant_id: Id
    created_at: Time


class Erasures(Row):
    id: Id
    territory_id: Id
    kind: Literal["candidat", "contact", "participant"]
    erased_by: Named
    erased_at: Time


class Cohorts(Row):
    id: Id
    territory_id: Id
    workshop_id: Ref
    created_at: Time


ROW_MODELS: dict[str, type[Row]] = {
    "territories": Territories, "categories": Categories, "actors": Actors, "interviews": Interviews,
    "interview_history": InterviewHistory, "workshops": Workshops, "participants": Participants, "ideas": Ideas,
    "actions": Actions, "lead_decisions": LeadDecisions, "swot_items": SwotItems, "ratings": Ratings,
    "dot_votes": DotVotes, "selection_log": SelectionLog, "action_status_log": ActionStatusLog,
    "working_groups": WorkingGroups, "group_members": GroupMembers, "meetings": Meetings,
    "meeting_steps": MeetingSteps, "group_join_requests": GroupJoinRequests, "cohorts": Cohorts,
    "join_requests": JoinRequests, "supports": Supports, "erasures": Erasures,
}
# A column the store gained after these models were written: any bounded scalar, until it gets its own rule.
_ANY_SCALAR = TypeAdapter(
    Annotated[int, Field(strict=True, ge=-MAX_ID, le=MAX_ID)] | Time | Annotated[str, Field(max_length=TEXT)] | None
)


# --- French messages ---------------------------------------------------------------------------------------------

def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"« {value} »"
    return text if len(text) <= 60 else text[:57] + "…"


def _french(error: Mapping[str, Any]) -> str:
    """One pydantic error in words a facilitator can pass on: what is wrong with which value."""
    kind, context, value = error["type"], error.get("ctx") or {}, error.get("input")
    where = ".".join(str(part) for part in error.get("loc", ()) if not isinstance(part, int))
    prefix = f"champ « {where} » : " if where else ""
    if kind == "string_too_long":
        return f"{prefix}texte trop long ({len(value) if isinstance(value, str) else '?'} caractères, " \
               f"{context.get('max_length')} au plus)"
    if kind == "string_too_short":
        return f"{prefix}texte vide"
    if kind == "string_pattern_mismatch":
        if context.get("pattern") == SLUG:
            return f"{prefix}{_shown(value)} n’est pas une clé (lettres minuscules, chiffres et tirets seulement)"
        if context.get("pattern") == KEY:
            return f"{prefix}{_shown(value)} n’est pas une clé (lettres, chiffres, tirets : ni « / », ni « . », " \
                   "ni espace)"
        return f"{prefix}{_shown(value)} n’a pas la forme attendue"
    if kind in ("less_than_equal", "less_than"):
        most = context["le"] if "le" in context else context.get("lt", 0) - 1  # the bounds here are integers
        return f"{prefix}{_shown(value)} est trop grand (au plus {most})"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{prefix}{_shown(value)} est trop petit (au moins {context.get('ge', context.get('gt'))})"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{prefix}{_shown(value)} n’est pas un nombre entier"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{prefix}{_shown(value)} n’est pas un nombre"
    if kind in ("string_type",):
        return f"{prefix}{_shown(value)} n’est pas un texte"
    if kind in ("literal_error", "enum"):
        return f"{prefix}valeur {_shown(value)} inconnue (attendu : {context.get('expected', '?')})"
    if kind == "missing":
        return f"{prefix}absent"
    if kind == "extra_forbidden":
        return f"{prefix}inconnu"
    if kind in ("json_invalid", "json_type"):
        return f"{prefix}JSON invalide"
    if kind == "value_error":
        return f"{prefix}{context.get('error', error.get('msg', ''))!s}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return f"{prefix}{_shown(value)} n’a pas la forme attendue (liste ou objet)"
    if kind == "too_long":
        return f"{prefix}trop d’éléments"
    return f"{prefix}valeur {_shown(value)} refusée"


def _refuse(table: str, number: int, column: str | None, what: str) -> BackupError:
    at = f"colonne « {column} »" if column else "ligne entière"
    return BackupError(f"Table « {table} », ligne {number}, {at} : {what}.")


def _check_row(table: str, number: int, row: Mapping[str, Any], columns: Mapping[str, bool]) -> None:
    unknown = [c for c in row if c not in columns]
    if unknown:
        raise _refuse(table, number, str(unknown[0])[:60], "colonne inconnue d’atelier")
    missing = [c for c, required in columns.items() if required and c not in row]
    if missing:
        raise _refuse(table, number, missing[0], "colonne absente")
    model = ROW_MODELS.get(table)
    known = set(model.model_fields) if model else set()
    for column in columns:
        if column in row and column not in known:
            try:
                _ANY_SCALAR.validate_python(row[column])
            except ValidationError as e:
                raise _refuse(table, number, column, _french(e.errors()[0] | {"loc": ()})) from None
    if model is None:
        return
    given = {c: v for c, v in row.items() if c in known}
    try:
        model.model_validate(given)
    except ValidationError as e:
        first = e.errors()[0]
        location = [p for p in first.get("loc", ()) if not isinstance(p, int)]
        column = str(location[0]) if location and location[0] in known else None
        said = (first.get("ctx") or {}).get("error")
        if isinstance(said, ColumnError):
            column = said.column
        raise _refuse(table, number, column, _french({**first, "loc": location[1:] if column else location})) \
            from None
    except (ValueError, RecursionError) as e:  # a JSON column nested too deep to read
        raise _refuse(table, number, None, f"contenu illisible ({str(e)[:80]})") from None


def check_rows(tables: Mapping[str, list[Any]], schema: Mapping[str, Mapping[str, bool]],
               foreign: Mapping[str, Mapping[str, str]], with_id: set[str]) -> None:
    """Refuses the tables unless every row is valid and every reference points at a row of the file.

    `schema` is the store's own: {table: {column: whether the file must give it}}; `foreign` the references
    ({table: {column: target table}}); `with_id` the tables whose rows have an id.
    """
    for table, rows in tables.items():
        if table not in schema:
            raise BackupError(f"Table inconnue dans la sauvegarde : « {str(table)[:60]} ».")
        if not isinstance(rows, list):
            raise BackupError(f"La table « {table} » de la sauvegarde est abîmée (ce n’est pas une liste).")
        if len(rows) > MAX_ROWS_PER_TABLE:
            raise BackupError(f"La table « {table} » compte {len(rows)} lignes : plus que les "
                              f"{MAX_ROWS_PER_TABLE} qu’un territoire peut avoir.")
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise _refuse(table, number, None, "ce n’est pas un objet")
            _check_row(table, number, row, schema[table])
    if len(tables.get("territories", [])) != 1:
        raise BackupError("La sauvegarde doit contenir exactement un territoire.")
    ids: dict[str, set[int]] = {}
    for table in with_id:
        seen: set[int] = set()
        for number, row in enumerate(tables.get(table, []), start=1):
            if row["id"] in seen:
                raise _refuse(table, number, "id", f"l’identifiant {row['id']} figure deux fois")
            seen.add(row["id"])
        ids[table] = seen
    for table, references in foreign.items():
        for number, row in enumerate(tables.get(table, []), start=1):
            for column, target in references.items():
                value = row.get(column)
                if value is not None and value not in ids.get(target, set()):
                    raise _refuse(table, number, column,
                                  f"renvoie à la ligne {value} de « {target} », absente du fichier")
