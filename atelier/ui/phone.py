"""The participant's phone page, reached through the QR code: join, send ideas, follow the phases."""

from __future__ import annotations

import json
import secrets
from html import escape
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import ui

from atelier.models import (
    IDEA_DETAILS_MAX,
    IDEA_TITLE_MAX,
    UNSORTED,
    Collect,
    Draft,
    Idea,
    Participant,
    Quadrant,
    SwotItem,
    Workshop,
)
from atelier.rules import Refused
from atelier.rules.phases import accepts
from atelier.service import Service
from atelier.ui.common import (
    Heading,
    browser_id,
    categories_by_key,
    category_style,
    client_address,
    countdown,
    emptied_by_the_page,
    language_link,
    page_language,
    quasar_button,
    setup_page,
    testid,
    translator,
    update_countdown,
)
from atelier.ui.phone_ideas import PeerIdeas
from atelier.ui.phone_rating import RatingArea
from atelier.ui.swot import QUADRANT_KEYS

# How long a withdrawn idea offers "Annuler" on the phone: long enough to see a slip of the thumb, short enough
# not to clutter the list. The withdrawal is stored at once; the undo restores it.
UNDO_SECONDS = 8.0

# An own idea's card as one HTML element: the look of NiceGUI's ui.card (q-card, its padding and column), with
# the text on a full line and the buttons sharing the next (phone-own-shown, atelier.css).
OWN_CARD_CLASSES = "q-card nicegui-card phone-own-idea phone-own-shown gap-1"
# The card's buttons are HTML: one listener on the card sends which one was tapped, and nothing for other taps.
CARD_CLICK = "(e) => { const b = e.target.closest('button[data-action]'); if (b) emit(b.dataset.action); }"


def new_client_id() -> str:
    """The id this page gives one submission; sending it again (double tap, retry) gives the same idea."""
    return secrets.token_urlsafe(12)


def register(service: Service) -> None:
    @ui.page("/rejoindre")
    def enter_code(lang: str | None = None, code: str | None = None) -> RedirectResponse | None:
        """Where a phone lands without the QR code: type the code shown on the board."""
        language = page_language(lang)
        tr = translator(language)
        refusal = None
        if code:
            try:
                return RedirectResponse(f"/j/{service.workshop_by_code(code).code}", status_code=303)
            except Refused as refused:
                refusal = refused
        setup_page("atelier", language)
        with ui.column().classes("phone gap-3"):
            Heading(tr("phone.welcome")).classes("phone-title")
            if refusal is not None:
                testid(ui.label(tr(refusal.key, **refusal.params)).classes("phone-error"), "status")
            field = testid(ui.input(tr("phone.enter_code"), value=code or "").classes("w-full text-2xl"), "code")
            field.props("autocapitalize=characters autocomplete=off inputmode=text")
            testid(ui.button(tr("phone.go"), on_click=lambda: ui.navigate.to(f"/rejoindre?code={quote(field.value)}"))
                   .classes("w-full"), "go")
        return None

    @ui.page("/j/{code}")
    def phone_page(code: str, lang: str | None = None) -> RedirectResponse | None:
        language = page_language(lang)
        try:
            workshop = service.workshop_by_code(code)
        except Refused:
            return RedirectResponse(f"/rejoindre?code={quote(code[:20])}", status_code=303)
        setup_page(workshop.title, language)
        PhonePage(service, workshop, language).build()
        return None


