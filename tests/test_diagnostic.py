"""The diagnostic through the service: actors, import, interviews (save as typed, conflicts), leads, SWOT."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from atelier.hub import Hub
from atelier.models import Interview, InterviewItem
from atelier.rules import Refused
from atelier.rules.lead_cache import LINES
from atelier.rules.lead_views import STATUS_DISMISSED, STATUS_PROMOTED
from atelier.rules.leads import entries_of
from atelier.scenario import load_scenario
from atelier.service import Diagnostic, Facilitation, Service
from atelier.store import MIGRATIONS, Store
from tests.prepared import lead_session


@pytest.fixture
def diagnostic(service: Service, facilitation: Facilitation) -> Diagnostic:
    return service.diagnostic(lead_session(service))


def territory(service: Service) -> int:
    return service.territories()[0]["id"]


ACTOR = {"nom": "Fromagerie des Combes", "type": "entreprise", "commune": "Saint-Julien",
         "contact": {"nom": "Léa", "email": "lea@fromagerie.example"}}


def test_diagnostic_needs_the_facilitator(service: Service) -> None:
    with pytest.raises(Refused) as caught:
        service.diagnostic("stranger")
    assert caught.value.key == "auth.required"


def test_add_edit_archive_an_actor(service: Service, diagnostic: Diagnostic) -> None:
    tid = territory(service)
    actor_id = diagnostic.add_actor(tid, ACTOR)
    actor, archived = diagnostic.actor(actor_id)
    assert (actor.name, actor.key, archived) == ("Fromagerie des Combes", "fromagerie-des-combes", False)
    with pytest.raises(Refused) as caught:
        diagnostic.add_actor(tid, {**ACTOR, "nom": "fromagerie des combes"})
    assert caught.value.key == "actor.duplicate"
    with pytest.raises(Refused) as caught:  # the same key as the spreadsheet import: accents and hyphens aside
        diagnostic.add_actor(tid, {**ACTOR, "nom": "Gaec du Pre Haut"})
    assert (caught.value.key, caught.value.params) == ("actor.duplicate", {"name": "Gaec du Pre Haut"})
    with pytest.raises(Refused) as caught:
        diagnostic.add_actor(tid, {**ACTOR, "nom": "Autre", "contact": {"email": "pas-un-mail"}})
    assert caught.value.key == "actor.bad_email"
    with pytest.raises(Refused) as caught:
        diagnostic.add_actor(tid, {**ACTOR, "nom": "Autre", "type": "fusée"})
    assert caught.value.key == "actor.invalid" and caught.value.params["field"] == "type"
    edited = diagnostic.edit_actor(actor_id, {"commune": "Vallon-le-Haut", "consentement_public": True})
    assert edited.commune == "Vallon-le-Haut" and edited.public_consent and edited.key == "fromagerie-des-combes"
    assert "Fromagerie des Combes" in service.organisations(tid)


def test_actor_archived_while_a_workshop_runs(service: Service, diagnostic: Diagnostic,
                                              facilitation: Facilitation) -> None:
    """The phones' pick list drops it at once; a participant of that actor keeps their identity and ideas."""
    tid = territory(service)
    w = facilitation.move_phase(service.workshops()[0].id, 1)
    actor_id, actor = next((i, a) for i, a in diagnostic.actors(tid) if a.public_consent)
    p = service.join(w.code, "phone-1", "Zoé", actor.name)
    service.submit_idea(w.id, p.id, "client-id-0001", "Une idée", "", "autre")
    diagnostic.set_archived(actor_id, True)
    assert actor.name not in service.organisations(tid)
    assert service.participant(w.id, "phone-1").organisation == actor.name
    assert [i.title for i in service.wall(w.id)] == ["Une idée"]
    assert actor_id in [i for i, _ in diagnostic.actors(tid, archived=True)]
    diagnostic.set_archived(actor_id, False)
    assert actor.name in service.organisations(tid)


CSV_OK = ("Nom;Type;Commune;E-mail\nCave coopérative;Entreprise;Vallon;cave@coop.example\n"
          "Gîte des Prés;Commerce;Vallon;\n")
