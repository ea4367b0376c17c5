"""The facilitator's console (protected): workshops, phases, countdown, moderation of ideas."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterable

from nicegui import ui

from atelier.models import Idea, Workshop
from atelier.rules import Refused
from atelier.rules.idea_list import FILTER_ALL, FILTER_HIDDEN, FILTER_UNSORTED, Sort, in_play, listed, members_of
from atelier.service import Facilitation, Service
from atelier.ui.board_control import BoardControl
from atelier.ui.common import (
    LOGIN_PATH,
    Heading,
    categories_by_key,
    category_style,
    countdown,
    guard_facilitator_page,
    keep_facilitator_session,
    page_language,
    setup_page,
    show_refusal,
    territory_menu,
    testid,
    translator,
    update_countdown,
)
from atelier.ui.moderation import ModerationQueue
from atelier.ui.room import RoomWatch
from atelier.ui.suggestions import SuggestionsPanel
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
                Heading(tr("console.title")).classes("text-2xl font-bold")
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
                    ui.label(workshop.phase.in_language(language).title).classes("text-gray-700")
                    ui.link(tr("board.network"), f"/tableau/{workshop.code}/reseau", new_tab=True).classes("text-sm")
            ui.label(tr("console.new_workshop")).classes("text-xl font-bold mt-4")
            territories = {t["id"]: t["name"] for t in service.territories()}
            templates = {t.info.key: t.info.in_language(language).title for t in service.templates()}
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
            Heading(tr("roles.title")).classes("text-2xl font-bold")
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


PAGE_SIZE = 50  # rows drawn at once: 300 ideas stay one page of light rows, the rest a tap away
REDRAW_SECONDS = 0.1  # changes are gathered and drawn at most this often (a burst of ideas is a few redraws)
# In a burst the redraws that follow ideas wait this many times as long as the last one took: a redraw of 50 new
# rows costs the shared event loop 0.1-0.3 s, and at a fixed interval a burst of 2,000 ideas spent a third of the
# loop redrawing the console (py-spy, atelier bench); spaced by its own cost the console takes at most a tenth.
REDRAW_COST_FACTOR = 9.0
REDRAW_MAX_GAP = 2.0  # however slow the last redraw, the facilitator sees a burst's ideas within this
# Rows built by one redraw that follows ideas; the rest of the page comes at the next ones, top first. A whole page
# of new rows held the loop 80-150 ms at once, every second while 2,000 phones sent ideas over 30 s: every phone's
# send arriving meanwhile waited for it (atelier bench: the spread's click -> board p95 went from 39 ms at 1,000
# phones to 110 ms at 2,000). A few rows are a few tens of ms. The facilitator's own page, sort or filter change
# draws its whole page at once.
ROWS_PER_REDRAW = 8


class WorkshopConsole:
    def __init__(self, service: Service, session: str, workshop: Workshop, tr: Callable[..., str], language: str,
                 base_url: str) -> None:
        self.service = service
        self.session = session
        self.workshop = workshop
        self.tr = tr
        self.language = language
        self.join_url = f"{base_url}/j/{workshop.code}"
        self.categories = [c.in_language(language) for c in service.categories(workshop.territory_id)]
        self.category_of = categories_by_key(self.categories)
        self.ideas: dict[int, Idea] = {}  # every idea of the workshop, as last heard
        self.rows: dict[int, ui.element] = {}  # the rows drawn (one page of the list)
        self.drawn: list[int] = []
        self.changed: set[int] = set()  # ideas changed since the last redraw
        self.view_changed = True
        self.page = 1
        self.last_redraw = 0.0
        self.redraw_gap = REDRAW_SECONDS  # before the next redraw that follows ideas (see REDRAW_COST_FACTOR)
        self.redraw_scheduled = False
        self.suggestions = SuggestionsPanel(service, workshop, tr, self.ideas, self.act)
        self.selected: set[int] = set()
        self.last_participant_id = 0
        self.participant_count = 0

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
                Heading(f"{self.workshop.title} — {self.workshop.code}").classes("text-2xl font-bold")
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
                    self.minutes = testid(ui.number(tr("console.timer_set"), min=0, max=600).classes("w-32"),
                                          "timer-minutes")
                    testid(ui.button("OK", on_click=lambda: self.act(lambda f: f.set_timer(wid, self.minutes.value)))
                           .props(f'aria-label="{tr("console.timer_apply")}"'), "timer-set")
                    self.lock_button = testid(ui.button(on_click=self.toggle_lock).props("outline"), "lock")
            WorkshopSettingsPanel(self.service, self.workshop, tr, self.act)
            ModerationQueue(self.service, self.workshop, tr, self.act)
            BoardControl(self.service, self.workshop, tr, self.language).build()
            with ui.row().classes("w-full no-wrap items-start gap-4"):
                with ui.column().classes("grow gap-2 min-w-0"):
                    self.build_toolbar()
                    self.suggestions.build()
                    self.idea_list = testid(ui.column().classes("w-full gap-1"), "ideas")
                    self.no_ideas = ui.label(tr("console.no_ideas")).classes("text-gray-700 italic")
                    self.pages = testid(ui.pagination(1, 1, direction_links=True, on_change=self.change_page)
                                        .props(f'aria-label="{tr("console.pages")}"'), "idea-pages")
                with ui.column().classes("w-72 gap-1"):
                    self.participants_title = ui.label().classes("text-xl font-bold")
                    RoomWatch(self.service, self.workshop, tr, self.act).build()
                    self.participant_list = ui.column().classes("gap-0")
        hub = self.service.hub
        # Subscribe first, then read what is stored: an idea sent meanwhile is heard, then read again (harmless).
        hub.workshop_changed(wid).subscribe(self.show_workshop_state)
        hub.idea_changed(wid).subscribe(self.on_idea_changed)
        hub.participant_count_changed(wid).subscribe(self.show_new_participants)
        self.show_workshop_state(self.workshop)
        self.show_new_participants()
        for idea in self.service.ideas(wid):
            self.ideas.setdefault(idea.id, idea)
        self.redraw()
        await self.suggestions.update()

    def build_toolbar(self) -> None:
        tr = self.tr
        with ui.row().classes("console-row w-full"):
            self.ideas_title = testid(ui.label().classes("text-xl font-bold"), "ideas-title")
            testid(ui.button(tr("console.merge"), on_click=self.ask_merge), "merge")
        with ui.row().classes("console-row w-full"):
            sorts = {Sort.NEWEST.value: tr("console.sort_newest"), Sort.CATEGORY.value: tr("console.sort_category")}
            if SUPPORT_COUNTS:
                sorts[Sort.SUPPORT.value] = tr("console.sort_support")
            self.sort = testid(ui.select(sorts, value=Sort.NEWEST.value, label=tr("console.sort"),
                                         on_change=self.change_view).classes("w-48"), "idea-sort")
            shown = {FILTER_ALL: tr("console.filter_all"), FILTER_HIDDEN: tr("console.filter_hidden"),
                     FILTER_UNSORTED: tr("console.filter_unsorted"), **{c.key: c.label for c in self.categories}}
            self.shown = testid(ui.select(shown, value=FILTER_ALL, label=tr("console.filter"),
                                          on_change=self.change_view).classes("w-56"), "idea-filter")
            self.search = testid(ui.input(tr("console.search"), on_change=self.change_view)
                                 .props("clearable debounce=300").classes("w-72"), "idea-search")

    def change_view(self) -> None:
        self.page = 1
        self.view_changed = True
        self.redraw()

    def change_page(self) -> None:
        if int(self.pages.value or 1) != self.page:
            self.page = int(self.pages.value or 1)
            self.view_changed = True
            self.redraw()

    def show_workshop_state(self, workshop: Workshop) -> None:
        self.workshop = workshop
        phase = workshop.phase.in_language(self.language)
        self.phase_label.set_text(self.tr("console.phase", index=workshop.phase_index + 1,
                                          count=len(workshop.phases), title=phase.title))
        self.tip.set_text(phase.tip)
        update_countdown(self.countdown, workshop)
        self.minutes.set_value(shown_minutes(workshop, time.time()))
        self.lock_button.set_text(self.tr("console.unlock" if workshop.locked else "console.lock"))

    def toggle_lock(self) -> None:
        self.act(lambda f: f.set_locked(self.workshop.id, not self.workshop.locked))

    def show_new_participants(self) -> None:
        """Reads only who joined since the last call: with hundreds of phones joining, not the whole list each time."""
        with self.participant_list:
            for p in self.service.participants(self.workshop.id, after_id=self.last_participant_id):
                self.last_participant_id = p.id
                self.participant_count += 1
                ui.label(f"{p.name} — {p.organisation}").classes("text-sm break-words")
        self.participants_title.set_text(self.tr("console.participants", count=self.participant_count))

    def on_idea_changed(self, idea: Idea) -> None:
        """Drawn just after the phone's own handler returns (it runs inside the phone's send), at most every
        REDRAW_SECONDS, or nine times the last redraw's cost: in a burst the changes are drawn together (300 ideas
        at once: a few redraws, not 300)."""
        self.ideas[idea.id] = idea
        self.changed.add(idea.id)
        self.schedule_redraw()

    def schedule_redraw(self) -> None:
        if not self.redraw_scheduled:
            self.redraw_scheduled = True
            wait = max(0.0, self.last_redraw + self.redraw_gap - time.monotonic())
            asyncio.get_running_loop().call_later(wait, self.scheduled_redraw)

    def scheduled_redraw(self) -> None:
        self.redraw_scheduled = False
        if not self.idea_list.client.is_deleted:
            self.redraw()

    def listed(self) -> list[Idea]:
        return listed(list(self.ideas.values()), sort=Sort(self.sort.value), shown=self.shown.value,
                      query=self.search.value or "", categories=[c.key for c in self.categories],
                      support=support_counts(self.ideas.values()))

    def redraw(self) -> None:
        """Draws the page of the list when something changed, touching only what moved: a new idea is one new
        row and one reorder of the list, not 50 rows again (STACK-NOTES: a redraw of a growing list froze the
        loop)."""
        if not self.changed and not self.view_changed:
            return
        whole_page = self.view_changed
        changed, self.changed, self.view_changed = self.changed, set(), False
        started = self.last_redraw = time.monotonic()
        try:
            self.draw_list(changed, None if whole_page else ROWS_PER_REDRAW)
        finally:
            self.last_redraw = time.monotonic()
            self.redraw_gap = min(REDRAW_MAX_GAP,
                                  max(REDRAW_SECONDS, REDRAW_COST_FACTOR * (self.last_redraw - started)))
        if self.changed:  # rows left for the next redraw (ROWS_PER_REDRAW)
            self.schedule_redraw()

    def draw_list(self, changed: set[int], most_rows: int | None = None) -> None:
        """Draws the page, building at most `most_rows` rows (new or changed), top first; the others are left to
        the next redraw, in `changed` again (a changed row shows its last state meanwhile, a new one is not there
        yet)."""
        ideas = self.listed()
        pages = max(1, -(-len(ideas) // PAGE_SIZE))
        self.page = min(self.page, pages)
        page = [i.id for i in ideas[(self.page - 1) * PAGE_SIZE:self.page * PAGE_SIZE]]
        members = members_of(self.ideas.values())
        rows: dict[int, ui.element] = {}
        built, later = 0, set()
        for idea_id in page:
            row = self.rows.get(idea_id)
            if (row is None or idea_id in changed) and most_rows is not None and built >= most_rows:
                later.add(idea_id)
            elif row is None:
                with self.idea_list:
                    row = ui.element("div").classes("console-idea w-full")
                self.fill_row(row, self.ideas[idea_id], members)
                built += 1
            elif idea_id in changed:
                row.clear()
                self.fill_row(row, self.ideas[idea_id], members)
                built += 1
            if row is not None:
                rows[idea_id] = row
        for idea_id, row in self.rows.items():
            if idea_id not in rows:
                self.idea_list.remove(row)
        ordered = [rows[i] for i in page if i in rows]
        if self.idea_list.default_slot.children != ordered:  # one update of the list, not one per moved row
            self.idea_list.default_slot.children[:] = ordered
            self.idea_list.update()
        self.rows = rows
        self.no_ideas.set_visibility(not page)
        self.pages.set_visibility(pages > 1)
        if self.pages.max != pages:
            self.pages.max = pages
        if self.pages.value != self.page:
            self.pages.value = self.page
        in_play_count = sum(1 for i in self.ideas.values() if in_play(i))
        self.selected &= {i.id for i in self.ideas.values() if in_play(i)}
        self.ideas_title.set_text(self.tr("console.ideas", count=in_play_count) + (
            "" if len(ideas) == in_play_count else " · " + self.tr("console.ideas_shown", count=len(ideas))))
        if changed:
            self.suggestions.ideas_changed(changed)
        self.changed |= later

    def fill_row(self, row: ui.element, idea: Idea, members: dict[int, list[Idea]]) -> None:
        tr = self.tr
        row.style(category_style(self.category_of.get(idea.category)))
        row.classes(add="hidden-idea" if idea.hidden else "", remove="" if idea.hidden else "hidden-idea")
        with row, ui.row().classes("console-row no-wrap w-full items-start"):
            testid(ui.checkbox(value=idea.id in self.selected,
                               on_change=lambda e, i=idea.id: self.select(i, e.value))
                   .props(f'aria-label="{tr("console.select", title=idea.title)}"'), f"select-{idea.id}")
            with ui.column().classes("gap-0 grow min-w-0"):
                testid(ui.label(idea.title).classes("font-bold text-base break-anywhere"), "idea-title")
                if idea.is_group:
                    titles = " · ".join(m.title for m in members.get(idea.id, []))
                    ui.label(tr("console.group_members", titles=titles)).classes("text-sm text-gray-700 break-anywhere")
                elif idea.details:
                    ui.label(idea.details).classes("text-sm text-gray-700 break-anywhere")
                tags = [idea.author] if idea.author else []
                if idea.pending:
                    tags.append(tr("moderation.pending_tag"))
                if idea.hidden:
                    tags.append(tr("console.hidden_tag"))
                if idea.action_id is not None:
                    tags.append(tr("board.action"))
                ui.label(" · ".join(tags)).classes("text-sm break-anywhere")
            category = self.category_of.get(idea.category)
            ui.label(category.label if category else tr("console.filter_unsorted")).classes("text-sm w-40 shrink-0")
            # Editing opens a dialog made on demand: a row stays a few elements, which keeps a burst of hundreds of
            # ideas cheap for the one event loop (atelier bench).
            with ui.row().classes("gap-1 shrink-0 items-center no-wrap"):
                if idea.action_id is None:
                    testid(ui.button(tr("console.promote"), on_click=lambda i=idea: self.promote(i))
                           .props("outline dense no-caps"), f"promote-{idea.id}")
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

    def promote(self, idea: Idea) -> None:
        if self.act(lambda f: f.promote(idea.id)) is not None:
            ui.notify(self.tr("console.promoted", title=idea.title), type="positive")

    # --- dialogs -------------------------------------------------------------------------------------------

    def ask_moderate(self, idea: Idea) -> None:
        tr = self.tr
        idea = self.service.idea(idea.id)  # as it is now, not as the row was drawn
        with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
            title = testid(ui.input(tr("phone.idea_title"), value=idea.title).classes("w-full"), "moderate-title")
            details = ui.textarea(tr("phone.idea_details"), value=idea.details).classes("w-full")
            category = ui.select({c.key: c.label for c in self.categories}, value=idea.category or None,
                                 label=tr("phone.idea_category")).classes("w-full")

            def save() -> None:
                if self.act(lambda f: f.edit_idea(idea.id, title.value, details.value, category.value)):
                    dialog.close()

            with ui.row():
                testid(ui.button(tr("phone.save"), on_click=save), "moderate-save")
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


def shown_minutes(workshop: Workshop, now: float) -> int:
    """What "Régler (min)" shows: the minutes the countdown shows (rounded up), so both agree."""
    if workshop.timer_ends_at is not None:
        seconds = max(0.0, workshop.timer_ends_at - now)
    elif workshop.timer_remaining is not None:
        seconds = max(0.0, workshop.timer_remaining)
    else:
        seconds = workshop.phase.minutes * 60
    return math.ceil(seconds / 60)


def support_counts(ideas: Iterable[Idea]) -> dict[int, int]:
    """The +1 of each idea, once phones can support ideas (an Idea without the field counts 0)."""
    return {i.id: int(getattr(i, "support", 0) or 0) for i in ideas}


SUPPORT_COUNTS = "support" in Idea.model_fields
