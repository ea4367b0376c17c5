"""Gathers a workshop's action plan from the service into `ActionPlan`, applying consent once for every format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from atelier.exports.model import ActionPlan, PlanAction, PlanIdea, PlanLead, PlanMeeting, PlanSwotItem
from atelier.exports.wording import territory_date, territory_now
from atelier.i18n import t
from atelier.models import ACTION_STATUSES
from atelier.rules.actors import name_key
from atelier.rules.french import sort_key
from atelier.rules.lead_views import STATUS_DISMISSED, STATUS_PROMOTED
from atelier.rules.selection import HORIZON_WORDS, fruit_reason
from atelier.service import SELECTED, ActionResult, Service

QUADRANT_LABELS = {"forces": "Forces", "faiblesses": "Faiblesses", "opportunites": "Opportunités",
                   "menaces": "Menaces"}
LEAD_STATUS = {STATUS_DISMISSED: "écartée", STATUS_PROMOTED: "proposée à l’atelier"}
ANONYMOUS = "un acteur"  # an engaged actor who did not consent to publication: someone is there, unnamed


@dataclass(frozen=True)
class Engaged:
    pilot: str
    contributors: tuple[str, ...]
    interested: tuple[str, ...]


def engaged(pilots: Sequence[str], contributors: Sequence[str], interested: Sequence[str],
            shown: Callable[[str], str]) -> Engaged:
    """Who carries an action, each organisation once (however it was typed) at its strongest engagement: the pilot,
    then contributors (other would-be pilots included), then the interested. Names in French order; an actor who
    refused publication reads "un acteur" (never an empty pilot: someone does pilot), several "N acteurs"."""
    seen: set[str] = set()

    def first_time(organisation: str) -> bool:
        key = name_key(organisation)
        if not key or key in seen:
            return False
        seen.add(key)
        return True

    pilot = next((p for p in pilots if p.strip()), "")
    pilot_name = (shown(pilot) or ANONYMOUS) if first_time(pilot) else ""

    def names(organisations: Sequence[str]) -> tuple[str, ...]:
        public, hidden = [], 0
        for organisation in organisations:
            if first_time(organisation):
                if shown(organisation):
                    public.append(shown(organisation))
                else:
                    hidden += 1
        listed = sorted(public, key=sort_key)
        if hidden:
            listed.append(ANONYMOUS if hidden == 1 else f"{hidden} acteurs")
        return tuple(listed)

    return Engaged(pilot_name, names([*pilots, *contributors]), names(interested))


def anonymised(text: str, organisations: tuple[str, ...], shown: Callable[[str], str]) -> str:
    """The rule's sentence names the pilots: one who did not consent becomes "un acteur"."""
    for organisation in organisations:
        if not shown(organisation):
            text = text.replace(organisation, ANONYMOUS)
    return text


def _plan_action(r: ActionResult, categories: dict, vote_mode: str, shown: Callable[[str], str],
                 lang: str = "fr") -> PlanAction:
    a = r.action
    people = engaged((a.pilot, *r.leads), r.contributors, r.interested, shown)
    category = categories.get(a.category)
    if category is not None:
        category = category.in_language(lang)
    if lang == "fr":  # the exports' words
        horizon = HORIZON_WORDS[r.horizon] if r.horizon else ""
        status = ACTION_STATUSES.get(a.status, a.status)
    else:  # the plan shown on a page in another language
        horizon = t(f"fruit.term_{r.horizon.value}", lang) if r.horizon else ""
        status = t(f"status.{a.status}", lang)
    return PlanAction(
        id=a.id, title=a.title, description=a.description, category=category.label if category else a.category,
        category_colour=category.colour if category else "#888888",
        horizon=horizon, selected=a.selection == SELECTED,
        low_hanging_fruit=r.fruit.flagged, fruit_reason=anonymised(fruit_reason(r.fruit, lang), r.leads, shown),
        unselection_reason=a.selection_reason if a.selection != SELECTED else "",
        working_group=r.in_working_group,
        pilot=people.pilot, contributors=people.contributors, interested=people.interested,
        ratings=r.impact.count, impact_median=r.impact.median, ease_median=r.ease.median, impact_mean=r.impact.mean,
        ease_mean=r.ease.mean, impact_distribution=r.impact.distribution, ease_distribution=r.ease.distribution,
        points=r.points if vote_mode == "points" else 0, rank=r.rank, next_step=a.next_step,
        next_step_owner=a.next_step_owner, next_step_due=a.next_step_due,
        status=status,
        origin="piste des entretiens" if a.origin == "piste" else "idée de l’atelier", progress=a.progress,
    )


