"""Pydantic models and enums of atelier. No I/O here: everything that crosses a boundary is validated by these."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Limits of what a participant may type. Kept here so rules, store and pages agree.
IDEA_TITLE_MAX = 140
IDEA_DETAILS_MAX = 1000
NAME_MAX = 80
ORGANISATION_MAX = 120


class Collect(StrEnum):
    """What phones may send during a phase."""

    NONE = "aucune"
    IDEAS = "idees"
    SWOT = "ffom"
    RATINGS = "notes"
    GROUPS = "groupes"  # newcomers ask to join working groups (extension workshop)


class ActorKind(StrEnum):
    COMPANY = "entreprise"
    FARM = "exploitation-agricole"
    CRAFTSMAN = "artisan"
    SHOP = "commerce"
    LOCAL_AUTHORITY = "collectivite"
    ASSOCIATION = "association"
    PUBLIC_BODY = "etablissement-public"
    OTHER = "autre"


class ActorStatus(StrEnum):
    PIONEER = "pionnier"
    MEMBER = "membre"
    CANDIDATE = "candidat"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Category(Strict):
    key: str = Field(alias="cle", min_length=1)
    label: str = Field(alias="libelle", min_length=1)
    colour: str = Field(alias="couleur", pattern=r"^#[0-9a-fA-F]{6}$")
    words: list[str] = Field(default_factory=list, alias="mots")
    label_en: str = Field("", alias="libelle_en")  # English beside French in the scenario file; French if absent

    def in_language(self, lang: str) -> Category:
        return self.model_copy(update={"label": self.label_en}) if lang == "en" and self.label_en else self


# Where an idea sent without a category waits until the facilitator sorts it. Not in the territory's categories
# file (a territory may rename or drop any of those): every territory has it, listed last.
# Light grey: 4.5:1 and more on the dark board.
UNSORTED = Category(cle="a-classer", libelle="À classer", couleur="#9ca3af", libelle_en="To sort")


class Contact(Strict):
    name: str = Field("", alias="nom")
    role: str = ""
    email: str = ""
    phone: str = Field("", alias="telephone")


class InterviewItem(Strict):
    category: str = Field(alias="categorie")
    description: str = Field(min_length=1)
    quantity: float | None = Field(None, alias="quantite")
    unit: str = Field("", alias="unite")
    frequency: str = Field("", alias="frequence")


class Interview(Strict):
    date: str = ""
    interviewer: str = Field("", alias="enqueteur")
    problems: list[str] = Field(default_factory=list, alias="problematiques")
    opportunities: list[str] = Field(default_factory=list, alias="opportunites")
    notes: str = ""
    needs: list[InterviewItem] = Field(default_factory=list, alias="besoins")
    capacities: list[InterviewItem] = Field(default_factory=list, alias="capacites")


class Actor(Strict):
    key: str = Field(alias="cle", min_length=1)
    name: str = Field(alias="nom", min_length=1)
    kind: ActorKind = Field(alias="type")
    sector: str = Field("", alias="secteur")
    naf: str = ""
    commune: str = ""
    status: ActorStatus = Field(ActorStatus.MEMBER, alias="statut")
    availability_groups: int = Field(1, alias="disponibilite_groupes", ge=0)
    availability_hours_month: float = Field(0, alias="disponibilite_heures_mois", ge=0)
    motivation: str = ""
    public_consent: bool = Field(False, alias="consentement_public")
    contact: Contact = Field(default_factory=Contact)
    interview: Interview | None = Field(None, alias="entretien")


class TerritoryInfo(Strict):
    key: str = Field(alias="cle", min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(alias="nom", min_length=1)
    description: str = ""


class TerritoryFile(Strict):
    """A territory scenario file as written by a person (French keys)."""

    territory: TerritoryInfo = Field(alias="territoire")
    actors: list[Actor] = Field(default_factory=list, alias="acteurs")

    @field_validator("actors")
    @classmethod
    def unique_actor_keys(cls, actors: list[Actor]) -> list[Actor]:
        keys = [a.key for a in actors]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"clé d’acteur en double : {', '.join(duplicates)}")
        return actors


class PhaseTemplate(Strict):
    key: str = Field(alias="cle", min_length=1)
    title: str = Field(alias="titre", min_length=1)
    minutes: int = Field(alias="duree_minutes", ge=0, le=600)
    collect: Collect = Field(Collect.NONE, alias="collecte")
    instruction: str = Field("", alias="consigne")
    tip: str = Field("", alias="conseil")
    # English beside French in the scenario file (a workshop keeps them with its phases); French where absent.
    title_en: str = Field("", alias="titre_en")
    instruction_en: str = Field("", alias="consigne_en")
    tip_en: str = Field("", alias="conseil_en")

    def in_language(self, lang: str) -> PhaseTemplate:
        if lang != "en":
            return self
        return self.model_copy(update={"title": self.title_en or self.title,
                                       "instruction": self.instruction_en or self.instruction,
                                       "tip": self.tip_en or self.tip})


class TemplateInfo(Strict):
    key: str = Field(alias="cle", min_length=1)
    title: str = Field(alias="titre", min_length=1)
    description: str = ""
    title_en: str = Field("", alias="titre_en")
    description_en: str = ""

    def in_language(self, lang: str) -> TemplateInfo:
        if lang != "en":
            return self
        return self.model_copy(update={"title": self.title_en or self.title,
                                       "description": self.description_en or self.description})


class TemplateSettings(Strict):
    """A template's defaults for what participants may do, as written in its `[reglages]` table. The
    facilitator can change them per workshop in the console."""

    peer_ideas: bool = Field(False, alias="idees_des_autres")  # read the others' ideas, support them (+1)
    anonymous: bool = Field(False, alias="anonyme")  # no name asked; organisation optional, never projected
    premoderation: bool = Field(False, alias="moderation_prealable")  # ideas wait for approval before the board


class WorkshopTemplate(Strict):
    info: TemplateInfo = Field(alias="modele")
    phases: list[PhaseTemplate] = Field(min_length=1)
    settings: TemplateSettings = Field(default_factory=lambda: TemplateSettings(), alias="reglages")


class CategoriesFile(Strict):
    categories: list[Category] = Field(min_length=1)


# --- Resource knowledge base (sessions/ressources.toml) ---------------------------------------------------

_KEY = r"^[a-z0-9][a-z0-9-]*$"


class KnownUse(Strict):
    """A need as a needing actor writes it ("litière pour les chevaux"), in its phrasings."""

    key: str = Field(alias="cle", pattern=_KEY)
    category: str = Field(alias="categorie", min_length=1)
    phrases: list[str] = Field(alias="besoins", min_length=1)
    label_en: str = Field("", alias="en", max_length=80)  # its label on pages in English
    sources: list[str] = Field(alias="src", min_length=1)


class KnownResource(Strict):
    """What an actor can offer, in its names, with the uses (needs) it can serve."""

    key: str = Field(alias="cle", pattern=_KEY)
    category: str = Field(alias="categorie", min_length=1)
    names: list[str] = Field(alias="noms", min_length=1)
    label_en: str = Field("", alias="en", max_length=80)  # its label on pages in English
    uses: list[str] = Field(default_factory=list, alias="usages")
    waste_code: str = Field("", alias="ler", pattern=r"^(\d{2} \d{2} \d{2})?$")
    hazardous: bool = Field(False, alias="dangereux")  # its code is starred in the List of Waste
    sources: list[str] = Field(alias="src", min_length=1)


class KnowledgeFile(Strict):
    uses: list[KnownUse] = Field(default_factory=list, alias="usages")
    resources: list[KnownResource] = Field(default_factory=list, alias="ressources")
    sources: dict[str, str] = Field(default_factory=dict)

    @field_validator("resources")
    @classmethod
    def unique_resource_keys(cls, resources: list[KnownResource]) -> list[KnownResource]:
        keys = [r.key for r in resources]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"clé de ressource en double : {', '.join(duplicates)}")
        return resources

    def problems(self) -> list[str]:
        """What refers to nothing: a use that is neither a use nor a resource, a source not in [sources]."""
        known = {u.key for u in self.uses} | {r.key for r in self.resources}
        found = []
        for use in self.uses:
            if use.key in {r.key for r in self.resources}:
                found.append(f"« {use.key} » est à la fois un usage et une ressource")
            found += [f"usage « {use.key} » : source inconnue « {s} »" for s in use.sources if s not in self.sources]
        for resource in self.resources:
            found += [f"ressource « {resource.key} » : usage inconnu « {u} »" for u in resource.uses if u not in known]
            found += [f"ressource « {resource.key} » : source inconnue « {s} »" for s in resource.sources
                      if s not in self.sources]
        return found


# --- Live workshop state, as read back from the store ---------------------------------------------


class Workshop(BaseModel):
    id: int
    territory_id: int
    code: str
    title: str
    template_key: str
    phases: list[PhaseTemplate]
    phase_index: int = 0
    locked: bool = False
    timer_ends_at: float | None = None  # epoch seconds while the countdown runs
    timer_remaining: float | None = None  # seconds left while paused
    closed: bool = False
    created_at: float = 0.0
    settings: WorkshopSettings = Field(default_factory=lambda: WorkshopSettings())

    @property
    def phase(self) -> PhaseTemplate:
        return self.phases[self.phase_index]

    def in_language(self, lang: str) -> Workshop:
        """The same workshop with its phases worded in `lang` (the scenario file's English, else French)."""
        if lang != "en":
            return self
        return self.model_copy(update={"phases": [p.in_language(lang) for p in self.phases]})


class Participant(BaseModel):
    id: int
    workshop_id: int
    name: str
    organisation: str
    actor_id: int | None = None
    joined_at: float


class Idea(BaseModel):
    id: int
    workshop_id: int
    participant_id: int | None  # None for a group made by the facilitator
    client_id: str
    title: str
    details: str = ""
    category: str
    hidden: bool = False
    merged_into: int | None = None
    is_group: bool = False
    action_id: int | None = None
    created_at: float
    updated_at: float
    origin: str = "participant"  # or "piste": a lead from the interviews, promoted by the facilitator
    author: str = ""  # "Name (Organisation)", filled when read for display
    organisation: str = ""  # empty in an anonymous workshop: the projector never shows it
    withdrawn: bool = False
    pending: bool = False  # pre-moderation: waits for the facilitator's approval before the board shows it
    support: int = 0  # how many other phones support it (+1), filled when read

    @property
    def on_wall(self) -> bool:
        """Whether the projector shows it."""
        return not (self.hidden or self.withdrawn or self.pending or self.merged_into is not None)


class Quadrant(StrEnum):
    STRENGTHS = "forces"
    WEAKNESSES = "faiblesses"
    OPPORTUNITIES = "opportunites"
    THREATS = "menaces"


SWOT_TEXT_MAX = 200


class SwotItem(BaseModel):
    id: int
    territory_id: int
    workshop_id: int | None
    participant_id: int | None
    client_id: str
    quadrant: Quadrant
    text: str
    hidden: bool = False
    merged_into: int | None = None
    created_at: float
    organisation: str = ""

    @property
    def on_board(self) -> bool:
        return not self.hidden and self.merged_into is None


class Action(BaseModel):
    id: int
    territory_id: int
    workshop_id: int | None
    title: str
    description: str = ""
    category: str
    origin: str  # "idee" or "piste"
    source_idea_id: int | None = None
    created_at: float
    position: int = 0
    horizon: str = ""  # planned by the facilitator: "court", "moyen", "long" or ""
    actor_keys: list[str] = Field(default_factory=list)  # actors involved, as the facilitator noted them
    deleted: bool = False
    selection: str = ""  # "", "retenue" or "non_retenue"
    selection_reason: str = ""
    pilot: str = ""  # the pilot the facilitator confirmed (an organisation name)
    working_group: bool = False
    next_step: str = ""
    next_step_owner: str = ""
    next_step_due: str = ""  # ISO date
    status: str = "a-lancer"  # see ACTION_STATUSES
    progress: int = 0  # percent, set with the status by the working group


# An action's status, from launch to its end (the working groups follow them).
ACTION_STATUSES = {"a-lancer": "à lancer", "en-cours": "en cours", "bloquee": "bloquée", "realisee": "réalisée",
                   "abandonnee": "abandonnée"}
ACTION_TITLE_MAX = 140
ACTION_DESCRIPTION_MAX = 2000


MAX_PARTICIPANTS_CAP = 5000


class WorkshopSettings(BaseModel):
    """Settings of a workshop that its phases use (the selection's thresholds and vote mode)."""

    ease_min: int = Field(4, ge=1, le=5)
    impact_min: int = Field(3, ge=1, le=5)
    vote_mode: str = Field("notes", pattern="^(notes|points)$")
    points_budget: int = Field(5, ge=1, le=50)
    results_visible: bool = False
    # A room's worth of phones, not a script's: new identities beyond it are refused (the console warns before).
    max_participants: int = Field(300, ge=1, le=MAX_PARTICIPANTS_CAP)
    # What participants may do (defaults from the template's [reglages]; see TemplateSettings).
    peer_ideas: bool = False
    anonymous: bool = False
    premoderation: bool = False


class Draft(BaseModel):
    title: str = ""
    details: str = ""
    category: str = ""


class Facilitator(BaseModel):
    """A person who facilitates: the lead ("principal") manages roles; a co-facilitator runs workshops."""

    id: int
    name: str
    role: str  # "principal" or "co"
    secret: str  # salt$scrypt-hash of their code, never the code
    version: int
    revoked: bool = False

    @property
    def is_lead(self) -> bool:
        return self.role == "principal"


class BoardState(BaseModel):
    """How the facilitator steers the projected board of one workshop; stored, so a reload shows the same."""

    paused: bool = False  # the wall stays on its page instead of turning pages
    category: str = ""  # "" for every category, else only this one
    idea_id: int | None = None  # one idea full screen
    hide_qr: bool = False  # once everyone has joined, the QR panel gives its room to the content
    action_index: int = Field(0, ge=0)  # the candidate action presented
    auto_present: bool = False  # the presentation moves to the next action by itself
    page_seconds: int = Field(5, ge=3, le=60)