class PhonePage:
    """One phone's page. Rebuilt from the database on every load, so a reload or a restart finds it as it was."""

    def __init__(self, service: Service, workshop: Workshop, language: str) -> None:
        self.language = language
        self.tr = translator(language)
        self.service = service
        self.workshop = workshop
        self.browser = browser_id()
        self.participant: Participant | None = service.participant(workshop.id, self.browser)
        self.categories = [c.in_language(language) for c in service.categories(workshop.territory_id)]
        self.category_of = categories_by_key(self.categories)
        self.client_id = new_client_id()
        self.own_cards: dict[int, ui.element] = {}  # the shown card (HTML), or the edit or undo card in its place
        self.own_ideas: dict[int, Idea] = {}  # as last drawn, for the cards' buttons
        self.withdrawing: set[int] = set()  # withdrawn here, still showing "Annuler"
        self.closed_reason: ui.label | None = None
        self.peers: PeerIdeas | None = None

    def build(self) -> None:
        with ui.column().classes("phone gap-3"):
            with ui.element("div").classes("phone-head"):
                Heading(self.workshop.title).classes("phone-title")
                self.countdown = countdown(self.workshop, "phone-countdown")
            self.phase_label = testid(ui.label().classes("phone-phase"), "phase")
            self.instruction = ui.label().classes("text-base")
            self.body = ui.column().classes("w-full gap-3")
            language_link(self.language)
        self.show_workshop_state()
        self.render_body()
        self.service.hub.workshop_changed(self.workshop.id).subscribe(self.on_workshop_changed)

    # --- workshop state --------------------------------------------------------------------------------

    def show_workshop_state(self) -> None:
        phase = self.workshop.phase.in_language(self.language)
        self.phase_label.set_text(phase.title)
        self.instruction.set_text(phase.instruction)
        update_countdown(self.countdown, self.workshop)

    @staticmethod
    def collecting(workshop: Workshop) -> Collect | None:
        """What this phone may send now: ideas, SWOT items, or nothing."""
        return next((c for c in (Collect.IDEAS, Collect.SWOT, Collect.RATINGS, Collect.GROUPS)
                     if accepts(workshop, c)), None)

    def on_workshop_changed(self, workshop: Workshop) -> None:
        before = self.collecting(self.workshop)
        self.workshop = workshop
        self.show_workshop_state()
        if self.participant is None:
            return
        if before != self.collecting(workshop):
            self.render_idea_area()
            self.refresh_own_cards()
            self.update_own_title()
            self.render_peers()
        elif (self.peers is not None) != self.shows_peers():  # the facilitator switched peer reading
            self.render_peers()
        elif self.closed_reason is not None and not self.closed_reason.is_deleted:
            # Still closed, but the phase moved on (Regroupement -> Clôture): say the current one.
            self.closed_reason.set_text(self.closed_reason_text())

    def closed_reason_text(self) -> str:
        key = "workshop.closed" if self.workshop.closed else (
            "ideas.locked" if self.workshop.locked else "ideas.phase_closed")
        return self.tr(key, phase=self.workshop.phase.in_language(self.language).title)

    # --- join ------------------------------------------------------------------------------------------

    def render_body(self) -> None:
        self.body.clear()
        with self.body:
            if self.participant is None:
                self.render_join_form()
            else:
                self.render_participant()

    def render_join_form(self, name: str = "", organisation: str = "") -> None:
        tr = self.tr
        anonymous = self.workshop.settings.anonymous
        ui.label(tr("phone.welcome")).classes("text-xl font-bold")
        name_field = None
        if anonymous:  # no name asked: the room speaks freely
            testid(ui.label(tr("phone.anonymous_help")).classes("text-base"), "anonymous-help")
        else:
            name_field = testid(ui.input(tr("phone.your_name"), value=name).classes("w-full"), "name")
            name_field.props("autocomplete=name")
        organisations = self.service.organisations(self.workshop.territory_id)
        organisation_field = testid(
            ui.input(tr("phone.your_organisation_optional" if anonymous else "phone.your_organisation"),
                     value=organisation, autocomplete=organisations)
            .classes("w-full").props(
                f'hint="{tr("phone.organisation_never_shown" if anonymous else "phone.organisation_hint")}"'),
            "organisation",
        )
        status = testid(ui.label().classes("phone-error"), "status")

        def join() -> None:
            try:
                self.participant = self.service.join(self.workshop.code, self.browser,
                                                     name_field.value if name_field is not None else None,
                                                     organisation_field.value, client_address())
            except Refused as refusal:
                status.set_text(tr(refusal.key, **refusal.params))
                return
            self.render_body()

        testid(ui.button(tr("phone.join"), on_click=join).classes("w-full"), "join")

    def render_participant(self) -> None:
        assert self.participant is not None
        tr = self.tr
        with ui.row().classes("w-full items-center justify-between no-wrap"):
            hello = (tr("phone.hello", name=self.participant.name, organisation=self.participant.organisation)
                     if self.participant.name else tr("phone.hello_anonymous"))
            testid(ui.label(hello).classes("font-bold"), "hello")
            ui.button(tr("phone.not_you"), on_click=self.change_identity).props("flat dense no-caps")
        self.idea_area = ui.column().classes("w-full gap-2")
        self.own_title = ui.label().classes("text-lg font-bold mt-2")
        self.own_list = testid(ui.column().classes("w-full gap-2"), "own-ideas")
        self.peer_area = ui.column().classes("w-full gap-2")
        self.render_idea_area()
        for idea in self.service.own_ideas(self.participant.id):
            self.add_own_card(idea)
        self.update_own_title()
        self.service.hub.own_idea_changed(self.participant.id).subscribe(self.on_own_idea_changed)
        self.render_peers()

    # --- the others' ideas -----------------------------------------------------------------------------

    def shows_peers(self) -> bool:
        return self.workshop.settings.peer_ideas and accepts(self.workshop, Collect.IDEAS)

    def render_peers(self) -> None:
        if self.peers is not None:
            self.peers.close()
            self.peers = None
        if self.participant is not None and self.shows_peers():
            with self.peer_area:
                self.peers = PeerIdeas(self.service, self.workshop.id, self.participant.id, self.tr,
                                       self.category_of)

    def change_identity(self) -> None:
        assert self.participant is not None
        name, organisation = self.participant.name, self.participant.organisation
        if self.peers is not None:
            self.peers.close()
            self.peers = None
        self.body.clear()
        with self.body:
            self.render_join_form(name, organisation)

    # --- sending ideas ---------------------------------------------------------------------------------

    def render_idea_area(self) -> None:
        tr = self.tr
        self.idea_area.clear()
        self.closed_reason = None
        with self.idea_area:
            collecting = self.collecting(self.workshop)
            if collecting == Collect.SWOT:
                self.render_swot_form()
                return
            if collecting == Collect.RATINGS:
                RatingArea(self.service, self.workshop, self.participant.id, self.tr)
                return
            if collecting == Collect.GROUPS:
                self.render_groups()
                return
            if not accepts(self.workshop, Collect.IDEAS):
                with testid(ui.column().classes("phone-closed gap-1"), "closed"):
                    ui.label(tr("phone.closed_title")).classes("text-lg font-bold")
                    self.closed_reason = testid(ui.label(self.closed_reason_text()), "closed-reason")
                    ui.label(tr("phone.wait_next"))
                return
            assert self.participant is not None
            draft = self.service.draft(self.participant.id)
            ui.label(tr("phone.new_idea")).classes("text-lg font-bold")
            too_long_title = tr("idea.title_too_long", max=IDEA_TITLE_MAX, length="…")
            self.title_field = testid(
                ui.input(tr("phone.idea_title"), value=draft.title,
                         validation={too_long_title: lambda v: len(v or "") <= IDEA_TITLE_MAX},
                         on_change=self.keep_draft).classes("w-full"), "idea-title")
            too_long_details = tr("idea.details_too_long", max=IDEA_DETAILS_MAX, length="…")
            self.details_field = testid(
                ui.textarea(tr("phone.idea_details"), value=draft.details,
                            validation={too_long_details: lambda v: len(v or "") <= IDEA_DETAILS_MAX},
                            on_change=self.keep_draft).classes("w-full").props("autogrow"), "idea-details")
            # Nothing chosen for the person: an idea sent without a category waits "À classer" for the
            # facilitator, instead of piling up in whichever category came first.
            options = {c.key: c.label for c in self.categories if c.key != UNSORTED.key}
            self.category_field = testid(
                ui.select(options, label=tr("phone.idea_category_optional"),
                          value=draft.category if draft.category in options else None,
                          on_change=self.keep_draft).classes("w-full")
                .props(f'clearable hint="{tr("phone.category_hint")}"'), "idea-category")
            self.send_status = testid(ui.label().classes("phone-ok"), "status")
            # The page empties the fields as it sends (atelier.js), so the server has nothing to send back for them.
            fields = f"[{self.title_field.id}, {self.details_field.id}]"
            testid(ui.button(tr("phone.send")).classes("w-full").props("color=primary"), "send").on(
                "click", self.send, js_handler=f"() => {{ emit(); atelierIdeaForm.sent({fields}); }}")

    def render_groups(self) -> None:
        """The extension workshop: a newcomer asks to join the working groups that interest them."""
        assert self.participant is not None
        tr = self.tr
        ui.label(tr("phone.groups")).classes("text-lg font-bold")
        for group in self.service.working_groups(self.workshop.territory_id):
            with testid(ui.card().classes("w-full gap-1"), f"phone-group-{group['id']}"):
                ui.label(group["title"]).classes("font-bold break-words")
                if group["objective"]:
                    ui.label(group["objective"]).classes("text-sm")
                status = ui.label().classes("phone-ok")

                def ask(group_id: int = group["id"], status: ui.label = status) -> None:
                    assert self.participant is not None
                    try:
                        self.service.ask_to_join_group(self.workshop.id, self.participant.id, group_id)
                    except Refused as refusal:
                        status.classes(replace="phone-error").set_text(tr(refusal.key, **refusal.params))
                        return
                    status.classes(replace="phone-ok").set_text(tr("phone.group_asked"))

                testid(ui.button(tr("phone.group_ask"), on_click=ask).classes("w-full").props("outline"),
                       f"ask-group-{group['id']}")

    def render_swot_form(self) -> None:
        assert self.participant is not None
        tr = self.tr
        ui.label(tr("swot.choose")).classes("text-lg font-bold")
        self.swot_quadrant = testid(ui.toggle({q.value: tr(key) for q, key in QUADRANT_KEYS.items()},
                                              value=Quadrant.STRENGTHS.value).props("no-caps")
                                    .classes("w-full swot-toggle"), "swot-quadrant")
        self.swot_text = testid(ui.input(tr("swot.item")).classes("w-full"), "swot-text")
        self.swot_status = testid(ui.label().classes("phone-ok"), "status")
        testid(ui.button(tr("swot.send"), on_click=self.send_swot).classes("w-full"), "swot-send")
        self.swot_list = testid(ui.column().classes("w-full gap-1"), "own-swot")
        for item in self.service.own_swot_items(self.participant.id):
            self.add_swot_line(item)

    def add_swot_line(self, item: SwotItem) -> None:
        with self.swot_list:
            ui.label(f"{self.tr(QUADRANT_KEYS[item.quadrant])} : {item.text}").classes("text-base break-words")

    def send_swot(self) -> None:
        assert self.participant is not None
        try:
            item = self.service.submit_swot_item(self.workshop.id, self.participant.id, self.client_id,
                                                 self.swot_quadrant.value, self.swot_text.value)
        except Refused as refusal:
            self.swot_status.classes(replace="phone-error").set_text(self.tr(refusal.key, **refusal.params))
            return
        self.swot_status.classes(replace="phone-ok").set_text(self.tr("swot.received", text=item.text))
        self.client_id = new_client_id()
        self.swot_text.set_value("")
        self.add_swot_line(item)

    def keep_draft(self) -> None:
        if self.participant is not None:
            self.service.keep_draft(self.participant.id, Draft(title=self.title_field.value or "",
                                                               details=self.details_field.value or "",
                                                               category=self.category_field.value or ""))

    def send(self) -> None:
        assert self.participant is not None
        tr = self.tr
        try:
            idea = self.service.submit_idea(self.workshop.id, self.participant.id, self.client_id,
                                            self.title_field.value, self.details_field.value,
                                            self.category_field.value)
        except Refused as refusal:
            self.send_status.classes(replace="phone-error").set_text(tr(refusal.key, **refusal.params))
            # The page emptied the fields as it sent: the text comes back, to be corrected and sent again.
            texts = {field.id: field.value or "" for field in (self.title_field, self.details_field)}
            ui.run_javascript(f"atelierIdeaForm.refused({json.dumps(texts)})")
            return
        # Only now, with the idea in the database, does the phone say "reçue".
        self.send_status.classes(replace="phone-ok").set_text(tr("phone.received", title=idea.title))
        self.client_id = new_client_id()
        for field in (self.title_field, self.details_field):
            emptied_by_the_page(field)
        if idea.id not in self.own_cards:  # the hub's own-idea event usually drew it already
            self.add_own_card(idea)
            self.update_own_title()

    # --- own ideas -------------------------------------------------------------------------------------

    def update_own_title(self) -> None:
        self.own_title.set_text(self.tr("phone.my_ideas", count=len(self.own_cards) - len(self.withdrawing)))
        # In a SWOT-only workshop "my ideas (0)" is noise.
        self.own_title.set_visibility(bool(self.own_cards) or self.collecting(self.workshop) == Collect.IDEAS)

    def on_own_idea_changed(self, idea: Idea) -> None:
        if idea.withdrawn:
            if idea.id in self.withdrawing:
                return  # withdrawn from this page, which shows "Annuler" in the card's place
            card = self.own_cards.pop(idea.id, None)
            if card is not None:
                card.delete()
            self.update_own_title()
        elif idea.id in self.own_cards:
            self.withdrawing.discard(idea.id)  # restored, maybe from another tab
            self.fill_own_card(idea)
            self.update_own_title()
        else:  # sent from another tab of the same phone
            self.add_own_card(idea)
            self.update_own_title()

    def refresh_own_cards(self) -> None:
        assert self.participant is not None
        for idea in self.service.own_ideas(self.participant.id):
            if idea.id in self.own_cards:
                self.fill_own_card(idea)

    def add_own_card(self, idea: Idea) -> None:
        self.fill_own_card(idea)  # a new card goes first: newest first

    def fill_own_card(self, idea: Idea) -> None:
        """The idea as the person sees it: its text, notes and, while it may change, "Modifier" and "Retirer".

        One element per card (an HTML element holding the text and the two buttons, whose clicks come back as one
        event naming the button): a burst of 2,000 ideas builds 2,000 cards at once, and NiceGUI's cost is per
        element (atelier bench, py-spy: the card's four elements were a quarter of the server's time per idea).
        """
        tr = self.tr
        self.own_ideas[idea.id] = idea
        category = self.category_of.get(idea.category)
        notes = []
        if idea.pending:
            notes.append(tr("phone.pending_note"))
        if idea.hidden:
            notes.append(tr("phone.hidden_note"))
        if idea.merged_into is not None:
            notes.append(tr("phone.grouped_note", title=self.service.idea(idea.merged_into).title))
        if idea.action_id is not None:
            notes.append(tr("phone.promoted_note"))
        text = [f'<div class="font-bold text-lg">{escape(idea.title, quote=False)}</div>']
        if idea.details:
            text.append(f'<div class="text-base whitespace-pre-wrap">{escape(idea.details, quote=False)}</div>')
        text.append(f'<div class="text-sm text-gray-700">'
                    f'{escape(category.label if category else idea.category, quote=False)}</div>')
        if notes:
            text.append(f'<div class="text-sm italic">{escape(" · ".join(notes), quote=False)}</div>')
        content = [f'<div class="w-full flex flex-col gap-1">{"".join(text)}</div>']
        if accepts(self.workshop, Collect.IDEAS) and idea.merged_into is None and idea.action_id is None:
            # "Retirer" at the far end from "Modifier" (the card's row wraps them below the text, spaced):
            # a thumb aiming at one does not land on the other.
            content.append(quasar_button(tr("phone.edit"), "edit", f"edit-{idea.id}", "outline", "primary"))
            content.append(quasar_button(tr("phone.withdraw"), "withdraw", f"withdraw-{idea.id}", "flat",
                                         "negative"))
        card = self.own_cards.get(idea.id)
        if isinstance(card, ui.html) and not card.is_deleted:  # shown already: only its content changes
            card.set_content("".join(content))
        else:
            with self.own_list:
                shown = ui.html("".join(content), sanitize=False).classes(OWN_CARD_CLASSES)
            shown.on("click", lambda event, i=idea.id: self.on_card_button(i, event.args), js_handler=CARD_CLICK)
            shown.mark(f"own-{idea.id}")
            self.place_card(idea.id, shown)
            card = shown
        card.style(category_style(category))

    def place_card(self, idea_id: int, card: ui.element) -> None:
        """Puts `card` where the idea's card is (first if it has none) and drops the old one."""
        old = self.own_cards.get(idea_id)
        siblings = self.own_list.default_slot.children
        index = siblings.index(old) if old is not None and old in siblings else 0
        card.move(self.own_list, target_index=index)
        if old is not None and not old.is_deleted:
            old.delete()
        self.own_cards[idea_id] = card

    def open_card(self, idea: Idea, look: str) -> ui.card:
        """A card of NiceGUI elements in the idea's place, for the edit form or the undo."""
        with self.own_list:
            card = ui.card().classes(f"phone-own-idea gap-1 {look}")
        card.style(category_style(self.category_of.get(idea.category)))
        self.place_card(idea.id, card)
        return card

    def on_card_button(self, idea_id: int, action: object) -> None:
        """A card's "Modifier" or "Retirer", as the browser names it; anything else a phone sends is ignored."""
        if isinstance(action, list) and len(action) == 1:
            action = action[0]
        idea = self.own_ideas.get(idea_id)
        if idea is None or idea_id not in self.own_cards or not isinstance(self.own_cards[idea_id], ui.html):
            return
        if action == "edit":
            self.edit(idea)
        elif action == "withdraw":
            self.withdraw(idea)

    def edit(self, idea: Idea) -> None:
        tr = self.tr
        card = self.open_card(idea, "")
        with card:
            title = testid(ui.input(tr("phone.idea_title"), value=idea.title).classes("w-full"), "edit-title")
            details = ui.textarea(tr("phone.idea_details"), value=idea.details).classes("w-full").props("autogrow")
            category = ui.select({c.key: c.label for c in self.categories}, value=idea.category,
                                 label=tr("phone.idea_category")).classes("w-full")
            error = ui.label().classes("phone-error")

            def save() -> None:
                assert self.participant is not None
                try:
                    updated = self.service.edit_own_idea(self.participant.id, idea.id, title.value, details.value,
                                                         category.value)
                except Refused as refusal:
                    error.set_text(tr(refusal.key, **refusal.params))
                    return
                self.fill_own_card(updated)

            with ui.row().classes("gap-2"):
                testid(ui.button(tr("phone.save"), on_click=save).props("no-caps"), "edit-save")
                ui.button(tr("phone.cancel"), on_click=lambda: self.fill_own_card(
                    self.service.idea(idea.id))).props("flat no-caps")

    def withdraw(self, idea: Idea) -> None:
        """Withdraws at once (stored, gone from the board), and leaves "Annuler" in the card's place for a while."""
        assert self.participant is not None
        self.withdrawing.add(idea.id)
        try:
            self.service.withdraw_own_idea(self.participant.id, idea.id)
        except Refused as refusal:
            self.withdrawing.discard(idea.id)
            ui.notify(self.tr(refusal.key, **refusal.params), type="warning")
            return
        self.update_own_title()
        card = self.open_card(idea, "phone-undo")
        with card:
            testid(ui.label(self.tr("phone.withdrawn_title", title=idea.title)).classes("font-bold"), "withdrawn")
            error = ui.label().classes("phone-error")
            testid(ui.button(self.tr("phone.undo"), on_click=lambda: self.undo_withdraw(idea.id, error))
                   .classes("w-full").props("outline no-caps"), f"undo-{idea.id}")
            ui.timer(UNDO_SECONDS, lambda: self.forget_withdrawn(idea.id), once=True)

    def undo_withdraw(self, idea_id: int, error: ui.label) -> None:
        assert self.participant is not None
        try:
            restored = self.service.restore_own_idea(self.participant.id, idea_id)
        except Refused as refusal:
            error.set_text(self.tr(refusal.key, **refusal.params))
            return
        self.withdrawing.discard(idea_id)
        if idea_id in self.own_cards:
            self.fill_own_card(restored)
        self.update_own_title()

    def forget_withdrawn(self, idea_id: int) -> None:
        """The undo's time is over: the card goes (the idea stays withdrawn, as stored)."""
        if idea_id not in self.withdrawing:
            return
        self.withdrawing.discard(idea_id)
        card = self.own_cards.pop(idea_id, None)
        if card is not None:
            card.delete()
        self.update_own_title()