def planned_meetings(service: Service, territory_id: int) -> tuple[PlanMeeting, ...]:
    """The working groups' meetings, numbered within each group, with identifiers stable across exports."""
    key = service.territory(territory_id)["key"]
    numbers: dict[str, int] = {}
    meetings = []
    for m in service.store.territory_meetings(territory_id):
        numbers[m["title"]] = numbers.get(m["title"], 0) + 1
        meetings.append(PlanMeeting(group=m["title"], number=numbers[m["title"]], starts_at=m["starts_at"],
                                    minutes=m["minutes"], place=m["place"], uid=f"reunion-{m['id']}-{key}@atelier"))
    return tuple(meetings)


def build_plan(service: Service, workshop_id: int, lang: str = "fr") -> ActionPlan:
    """Everything the exports need. Organisations appear unless they are registered actors who did not consent;
    the names of people never do. `lang`: the words of a page in another language (exports are French)."""
    workshop = service.workshop(workshop_id)
    territory_id = workshop.territory_id
    territory = service.territory(territory_id)
    categories = {c.key: c for c in service.categories(territory_id)}
    actors = [a for _, a in service.store.actors(territory_id)] + [
        a for _, a in service.store.actors(territory_id, archived=True)]
    hidden_organisations = {name_key(a.name) for a in actors if not a.public_consent}
    spelling = {name_key(a.name): a.name for a in actors}  # a registered actor's own spelling of its name

    def shown(organisation: str) -> str:  # "gaec du pre haut" typed on a phone is GAEC du Pré-Haut
        key = name_key(organisation)
        return "" if key in hidden_organisations else spelling.get(key, organisation)

    results = service.results(workshop_id)
    participants = service.participants(workshop_id)
    present: dict[str, str] = {}
    for p in participants:
        if shown(p.organisation):
            present.setdefault(name_key(p.organisation), shown(p.organisation))
    organisations = tuple(sorted(present.values(), key=sort_key))
    ideas = []
    for other in service.workshops(territory_id):
        workshop_ideas = service.ideas(other.id)
        titles = {i.id: i.title for i in workshop_ideas}
        ideas += [PlanIdea(title=i.title, details=i.details, category=categories[i.category].label
                           if i.category in categories else i.category, organisation=shown(i.organisation),
                           group=titles.get(i.merged_into, "") if i.merged_into else "", is_group=i.is_group,
                           hidden=i.hidden or i.withdrawn)
                  for i in workshop_ideas]
    swot = tuple(PlanSwotItem(QUADRANT_LABELS[i.quadrant.value], i.text) for i in service.swot(territory_id)
                 if i.on_board)
    names = service.public_actor_names(territory_id)
    leads = tuple(PlanLead(kind=v.lead.kind.value, category=categories[v.lead.category].label
                           if v.lead.category in categories else v.lead.category,
                           actors=tuple(names.get(k, k) for k in v.lead.actor_keys), words=v.lead.matched_words,
                           score=v.lead.score, status=LEAD_STATUS.get(v.status, "proposée"), reason=v.reason)
                  for v in service.lead_views(territory_id))
    s = workshop.settings
    return ActionPlan(
        territory=territory["name"], workshop=workshop.title, workshop_code=workshop.code,
        date=territory_date(workshop.created_at).isoformat(), generated_at=territory_now().isoformat(),
        organisations=organisations, participants_count=len(participants), voters=results.voters,
        thresholds=f"facilité ≥ {s.ease_min}, impact ≥ {s.impact_min}, court terme, au moins un pilote",
        vote_mode=s.vote_mode,
        actions=tuple(_plan_action(r, categories, s.vote_mode, shown, lang) for r in results.actions),
        ideas=tuple(ideas), swot=swot, leads=leads, meetings=planned_meetings(service, territory_id),
        ease_min=s.ease_min, impact_min=s.impact_min,
    )
