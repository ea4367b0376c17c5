"""Working groups and their meetings, the plan's dashboard, extension cohorts, the pilot's link, the public form."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from nicegui import run, ui

from atelier.models import ActorKind
from atelier.rules import Refused
from atelier.rules.groups import STATUS_MOVES, meetings_advice
from atelier.service import SELECTED, Groups, Service
from atelier.ui.actors import kind_labels
from atelier.ui.common import (
    Heading,
    client_address,
    open_facilitator_page,
    page_language,
    setup_page,
    show_refusal,
    territory_heading,
    territory_menu,
    testid,
    translator,
)

REQUEST_STATUS = {"en-attente": "en attente", "acceptee": "acceptée", "refusee": "refusée"}


def meetings_text(tr: Callable[..., str], planned: int) -> str:
    advice = meetings_advice(planned)
    return tr(advice[0], **advice[1]) if advice else ""


def register(service: Service, public_base_url: str) -> None:
    def act(language: str, action: Callable[[], object]) -> bool:
        try:
            action()
        except Refused as refusal:
            show_refusal(refusal, language)
            return False
        return True

    @ui.page("/animation/territoire/{territory_id}/groupes")
    def dashboard(territory_id: int, lang: str | None = None) -> None:
        page = open_facilitator_page(service, lang, "groups.title")
        if not page:
            return
        tr, language = page.tr, page.language
        groups = service.groups(page.session)
        with ui.column().classes("console gap-3"):
            territory_heading(territory_id, tr, tr("groups.dashboard"))
            by_action = {g["action_id"]: g for g in service.working_groups(territory_id)}
            wanted = service.working_group_actions(territory_id)  # the plan's own list (rules.selection)
            selected = [a for a in service.candidate_actions(territory_id) if a.selection == SELECTED]
            if not selected:
                ui.label(tr("plan.empty"))
            for action in selected:
                group = by_action.get(action.id)
                with testid(ui.card().classes("w-full gap-1"), f"dashboard-{action.id}"):
                    with ui.row().classes("console-row w-full"):
                        ui.label(action.title).classes("text-lg font-bold grow")
                        testid(ui.label(f"{tr('status.' + action.status)} · {action.progress} %")
                               .classes("font-bold"), f"status-{action.id}")
                    ui.linear_progress(action.progress / 100, show_value=False).props(
                        f'aria-label="{tr("groups.progress")}"')
                    if group:
                        with ui.row().classes("console-row"):
                            testid(ui.link(tr("groups.open", meetings=group["meetings"], held=group["meetings_held"]),
                                           f"/animation/groupe/{group['id']}"), f"group-link-{action.id}")
                            if group["warning"]:
                                ui.label(f"⚠ {meetings_text(tr, group['meetings'])}").classes("text-sm phone-error")
                    elif action.id in wanted:
                        objective = ui.input(tr("groups.objective")).classes("w-96")
                        testid(ui.button(tr("groups.create"), on_click=lambda a=action, o=objective: act(
                            language, lambda: groups.create(a.id, o.value)) and ui.navigate.reload()),
                            f"create-group-{action.id}")

    @ui.page("/animation/groupe/{group_id}")
    def group_page(group_id: int, lang: str | None = None) -> None:
        page = open_facilitator_page(service, lang, "groups.title")
        if not page:
            return
        tr, language = page.tr, page.language
        groups = service.groups(page.session)
        try:
            view = groups.view(group_id)
        except Refused as refusal:
            ui.label(tr(refusal.key, **refusal.params))
            return
        group, action = view.group, view.action
        members = [m["member"] for m in view.members]
        with ui.column().classes("console gap-3"):
            territory_menu(group["territory_id"], tr)
            ui.link(tr("groups.dashboard"), f"/animation/territoire/{group['territory_id']}/groupes")
            Heading(tr("groups.group", title=group["title"])).classes("text-2xl font-bold")
            if group["objective"]:
                ui.label(tr("groups.objective_is", objective=group["objective"]))
            roles = [f"{m['member']} ({tr('role.' + m['role'])})" for m in view.members]
            ui.label(tr("groups.members", names=", ".join(roles))
                     ).classes("text-gray-800")
            testid(ui.label(tr("groups.pilot_link", url=f"{public_base_url}/groupe/{group['pilot_token']}")),
                   "pilot-link")

            ui.label(tr("groups.status")).classes("text-xl font-bold mt-2")
            with ui.row().classes("console-row"):
                moves = {s: tr(f"status.{s}") for s in [action.status, *sorted(STATUS_MOVES[action.status])]}
                status = testid(ui.select(moves, value=action.status, label=tr("plan.status")).classes("w-44"),
                                "group-status")
                progress = ui.number(tr("groups.progress"), value=action.progress, min=0, max=100).classes("w-32")
                note = testid(ui.input(tr("groups.note")).classes("w-80"), "status-note")
                testid(ui.button(tr("phone.save"), on_click=lambda: act(language, lambda: groups.set_status(
                    action.id, status.value, int(progress.value or 0), note.value)) and ui.navigate.reload()),
                    "save-status")
            for entry in view.status_log[:10]:
                when = datetime.datetime.fromtimestamp(entry["at"]).strftime("%d/%m/%Y %H:%M")
                ui.label(f"{when} — {tr('status.' + entry['status'])} "
                         f"{entry['progress']} % — {entry['note']} ({entry['author']})").classes("text-sm")

            ui.label(tr("groups.meetings", count=len(view.meetings))).classes("text-xl font-bold mt-2")
            if view.warning:
                testid(ui.label(f"⚠ {meetings_text(tr, len(view.meetings))}").classes("phone-error"),
                       "meetings-warning")
            with ui.row().classes("console-row"):
                when = testid(ui.input(tr("groups.when")).props("type=datetime-local stack-label"), "meeting-when")
                minutes = ui.number(tr("groups.minutes"), value=90, min=15, max=600).classes("w-32")
                place = testid(ui.input(tr("groups.place")).classes("w-72"), "meeting-place")
                testid(ui.button(tr("groups.plan_meeting"), on_click=lambda: act(language, lambda: groups.plan_meeting(
                    group_id, when.value, int(minutes.value or 0), place.value)) and ui.navigate.reload()),
                    "plan-meeting")
            for n, meeting in enumerate(view.meetings, start=1):
                meeting_card(tr, language, groups, meeting, n, members)

            if view.join_requests:
                ui.label(tr("groups.requests")).classes("text-xl font-bold mt-2")
                for r in view.join_requests:
                    with ui.row().classes("console-row"):
                        ui.label(f"{r['organisation']} — {tr('request.' + r['status'])}")
                        if r["status"] == "en-attente":
                            ui.button(tr("groups.accept"), on_click=lambda r=r: act(language, lambda: groups.
                                      decide_join_request(r["id"], True)) and ui.navigate.reload()).props("flat")
                            ui.button(tr("groups.decline"), on_click=lambda r=r: act(language, lambda: groups.
                                      decide_join_request(r["id"], False)) and ui.navigate.reload()).props("flat")

    def meeting_card(tr: Callable[..., str], language: str, groups: Groups, meeting: dict, n: int,
                     members: list[str]) -> None:
        with testid(ui.card().classes("w-full gap-1"), f"meeting-{n}"):
            held = tr("groups.held") if meeting["held"] else tr("groups.planned")
            ui.label(f"{tr('groups.meeting', n=n)} — {meeting['starts_at'].replace('T', ' ')} — "
                     f"{meeting['place']} — {held}").classes("font-bold")
            attendance = ui.select(members, value=[m for m in meeting["attendance"] if m in members], multiple=True,
                                   label=tr("groups.attendance")).classes("w-full").props("use-chips")
            notes = ui.textarea(tr("groups.notes"), value=meeting["notes"]).classes("w-full")
            decisions = ui.textarea(tr("groups.decisions"), value=meeting["decisions"]).classes("w-full")
            with ui.row().classes("gap-2"):
                testid(ui.button(tr("groups.record"), on_click=lambda: act(language, lambda: groups.record_meeting(
                    meeting["id"], list(attendance.value or []), notes.value, decisions.value)) and ui.notify(
                    tr("console.saved"))), f"record-{n}")
                ui.button(tr("groups.live"), on_click=lambda: open_live(meeting["id"])).props("outline")
            for step in meeting["steps"]:
                due = f" — {step['due']}" if step["due"] else ""
                ui.label(f"• {step['text']} — {step['owner']}{due}").classes("text-sm")
            with ui.row().classes("console-row"):
                text = testid(ui.input(tr("plan.next_step")).classes("w-80"), f"step-text-{n}")
                owner = testid(ui.input(tr("plan.owner")).classes("w-48"), f"step-owner-{n}")
                due_input = ui.input(tr("plan.due")).props("type=date stack-label")
                testid(ui.button(tr("swot.add"), on_click=lambda: act(language, lambda: groups.add_step(
                    meeting["id"], text.value, owner.value, due_input.value)) and ui.navigate.reload()),
                    f"step-add-{n}")

        def open_live(meeting_id: int) -> None:
            workshop = groups.open_live_session(meeting_id)
            ui.navigate.to(f"/animation/atelier/{workshop.id}")

    @ui.page("/animation/territoire/{territory_id}/extension")
    async def extension_page(territory_id: int, lang: str | None = None) -> None:
        page = open_facilitator_page(service, lang, "extension.title")
        if not page:
            return
        tr, language = page.tr, page.language
        extension = service.extension(page.session)
        territory = service.territory(territory_id)
        with ui.column().classes("console gap-3"):
            territory_heading(territory_id, tr, tr("extension.title"))
            testid(ui.label(tr("extension.public_form", url=f"{public_base_url}/reseau/{territory['key']}/rejoindre"
                               )), "public-form-link")
            cohort_threshold = extension.threshold(territory_id)
            with ui.row().classes("console-row"):
                threshold = testid(ui.number(tr("extension.threshold"), value=cohort_threshold).classes("w-48"),
                                   "threshold")
                testid(ui.button(tr("phone.save"), on_click=lambda: act(language, lambda: extension.set_threshold(
                    territory_id, threshold.value)) and ui.navigate.reload()), "save-threshold")
            waiting = extension.waiting(territory_id)
            testid(ui.label(tr("extension.waiting", count=len(waiting), threshold=cohort_threshold)).classes(
                "text-xl font-bold"), "waiting-count")
            for r in waiting:
                ui.label(f"{r['organisation']} — {r['contact_name']} — {r['email']} ({r['source']})").classes("text-sm")
            if extension.proposal_ready(territory_id):
                with testid(ui.card().classes("phone-closed w-full"), "cohort-proposal"):
                    ui.label(tr("extension.ready", count=len(waiting))).classes("font-bold")
                    testid(ui.button(tr("extension.start"), on_click=lambda: act(
                        language, lambda: extension.start_cohort(territory_id)) and ui.navigate.reload()),
                        "start-cohort")
            ui.label(tr("extension.add")).classes("text-lg font-bold mt-2")
            form = join_form(tr)
            testid(ui.button(tr("swot.add"), on_click=lambda: act(language, lambda: extension.add_candidate(
                territory_id, form())) and ui.navigate.reload()), "add-candidate")
            ui.label(tr("extension.cohorts")).classes("text-xl font-bold mt-2")
            cohorts = extension.cohorts(territory_id)
            # The newcomers' leads with the network (the method: what they could bring, what they need).
            leads_by_cohort = await run.io_bound(extension.cohort_leads, territory_id) if cohorts else {}
            names = service.actor_names(territory_id)
            for cohort in reversed(cohorts):
                when = datetime.datetime.fromtimestamp(cohort["created_at"]).strftime("%d/%m/%Y")
                with testid(ui.card().classes("w-full gap-1"), f"cohort-{cohort['id']}"):
                    ui.label(tr("extension.cohort", date=when, count=len(cohort["newcomers"]))).classes("font-bold")
                    for newcomer in cohort["newcomers"]:
                        testid(ui.link(tr("extension.interview", name=newcomer["organisation"]),
                                       f"/animation/acteur/{newcomer['actor_id']}"), f"newcomer-{newcomer['actor_id']}")
                    if cohort["workshop_id"]:
                        testid(ui.link(tr("extension.workshop"), f"/animation/atelier/{cohort['workshop_id']}"),
                               f"cohort-workshop-{cohort['id']}")
                    leads = leads_by_cohort.get(cohort["id"], [])
                    testid(ui.label(tr("extension.leads", count=len(leads))).classes("font-bold"),
                           f"cohort-leads-{cohort['id']}")
                    for view in leads[:10]:
                        actors = ", ".join(names.get(k, k) for k in view.lead.actor_keys)
                        ui.label(f"{actors} — {', '.join(view.lead.matched_words)}").classes("text-sm")
                    ui.link(tr("diag.leads"), f"/animation/territoire/{territory_id}/pistes")

    @ui.page("/reseau/{territory_key}/rejoindre")
    def public_join(territory_key: str, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("extension.join_title"), language)
        territory = next((t for t in service.territories() if t["key"] == territory_key), None)
        with ui.column().classes("phone gap-3"):
            if territory is None:
                ui.label(tr("territory.unknown")).classes("phone-error")
                return
            Heading(tr("extension.join_title")).classes("phone-title")
            ui.label(territory["name"]).classes("text-lg")
            ui.label(tr("extension.join_help"))
            # Before anyone types an address: what it is for, who sees it, and how to have it erased.
            with testid(ui.element("section").classes("phone-closed flex flex-col gap-1"), "privacy"):
                ui.label(tr("privacy.title")).classes("font-bold")
                ui.label(tr("privacy.purpose"))
                ui.label(tr("privacy.who"))
                ui.label(tr("privacy.erase"))
            form = join_form(tr)
            status = testid(ui.label().classes("phone-error"), "status")
            address = client_address()

            def send() -> None:
                try:
                    # The same answer whether the e-mail is known or not (the service adds nothing then).
                    service.request_to_join(territory_key, form(), client=address)
                except Refused as refusal:
                    status.classes(replace="phone-error").set_text(tr(refusal.key, **refusal.params))
                    return
                status.classes(replace="phone-ok").set_text(tr("extension.join_received"))

            testid(ui.button(tr("extension.join_send"), on_click=send).classes("w-full"), "join-request-send")

    @ui.page("/groupe/{token}")
    def pilot_page(token: str, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("groups.title"), language)
        with ui.column().classes("phone gap-3"):
            try:
                view = service.pilot_view(token)
            except Refused as refusal:
                ui.label(tr(refusal.key, **refusal.params)).classes("phone-error")
                return
            Heading(tr("groups.group", title=view["title"])).classes("phone-title")
            ui.label(tr("groups.members", names=", ".join(m["member"] for m in view["members"])))
            ui.label(tr("groups.requests")).classes("text-lg font-bold")
            for r in view["requests"]:
                with testid(ui.card().classes("w-full gap-1"), f"request-{r['id']}"):
                    ui.label(f"{r['organisation']} — {tr('request.' + r['status'])}").classes(
                        "font-bold")
                    if r["status"] == "en-attente":
                        with ui.row():
                            testid(ui.button(tr("groups.accept"), on_click=lambda r=r: act(language, lambda: service.
                                   pilot_decides(token, r["id"], True)) and ui.navigate.reload()), f"accept-{r['id']}")
                            ui.button(tr("groups.decline"), on_click=lambda r=r: act(language, lambda: service.
                                      pilot_decides(token, r["id"], False)) and ui.navigate.reload()).props("outline")


def join_form(tr: Callable[..., str]) -> Callable[[], dict[str, str | None]]:
    """The candidate's fields; returns a function that reads them."""
    organisation = testid(ui.input(tr("phone.your_organisation")).classes("w-full"), "jr-organisation")
    kind = testid(ui.select(kind_labels(tr), value=ActorKind.COMPANY.value,
                            label=tr("diag.kind")).classes("w-full"), "jr-kind")
    commune = ui.input(tr("diag.commune")).classes("w-full")
    contact = testid(ui.input(tr("diag.contact")).classes("w-full"), "jr-contact")
    email = testid(ui.input(tr("diag.email")).classes("w-full"), "jr-email")
    message = ui.textarea(tr("extension.message")).classes("w-full")
    return lambda: {"organisation": organisation.value, "kind": kind.value, "commune": commune.value,
                    "contact": contact.value, "email": email.value, "message": message.value}