CSV_BAD = "Nom;Type;Commune;E-mail\nCave coopérative;Entreprise;Vallon;pas-un-mail\nGîte des Prés;Fusée;Vallon;\n"


def test_import_preview_then_confirm(service: Service, diagnostic: Diagnostic) -> None:
    tid = territory(service)
    before = len(diagnostic.actors(tid))
    preview = diagnostic.preview_import(tid, "acteurs.csv", CSV_OK.encode("cp1252"))
    assert preview.ok and [a.name for a in preview.actors] == ["Cave coopérative", "Gîte des Prés"]
    assert len(diagnostic.actors(tid)) == before  # nothing stored by the preview
    assert diagnostic.confirm_import(tid, preview) == 2
    assert len(diagnostic.actors(tid)) == before + 2
    again = diagnostic.preview_import(tid, "acteurs.csv", CSV_OK.encode("utf-8"))
    assert not again.ok and {e.row for e in again.errors} == {2, 3}  # duplicates of what is now stored


def test_failed_import_changes_nothing(service: Service, diagnostic: Diagnostic) -> None:
    tid = territory(service)
    before = [a.name for _, a in diagnostic.actors(tid)]
    preview = diagnostic.preview_import(tid, "acteurs.csv", CSV_BAD.encode("utf-8"))
    assert {e.row for e in preview.errors} == {2, 3}
    with pytest.raises(Refused) as caught:
        diagnostic.confirm_import(tid, preview)
    assert caught.value.key == "import.has_errors"
    not_a_sheet = diagnostic.preview_import(tid, "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert not_a_sheet.file_error and "tableur" in not_a_sheet.file_error
    empty = diagnostic.preview_import(tid, "vide.csv", b"")
    assert empty.file_error
    assert [a.name for _, a in diagnostic.actors(tid)] == before


def interview(needs: list[str]) -> Interview:
    return Interview(enqueteur="Claire", besoins=[InterviewItem(categorie="energie", description=n) for n in needs])


def test_interview_saved_as_typed_with_a_short_history(service: Service, diagnostic: Diagnostic) -> None:
    actor_id = diagnostic.add_actor(territory(service), ACTOR)
    assert diagnostic.interview(actor_id) == (Interview(), 0)
    version = 0
    for typed in ["C", "Ch", "Chauffage", "Chauffage de la fromagerie"]:
        version = diagnostic.save_interview(actor_id, interview([typed]), version, "tab-a")
    saved, saved_version = diagnostic.interview(actor_id)
    assert saved.needs[0].description == "Chauffage de la fromagerie" and saved_version == 4
    history = diagnostic.interview_history(actor_id)
    assert len(history) == 1  # one typing session, one entry
    assert history[0]["interview"].needs[0].description == "Chauffage de la fromagerie"


def test_interview_saved_twice_at_once_from_two_tabs(service: Service, diagnostic: Diagnostic) -> None:
    actor_id = diagnostic.add_actor(territory(service), ACTOR)
    base = diagnostic.save_interview(actor_id, interview(["Chaudière"]), 0, "tab-a")
    diagnostic.save_interview(actor_id, interview(["Chaudière à bois"]), base, "tab-a")
    with pytest.raises(Refused) as caught:
        diagnostic.save_interview(actor_id, interview(["Chaudière à granulés"]), base, "tab-b")
    assert caught.value.key == "interview.conflict"
    assert diagnostic.interview(actor_id)[0].needs[0].description == "Chaudière à bois"
    conflicts = [h for h in diagnostic.interview_history(actor_id) if h["conflict"]]
    assert [h["interview"].needs[0].description for h in conflicts] == ["Chaudière à granulés"]  # kept


def test_leads_of_the_demo_can_be_dismissed_and_promoted(service: Service, diagnostic: Diagnostic) -> None:
    tid = territory(service)
    views = diagnostic.leads(tid)
    assert len(views) >= 5
    kinds = {v.lead.kind.value for v in views}
    assert kinds == {"substitution", "mutualisation"}
    first, second = views[0], views[1]
    with pytest.raises(Refused) as caught:
        diagnostic.dismiss_lead(tid, first.lead.key, "  ")
    assert caught.value.key == "lead.reason_missing"
    diagnostic.dismiss_lead(tid, first.lead.key, "Déjà en place entre eux")
    workshop = service.workshops()[0]
    idea = diagnostic.promote_lead(tid, second.lead.key, workshop.id)
    assert idea.origin == "piste" and idea.participant_id is None and idea.category == second.lead.category
    assert "Piste des entretiens" in idea.details
    assert diagnostic.promote_lead(tid, second.lead.key, workshop.id).id == idea.id  # once
    statuses = {v.lead.key: (v.status, v.reason) for v in diagnostic.leads(tid)}
    assert statuses[first.lead.key] == (STATUS_DISMISSED, "Déjà en place entre eux")
    assert statuses[second.lead.key][0] == STATUS_PROMOTED
    assert first.lead.key not in {v.lead.key for v in service.public_leads(tid)}
    with pytest.raises(Refused) as caught:
        diagnostic.dismiss_lead(tid, "no-such-lead", "x")
    assert caught.value.key == "lead.unknown"


def test_leads_held_back_are_shown_apart_and_can_still_be_taken_up(service: Service, diagnostic: Diagnostic) -> None:
    """A need met through a use keeps its best three givers; the others are not proposed (nor projected) but the
    leads page gets them, and one a facilitator takes up is a lead like the others."""
    tid = territory(service)
    givers = ["Fumier de cheval pailleux", "Fientes de volailles sèches", "Marc de café du comptoir",
              "Déchets de poisson de la conserverie", "Substrat de champignons épuisé"]
    for n, text in enumerate(givers):
        actor_id = diagnostic.add_actor(tid, {**ACTOR, "nom": f"Donneur {n}"})
        diagnostic.save_interview(actor_id, Interview(capacites=[InterviewItem(categorie="matieres-dechets",
                                                                               description=text)]), 0, "tab")
    cooperative = diagnostic.add_actor(tid, {**ACTOR, "nom": "Coopérative des Polders"})
    diagnostic.save_interview(cooperative, Interview(besoins=[InterviewItem(
        categorie="matieres-dechets", description="Fertilisants organiques pour les adhérents")]), 0, "tab")

    def to_cooperative(views):
        return [v for v in views if any(e.description.startswith("Fertilisants") for e in v.lead.entries)]

    assert len(to_cooperative(diagnostic.leads(tid))) == 3
    on_the_page = to_cooperative(diagnostic.leads(tid, held_back=True))
    held = [v for v in on_the_page if v.held_back]
    assert len(held) == len(on_the_page) - 3 >= 2 and all(v.hidden for v in held)  # the demo has givers too
    public = {v.lead.key for v in service.public_leads(tid)}
    assert not public & {v.lead.key for v in held}
    workshop = service.workshops()[0]
    diagnostic.promote_lead(tid, held[0].lead.key, workshop.id)
    taken_up = [v for v in to_cooperative(diagnostic.leads(tid)) if v.lead.key == held[0].lead.key]
    assert len(taken_up) == 1 and taken_up[0].status == STATUS_PROMOTED and not taken_up[0].hidden


def test_projector_names_only_actors_who_consented(service: Service, diagnostic: Diagnostic) -> None:
    tid = territory(service)
    names = service.public_actor_names(tid)
    actors = dict((a.key, a) for _, a in diagnostic.actors(tid))
    hidden = [k for k, a in actors.items() if not a.public_consent]
    assert hidden, "the demo has actors without consent"
    for key in hidden:
        assert names[key].startswith("Acteur ") and actors[key].name not in names.values()


def test_swot_from_phones_only_in_a_swot_phase(service: Service, facilitation: Facilitation,
                                               diagnostic: Diagnostic) -> None:
    tid = territory(service)
    w = facilitation.create_workshop(tid, "FFOM", "ffom")
    p = service.join(w.code, "phone-1", "Zoé", "Scierie Dumas")
    with pytest.raises(Refused) as caught:
        service.submit_swot_item(w.id, p.id, "client-id-0001", "forces", "Des scieries locales")
    assert caught.value.key == "swot.phase_closed"
    facilitation.move_phase(w.id, 1)
    with pytest.raises(Refused) as caught:
        service.submit_swot_item(w.id, p.id, "client-id-0001", "atouts", "Des scieries locales")
    assert caught.value.key == "swot.quadrant_unknown"
    item = service.submit_swot_item(w.id, p.id, "client-id-0001", "forces", "Des scieries locales")
    assert service.submit_swot_item(w.id, p.id, "client-id-0001", "forces", "Des scieries locales").id == item.id
    facilitation.move_phase(w.id, 1)  # the SWOT phase closes
    with pytest.raises(Refused) as caught:
        service.submit_swot_item(w.id, p.id, "client-id-0002", "menaces", "Trop tard")
    assert caught.value.key == "swot.phase_closed"
    other = diagnostic.add_swot_item(tid, "forces", "Un tissu associatif actif")
    merged = diagnostic.merge_swot_items([item.id, other.id], "Un territoire riche en acteurs")
    on_board = [i.text for i in service.swot(tid) if i.on_board]
    assert on_board == ["Un territoire riche en acteurs"] and merged.quadrant == "forces"
    diagnostic.set_swot_hidden(merged.id, True)
    assert not [i for i in service.swot(tid) if i.on_board]


def test_version_1_database_is_migrated_with_its_interviews(tmp_path: Path) -> None:
    """A database made by the first release (interviews inside the actors) opens with the interviews moved."""
    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO territories (key, name) VALUES ('t', 'T')")
    conn.execute("INSERT INTO actors (territory_id, key, name, kind, status, data, updated_at) VALUES "
                 "(1, 'a', 'A', 'entreprise', 'membre', ?, 0)",
                 ('{"cle": "a", "nom": "A", "type": "entreprise", "entretien": {"besoins": '
                  '[{"categorie": "energie", "description": "Chauffage"}]}}',))
    conn.close()
    service = Service(Store(path), Hub())
    assert service.store.schema_version() == len(MIGRATIONS)
    interview_, version = service.store.interview(1)
    assert interview_ is not None and interview_.needs[0].description == "Chauffage" and version == 1


def test_reloading_the_scenario_keeps_edits(tmp_path: Path) -> None:
    service = Service(Store(tmp_path / "a.sqlite"), Hub())
    tid = service.install_scenario(load_scenario())
    diagnostic = service.diagnostic(service.log_in(service.reset_facilitator_secret()))
    actor_id, _ = diagnostic.actors(tid)[0]
    diagnostic.edit_actor(actor_id, {"commune": "Commune modifiée"})
    _, version = diagnostic.interview(actor_id)
    diagnostic.save_interview(actor_id, interview(["Besoin ajouté dans l’app"]), version, "tab")
    service.install_scenario(load_scenario())
    assert diagnostic.actor(actor_id)[0].commune == "Commune modifiée"
    assert diagnostic.interview(actor_id)[0].needs[0].description == "Besoin ajouté dans l’app"


def test_merged_swot_items_take_a_swot_item_length(service: Service, diagnostic: Diagnostic) -> None:
    tid = territory(service)
    ids = [diagnostic.add_swot_item(tid, "menaces", text).id for text in ("Fermeture de la ligne", "Exode rural")]
    longer_than_an_idea_title = "Des jeunes qui partent se former ailleurs et ne reviennent pas, " * 3
    assert 140 < len(longer_than_an_idea_title.strip()) <= 200
    merged = diagnostic.merge_swot_items(ids, longer_than_an_idea_title)
    assert merged.text == longer_than_an_idea_title.strip()
    others = [diagnostic.add_swot_item(tid, "menaces", text).id for text in ("Prix du foncier", "Sécheresses")]
    with pytest.raises(Refused) as caught:
        diagnostic.merge_swot_items(others, "x" * 201)
    assert (caught.value.key, caught.value.params) == ("swot.too_long", {"max": 200, "length": 201})


def _key_of_the_lines(kind: str, category: str, elements: list[dict[str, str]]) -> str:
    """How lead keys were made before migration 10: a hash of the lead's kind, category and lines."""
    from atelier.rules.french import normalise

    identities = sorted(f"{e['nature']}|{e['acteur']}|{normalise(' '.join(e['description'].split()))}"
                        for e in elements)
    text = "\n".join([kind, category, *identities])
    return f"{kind}-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]}"


def test_decisions_stored_under_the_old_keys_stay_on_their_leads(tmp_path: Path) -> None:
    """A territory's dismissals, made when keys hashed the lead's lines, still apply once the detection groups
    lines differently: the oldest snapshots (no signature, several givers in one lead) included."""
    path = tmp_path / "old.sqlite"
    service = Service(Store(path), Hub())
    tid = service.install_scenario(load_scenario())
    views = service.diagnostic(lead_session(service)).leads(tid)
    substitutions = [v.lead for v in views if v.lead.kind.value == "substitution"]
    by_receiver: dict[tuple[str, ...], list] = {}
    for lead in substitutions:
        by_receiver.setdefault(lead.receivers, []).append(lead)
    pair = next(leads for leads in by_receiver.values() if len(leads) >= 2)[:2]
    shared = next(v.lead for v in views if v.lead.kind.value == "mutualisation")

    def elements(*leads: object) -> list[dict[str, str]]:
        return [{"acteur": e.actor_key, "nature": e.kind.value, "description": e.description}
                for lead in leads for e in lead.entries]  # type: ignore[attr-defined]

    # The first release's snapshot: one lead for two givers and one receiver, no signature.
    old_lines = elements(*pair)
    first_release = json.dumps({"type": "substitution", "categorie": pair[0].category, "acteurs": [],
                                "mots": ["sciure"], "score": 0.5, "elements": old_lines}, ensure_ascii=False)
    last_stop = json.dumps({"type": "mutualisation", "categorie": shared.category, "signature": ["w:x"],
                            "elements": elements(shared)[:-1] + elements(shared)[-1:]}, ensure_ascii=False)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM lead_decisions")
    conn.execute("INSERT INTO lead_decisions (territory_id, key, status, reason, snapshot, decided_at) VALUES "
                 "(?, ?, 'ecartee', 'Ils travaillent déjà ensemble', ?, 1)",
                 (tid, _key_of_the_lines("substitution", pair[0].category, old_lines), first_release))
    conn.execute("INSERT INTO lead_decisions (territory_id, key, status, reason, snapshot, decided_at) VALUES "
                 "(?, ?, 'ecartee', 'Trop loin', ?, 2)",
                 (tid, _key_of_the_lines("mutualisation", shared.category, elements(shared)), last_stop))
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    service.store.close()

    reopened = Service(Store(path), Hub())
    assert reopened.store.schema_version() == len(MIGRATIONS)
    assert reopened.install_scenario(load_scenario()) == tid  # as every start does
    statuses = {v.lead.key: (v.status, v.reason) for v in reopened.diagnostic(lead_session(reopened)).leads(tid)}
    assert statuses[pair[0].key] == (STATUS_DISMISSED, "Ils travaillent déjà ensemble")
    assert statuses[pair[1].key] == (STATUS_DISMISSED, "Ils travaillent déjà ensemble")
    assert statuses[shared.key] == (STATUS_DISMISSED, "Trop loin")
    others = [s for k, s in statuses.items() if k not in {pair[0].key, pair[1].key, shared.key}]
    assert others and all(s == ("proposee", "") for s in others)


def test_a_start_reads_every_territorys_interview_lines_ahead(service: Service) -> None:
    """The server reads the lines at start (atelier.web), so the leads page's first opening reads none again."""
    territory_id = service.territories()[0]["id"]
    lines = [entry for key, interview in service.store.interviews(territory_id)
             for entry in entries_of(key, interview)]
    LINES.clear()
    service.read_leads_ahead()
    assert len(LINES) == len(lines) > 0
