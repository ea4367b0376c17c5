"""The facilitator's console (protected): workshops, phases, countdown, moderation of ideas."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui

from atelier.models import Idea, Workshop
from atelier.rules import Refused
from atelier.service import Facilitation, Service
from atelier.ui.board_control import BoardControl
from atelier.ui.common import (
    LOGIN_PATH,
    categories_by_key,
    category_style,
    countdown,
    guard_facilitator_page,
    keep_facilitator_session,
    page_language,
    setup_page,
    show_refusal,
    testid,
    translator,
    update_countdown,
)
from atelier.ui.diagnostic import territory_menu
from atelier.ui.moderation import ModerationQueue
from atelier.ui.room import RoomWatch
from atelier.ui.workshop_settings import WorkshopSettingsPanel


def register(service: Service, public_base_url: str) -> None:
    def allowed(language: str) -> str | None:
        """The page's session id if it is a facilitator's; otherwise to the login page."""
        session = guard_facilitator_page(language)
        if service.is_facilitator(session):
            return session
        ui.navigate.to(LOGIN_PATH)
        return None

    @ui.page("/animation")
    def workshops_page(lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("console.title"), language)
        session = allowed(language)
        if session is None:
            return

        def log_out() -> None:
            service.log_out(session)
            keep_facilitator_session(None)
            ui.navigate.to(LOGIN_PATH)

        with ui.column().classes("console gap-4"):
            me = service.facilitator(session)
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(tr("console.title")).classes("text-2xl font-bold")
                with ui.row().classes("items-center gap-3"):
                    if me is not None:
                        testid(ui.label(tr("roles.you", name=me.name, role=tr("roles.lead" if me.is_lead
                                                                                  else "roles.co"))), "me")
                        if me.is_lead:
                            testid(ui.link(tr("roles.title"), "/animation/roles"), "roles-link")
                    testid(ui.button(tr("console.logout"), on_click=log_out).props("flat"), "logout")
            for territory in service.territories():
                ui.label(tr("diag.territory", name=territory["name"])).classes("text-xl font-bold")
                territory_menu(territory["id"], tr)
            ui.label(tr("console.workshops")).classes("text-xl font-bold mt-4")
            for workshop in service.workshops():
                with ui.row().classes("items-center gap-3"):
                    ui.link(f"{workshop.title} — {workshop.code}", f"/animation/atelier/{workshop.id}").classes(
                        "text-lg")
                    ui.label(workshop.phase.title).classes("text-gray-700")
                    ui.link(tr("board.network"), f"/tableau/{workshop.code}/reseau", new_tab=True).classes("text-sm")
            ui.label(tr("console.new_workshop")).classes("text-xl font-bold mt-4")
            territories = {t["id"]: t["name"] for t in service.territories()}
            templates = {t.info.key: t.info.title for t in service.templates()}
            with ui.row().classes("items-end gap-3"):
                title = testid(ui.input(tr("console.workshop_title")).classes("w-80"), "workshop-title")
                territory = ui.select(territories, value=next(iter(territories), None)).classes("w-72")
                template = ui.select(templates, label=tr("console.template"),
                                     value=next(iter(templates), None)).classes("w-72")

                def create() -> None:
                    try:
                        workshop = service.as_facilitator(session).create_workshop(
                            territory.value, title.value, template.value)
                    except Refused as refusal:
                        show_refusal(refusal, language)
                        return
                    ui.navigate.to(f"/animation/atelier/{workshop.id}")

                testid(ui.button(tr("console.create"), on_click=create), "create")

    @ui.page("/animation/roles")
    def roles_page(lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("roles.title"), language)
        try:
            roles = service.roles(guard_facilitator_page(language))
        except Refused as refusal:
            if refusal.key == "auth.required":
                ui.navigate.to(LOGIN_PATH)
                return
            with ui.column().classes("console gap-3"):
                testid(ui.label(tr(refusal.key, **refusal.params)).classes("phone-closed"), "refused")
                ui.link(tr("console.workshops"), "/animation")
            return

        def show() -> None:
            people.clear()
            with people:
                for f in roles.facilitators():
                    with ui.row().classes("console-row"):
                        role = tr("roles.lead" if f.is_lead else "roles.co")
                        ui.label(f"{f.name} — {role}" + (f" ({tr('roles.revoked')})" if f.revoked else "")).classes(
                            "text-lg")
                        if not f.is_lead and not f.revoked:
                            ui.button(tr("roles.revoke"), on_click=lambda f=f: (roles.revoke(f.id), show())).props(
                                "flat dense no-caps color=negative")

        def add() -> None:
            try:
                _, secret = roles.add_co_facilitator(name.value)
            except Refused as refusal:
                show_refusal(refusal, language)
                return
            created.set_text(tr("roles.created", name=name.value, secret=secret))
            name.set_value("")
            show()

        with ui.column().classes("console gap-3"):
            ui.link(tr("console.workshops"), "/animation")
            ui.label(tr("roles.title")).classes("text-2xl font-bold")
            people = ui.column().classes("gap-1")
            ui.label(tr("roles.add")).classes("text-xl font-bold mt-3")
            with ui.row().classes("items-end gap-3"):
                name = testid(ui.input(tr("roles.name")).classes("w-80"), "co-name")
                testid(ui.button(tr("swot.add"), on_click=add), "co-add")
            created = testid(ui.label().classes("phone-ok text-lg"), "co-secret")
        show()

    @ui.page("/animation/atelier/{workshop_id}")
    async def workshop_console(workshop_id: int, lang: str | None = None) -> None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr("console.title"), language)
        session = allowed(language)
        if session is None:
            return
        try:
            workshop = service.workshop(workshop_id)
        except Refused as refusal:
            ui.label(tr(refusal.key, **refusal.params))
            return
        await WorkshopConsole(service, session, workshop, tr, language, public_base_url).build()


class WorkshopConsole:
    def __init__(self, service: Service, session: str, workshop: Workshop, tr: Callable[..., str], language: str,
                 base_url: str) -> None:
        self.service = service
        self.session = session
        self.workshop = workshop
        self.tr = tr
        self.language = language
        self.join_url = f"{base_url}/j/{workshop.code}"
        self.categories = service.categories(workshop.territory_id)
        self.category_of = categories_by_key(self.categories)
        self.rows: dict[int, ui.element] = {}
        self.selected: set[int] = set()
        self.last_participant_id = 0
        self.participant_count = 0
        self.changed_live: set[int] = set()

    def act(self, action: Callable[[Facilitation], object]) -> object | None:
        """Runs a facilitator use case, re-checking the login each time; a refusal is shown, never raised."""
        try:
            return action(self.service.as_facilitator(self.session))
        except Refused as refusal:
            show_refusal(refusal, self.language)
            return None

    async def build(self) -> None:
        tr = self.tr
        wid = self.workshop.id
        with ui.column().classes("console gap-3"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(f"{self.workshop.title} — {self.workshop.code}").classes("text-2xl font-bold")
                with ui.row().classes("gap-3"):
                    if self.workshop.template_key == "selection":
                        testid(ui.link(tr("selection.title"), f"/animation/atelier/{self.workshop.id}/selection")
                               .classes("text-lg"), "selection-link")
                        testid(ui.link(tr("plan.title"), f"/animation/atelier/{self.workshop.id}/plan")
                               .classes("text-lg"), "plan-console-link")
                    ui.link(tr("actions.title"), f"/animation/territoire/{self.workshop.territory_id}/actions"
                            ).classes("text-lg")
                    ui.link(tr("console.board"), f"/tableau/{self.workshop.code}", new_tab=True).classes("text-lg")
                    ui.link(tr("console.workshops"), "/animation").classes("text-lg")
            ui.label(tr("console.join_link", url=self.join_url)).classes("text-gray-800")
            with ui.card().classes("w-full"):
                with ui.row().classes("console-row"):
                    testid(ui.button(tr("console.previous_phase"),
                                     on_click=lambda: self.act(lambda f: f.move_phase(wid, -1))).props("outline"),
                           "previous-phase")
                    self.phase_label = testid(ui.label().classes("text-xl font-bold"), "phase")
                    testid(ui.button(tr("console.next_phase"),
                                     on_click=lambda: self.act(lambda f: f.move_phase(wid, 1))), "next-phase")
                self.tip = ui.label().classes("text-gray-700 italic")
                with ui.row().classes("console-row"):
                    self.countdown = countdown(self.workshop, "text-3xl")
                    ui.button(tr("console.timer_start"), on_click=lambda: self.act(lambda f: f.start_timer(wid)))
                    ui.button(tr("console.timer_pause"), on_click=lambda: self.act(lambda f: f.pause_timer(wid)))
                    ui.button(tr("console.timer_plus"), on_click=lambda: self.act(lambda f: f.add_minute(wid)))
                    minutes = ui.number(tr("console.timer_set"), value=10, min=0, max=600).classes("w-32")
                    ui.button("OK", on_click=lambda: self.act(lambda f: f.set_timer(wid, minutes.value)))
                    self.lock_button = testid(ui.button(on_click=self.toggle_lock).props("outline"), "lock")
            WorkshopSettingsPanel(self.service, self.workshop, tr, self.act)
            ModerationQueue(self.service, self.workshop, tr, self.act)
            BoardControl(self.service, self.workshop, tr, self.language).build()
            with ui.row().classes("w-full no-wrap items-start gap-4"):
                with ui.column().classes("grow gap-2"):
                    with ui.row().classes("console-row"):
                        self.ideas_title = ui.label().classes("text-xl font-bold")
                        testid(ui.button(tr("console.merge"), on_click=self.ask_merge), "merge")
                    self.idea_list = testid(ui.column().classes("w-full gap-1"), "ideas")
                with ui.column().classes("w-72 gap-1"):
                    self.participants_title = ui.label().classes("text-xl font-bold")
                    RoomWatch(self.service, self.workshop, tr, self.act).build()
                    self.participant_list = ui.column().classes("gap-0")
        hub = self.service.hub
        # Subscribe first, then draw what is stored (see Board.build).
        hub.workshop_changed(wid).subscribe(self.show_workshop_state)
        hub.idea_changed(wid).subscribe(self.on_idea_changed)
        hub.participant_count_changed(wid).subscribe(self.show_new_participants)
        self.show_workshop_state(self.workshop)
        self.show_new_participants()
        for n, idea in enumerate(self.service.ideas(wid)):
            if idea.id not in self.changed_live:
                self.show_idea(idea)
            if n % 100 == 99:
                await asyncio.sleep(0)  # a long list is drawn in slices: phones keep being served meanwhile
        self.update_ideas_title()

    def show_workshop_state(self, workshop: Workshop) -> None:
        self.workshop = workshop
        phase = workshop.phase
        self.phase_label.set_text(self.tr("console.phase", index=workshop.phase_index + 1,
                                          count=len(workshop.phases), title=phase.title))
        self.tip.set_text(phase.tip)
        update_countdown(self.countdown, workshop)
        self.lock_button.set_text(self.tr("console.unlock" if workshop.locked else "console.lock"))

    def toggle_lock(self) -> None:
        self.act(lambda f: f.set_locked(self.workshop.id, not self.workshop.locked))

    def show_new_participants(self) -> None:
        """Reads only who joined since the last call: with hundreds of phones joining, not the whole list each time."""
        with self.participant_list:
            for p in self.service.participants(self.workshop.id, after_id=self.last_participant_id):
                self.last_participant_id = p.id
                self.participant_count += 1
                ui.label(f"{p.name} — {p.organisation}").classes("text-sm")
        self.participants_title.set_text(self.tr("console.participants", count=self.participant_count))

    def update_ideas_title(self) -> None:
        on_wall = len(self.rows)
        self.ideas_title.set_text(self.tr("console.ideas", count=on_wall))

    def on_idea_changed(self, idea: Idea) -> None:
        self.changed_live.add(idea.id)
        self.show_idea(idea)
        self.update_ideas_title()

    def show_idea(self, idea: Idea) -> None:
        """One row per idea still in play; grouped or withdrawn ideas leave the list (groups name them)."""
        if idea.merged_into is not None or idea.withdrawn:
            row = self.rows.pop(idea.id, None)
            if row is not None:
                row.delete()
            self.selected.discard(idea.id)
            return
        if idea.id in self.rows:
            row = self.rows[idea.id]
            row.clear()
        else:
            with self.idea_list:
                row = ui.element("div").classes("console-idea w-full")
            self.rows[idea.id] = row
        self.fill_row(row, idea)

    def fill_row(self, row: ui.element, idea: Idea) -> None:
        tr = self.tr
        row.style(category_style(self.category_of.get(idea.category)))
        row.classes(add="hidden-idea" if idea.hidden else "", remove="" if idea.hidden else "hidden-idea")
        with row, ui.row().classes("console-row no-wrap w-full"):
            testid(ui.checkbox(value=idea.id in self.selected,
                               on_change=lambda e, i=idea.id: self.select(i, e.value)), f"select-{idea.id}")
            with ui.column().classes("gap-0 grow"):
                testid(ui.label(idea.title).classes("font-bold text-base break-words"), "idea-title")
                if idea.is_group:
                    members = " · ".join(m.title for m in self.service.group_members(idea.id))
                    ui.label(tr("console.group_members", titles=members)).classes("text-sm text-gray-700")
                elif idea.details:
                    ui.label(idea.details).classes("text-sm text-gray-700 break-words")
                tags = [idea.author] if idea.author else []
                if idea.pending:
                    tags.append(tr("moderation.pending_tag"))
                if idea.hidden:
                    tags.append(tr("console.hidden_tag"))
                if idea.action_id is not None:
                    tags.append(tr("board.action"))
                ui.label(" · ".join(tags)).classes("text-sm")
            category = self.category_of.get(idea.category)
            ui.label(category.label if category else idea.category).classes("text-sm w-44")
            # Editing, category and promotion open a dialog made on demand: a row stays a few elements,
            # which keeps a burst of hundreds of ideas cheap for the one event loop (atelier bench).
            testid(ui.button(tr("console.moderate"), on_click=lambda i=idea: self.ask_moderate(i))
                   .props("flat dense no-caps"), f"moderate-{idea.id}")
            testid(ui.button(tr("console.unhide" if idea.hidden else "console.hide"),
                             on_click=lambda i=idea: self.act(lambda f: f.set_hidden(i.id, not i.hidden)))
                   .props("flat dense no-caps"), f"hide-{idea.id}")

    def select(self, idea_id: int, checked: bool) -> None:
        if checked:
            self.selected.add(idea_id)
        else:
            self.selected.discard(idea_id)

    def ask_moderate(self, idea: Idea) -> None:
        tr = self.tr
        idea = self.service.idea(idea.id)  # as it is now, not as the row was drawn
        with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
            title = testid(ui.input(tr("phone.idea_title"), value=idea.title).classes("w-full"), "moderate-title")
            details = ui.textarea(tr("phone.idea_details"), value=idea.details).classes("w-full")
            category = ui.select({c.key: c.label for c in self.categories}, value=idea.category,
                                 label=tr("phone.idea_category")).classes("w-full")

            def save() -> None:
                if self.act(lambda f: f.edit_idea(idea.id, title.value, details.value, category.value)):
                    dialog.close()

            def promote() -> None:
                if self.act(lambda f: f.promote(idea.id)) is not None:
                    ui.notify(tr("console.promoted", title=idea.title), type="positive")
                    dialog.close()

            with ui.row():
                testid(ui.button(tr("phone.save"), on_click=save), "moderate-save")
                if idea.action_id is None:
                    testid(ui.button(tr("console.promote"), on_click=promote).props("outline"), "promote")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    def ask_merge(self) -> None:
        tr = self.tr
        chosen = sorted(self.selected)
        if len(chosen) < 2:
            show_refusal(Refused("merge.too_few"), self.language)
            return
        first = self.service.idea(chosen[0])
        with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
            title = testid(ui.input(tr("console.merge_title"), value=first.title).classes("w-full"), "merge-title")

            def merge() -> None:
                group = self.act(lambda f: f.merge(self.workshop.id, chosen, title.value))
                if group is not None:
                    self.selected.clear()
                    ui.notify(tr("console.merged", count=len(chosen)), type="positive")
                    dialog.close()

            with ui.row():
                testid(ui.button(tr("console.merge"), on_click=merge), "merge-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()
