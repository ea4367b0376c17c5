"""The facilitator's diagnostic pages: actors (with import/export), interview sheets, leads and network, SWOT."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from html import escape
from typing import Any

from nicegui import events, run, ui

from atelier.imports.actors_table import ImportPreview, actors_to_csv, actors_to_ods, actors_to_xlsx
from atelier.imports.limits import MAX_UPLOAD_BYTES
from atelier.models import ActorKind, ActorStatus, Interview, InterviewItem, Quadrant, SwotItem
from atelier.rules import Refused, network
from atelier.rules.lead_views import (
    STATUS_DISMISSED,
    STATUS_PROMOTED,
    LeadView,
    lead_explanation_parts,
    lead_reason,
    lead_title_parts,
)
from atelier.rules.leads import LeadKind
from atelier.service import Diagnostic, Service
from atelier.ui.common import (
    LOGIN_PATH,
    Heading,
    browser_id,
    guard_facilitator_page,
    page_language,
    setup_page,
    show_refusal,
    testid,
    translator,
)
from atelier.ui.swot import QUADRANT_KEYS

KIND_LABELS = {
    ActorKind.COMPANY: "Entreprise", ActorKind.FARM: "Exploitation agricole", ActorKind.CRAFTSMAN: "Artisan",
    ActorKind.SHOP: "Commerce", ActorKind.LOCAL_AUTHORITY: "Collectivité", ActorKind.ASSOCIATION: "Association",
    ActorKind.PUBLIC_BODY: "Établissement public", ActorKind.OTHER: "Autre",
}
STATUS_LABELS = {ActorStatus.PIONEER: "Pionnier", ActorStatus.MEMBER: "Membre", ActorStatus.CANDIDATE: "Candidat"}


def kind_labels(tr: Callable[..., str]) -> dict[str, str]:
    """The kinds of actor in the page's language (KIND_LABELS stays the French of files and exports)."""
    return {k.value: tr(f"kind.{k.value}") for k in ActorKind}


def territory_menu(territory_id: int, tr: Callable[..., str]) -> None:
    with ui.row().classes("gap-4 text-lg"):
        ui.link(tr("console.workshops"), "/animation")
        ui.link(tr("diag.actors"), f"/animation/territoire/{territory_id}/acteurs")
        ui.link(tr("diag.leads"), f"/animation/territoire/{territory_id}/pistes")
        ui.link(tr("diag.swot"), f"/animation/territoire/{territory_id}/ffom")
        ui.link(tr("actions.title"), f"/animation/territoire/{territory_id}/actions")
        ui.link(tr("groups.title"), f"/animation/territoire/{territory_id}/groupes")
        ui.link(tr("extension.title"), f"/animation/territoire/{territory_id}/extension")
        ui.link(tr("guide.title"), f"/animation/territoire/{territory_id}/methode")
        ui.link(tr("people.title"), f"/animation/territoire/{territory_id}/donnees")


def register(service: Service) -> None:
    def open_page(title_key: str, lang: str | None) -> tuple[Diagnostic, Callable[..., str], str] | None:
        language = page_language(lang)
        tr = translator(language)
        setup_page(tr(title_key), language)
        try:
            return service.diagnostic(guard_facilitator_page(language)), tr, language
        except Refused:
            ui.navigate.to(LOGIN_PATH)
            return None

    @ui.page("/animation/territoire/{territory_id}/acteurs")
    def actors_page(territory_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.actors", lang)
        if opened:
            ActorsPage(service, *opened, territory_id).build()

    @ui.page("/animation/acteur/{actor_id}")
    def interview_page(actor_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.interview", lang)
        if opened:
            InterviewPage(*opened, actor_id).build()

    @ui.page("/animation/territoire/{territory_id}/pistes")
    async def leads_page(territory_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.leads", lang)
        if opened:
            await LeadsPage(service, *opened, territory_id).build()

    @ui.page("/animation/territoire/{territory_id}/ffom")
    def swot_page(territory_id: int, lang: str | None = None) -> None:
        opened = open_page("diag.swot", lang)
        if opened:
            SwotConsole(service, *opened, territory_id).build()


# --- actors ------------------------------------------------------------------------------------------------


class ActorsPage:
    def __init__(self, service: Service, diagnostic: Diagnostic, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        self.service = service
        self.diagnostic = diagnostic
        self.tr = tr
        self.language = language
        self.territory_id = territory_id
        self.preview: ImportPreview | None = None

    def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_menu(self.territory_id, tr)
            Heading(tr("diag.actors")).classes("text-2xl font-bold")
            with ui.row().classes("console-row"):
                testid(ui.button(tr("diag.add_actor"), on_click=self.add_dialog), "add-actor")
                ui.button("CSV", on_click=lambda: self.export("csv")).props("outline")
                ui.button("ODS", on_click=lambda: self.export("ods")).props("outline")
                ui.button("XLSX", on_click=lambda: self.export("xlsx")).props("outline")
            with ui.expansion(tr("diag.import"), icon="upload_file").classes("w-full"):
                ui.label(tr("diag.import_help")).classes("text-sm")
                testid(ui.upload(on_upload=self.on_upload, auto_upload=True, max_file_size=MAX_UPLOAD_BYTES)
                       .props('accept=".csv,.ods,.xlsx,.txt"').classes("w-96"), "import-file")
                self.preview_area = testid(ui.column().classes("w-full gap-1"), "import-preview")
            self.table_area = ui.column().classes("w-full gap-1")
        self.show_actors()

    def show_actors(self) -> None:
        tr = self.tr
        self.table_area.clear()
        with self.table_area:
            for archived in (False, True):
                actors = self.diagnostic.actors(self.territory_id, archived)
                if archived and not actors:
                    continue
                ui.label(tr("diag.archived") if archived else tr("diag.count", count=len(actors))).classes(
                    "text-lg font-bold mt-2")
                for actor_id, actor in actors:
                    with ui.row().classes("console-row w-full no-wrap border-b py-1"):
                        testid(ui.link(actor.name, f"/animation/acteur/{actor_id}").classes("font-bold w-72"),
                               f"actor-{actor.key}")
                        ui.label(tr(f"kind.{actor.kind.value}")).classes("w-44")
                        ui.label(actor.commune).classes("w-48")
                        ui.label(tr(f"actor_status.{actor.status.value}")).classes("w-24")
                        ui.label(tr("diag.consent_yes") if actor.public_consent else tr("diag.consent_no")).classes(
                            "w-40 text-sm")
                        ui.button(tr("diag.unarchive") if archived else tr("diag.archive"),
                                  on_click=lambda a=actor_id, arch=archived: self.archive(a, not arch)).props(
                            "flat dense no-caps")

    def archive(self, actor_id: int, archived: bool) -> None:
        self.diagnostic.set_archived(actor_id, archived)
        self.show_actors()

    def add_dialog(self) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[40rem]"):
            form = ActorForm(tr, None)
            error = ui.label().classes("phone-error")

            def save() -> None:
                try:
                    self.diagnostic.add_actor(self.territory_id, form.fields())
                except Refused as refusal:
                    error.set_text(tr(refusal.key, **refusal.params))
                    return
                dialog.close()
                self.show_actors()

            with ui.row():
                testid(ui.button(tr("phone.save"), on_click=save), "save-actor")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    async def on_upload(self, event: events.UploadEventArguments) -> None:
        content = await event.file.read()
        self.preview = await run.io_bound(self.diagnostic.preview_import, self.territory_id, event.file.name, content)
        self.show_preview()

    def show_preview(self) -> None:
        tr = self.tr
        preview = self.preview
        self.preview_area.clear()
        if preview is None:
            return
        with self.preview_area:
            if preview.file_error:
                ui.label(preview.file_error).classes("phone-error")
                return
            ui.label(tr("diag.preview", rows=preview.total_rows, ok=len(preview.actors),
                        errors=len(preview.errors))).classes("font-bold")
            if preview.columns_ignored:
                ui.label(tr("diag.ignored_columns", columns=", ".join(preview.columns_ignored))).classes("text-sm")
            for error in preview.errors[:200]:
                ui.label(tr("diag.row_error", row=error.row, message=error.message)).classes("phone-error text-sm")
            if len(preview.errors) > 200:
                ui.label(tr("diag.more_errors", count=len(preview.errors) - 200)).classes("text-sm")
            for actor in preview.actors[:20]:
                ui.label(f"{actor.name} — {tr('kind.' + actor.kind.value)} — {actor.commune}").classes("text-sm")
            if preview.ok and preview.actors:
                testid(ui.button(tr("diag.confirm_import", count=len(preview.actors)), on_click=self.confirm),
                       "confirm-import")

    def confirm(self) -> None:
        if self.preview is None:
            return
        try:
            added = self.diagnostic.confirm_import(self.territory_id, self.preview)
        except Refused as refusal:
            show_refusal(refusal, self.language)
            return
        self.preview = None
        self.preview_area.clear()
        ui.notify(self.tr("diag.imported", count=added), type="positive")
        self.show_actors()

    async def export(self, fmt: str) -> None:
        actors = [a for _, a in self.diagnostic.actors(self.territory_id)]
        writer = {"csv": actors_to_csv, "ods": actors_to_ods, "xlsx": actors_to_xlsx}[fmt]
        content = await run.io_bound(writer, actors)
        ui.download.content(content, f"acteurs.{fmt}")


class ActorForm:
    """The actor's fields; `fields()` gives them with the model's French names."""

    def __init__(self, tr: Callable[..., str], actor: Any) -> None:
        a = actor
        with ui.grid(columns=2).classes("w-full gap-2"):
            self.name = testid(ui.input(tr("diag.name"), value=a.name if a else ""), "actor-name")
            self.kind = testid(ui.select(kind_labels(tr), label=tr("diag.kind"),
                                         value=a.kind.value if a else ActorKind.COMPANY.value), "actor-kind")
            self.sector = ui.input(tr("diag.sector"), value=a.sector if a else "")
            self.naf = ui.input("NAF", value=a.naf if a else "")
            self.commune = ui.input(tr("diag.commune"), value=a.commune if a else "")
            statuses = {s.value: tr(f"actor_status.{s.value}") for s in ActorStatus}
            self.status = ui.select(statuses, label=tr("diag.status"),
                                    value=a.status.value if a else ActorStatus.MEMBER.value)
            self.contact_name = ui.input(tr("diag.contact"), value=a.contact.name if a else "")
            self.contact_role = ui.input(tr("diag.role"), value=a.contact.role if a else "")
            self.email = testid(ui.input(tr("diag.email"), value=a.contact.email if a else ""), "actor-email")
            self.phone = ui.input(tr("diag.phone"), value=a.contact.phone if a else "")
            self.groups = ui.number(tr("diag.groups"), value=a.availability_groups if a else 1, min=0, max=20)
            self.hours = ui.number(tr("diag.hours"), value=a.availability_hours_month if a else 0, min=0, max=200)
        self.motivation = ui.textarea(tr("diag.motivation"), value=a.motivation if a else "").classes("w-full")
        self.consent = ui.checkbox(tr("diag.consent"), value=a.public_consent if a else False)

    def fields(self) -> dict[str, object]:
        return {
            "nom": self.name.value, "type": self.kind.value, "secteur": self.sector.value or "",
            "naf": self.naf.value or "", "commune": self.commune.value or "", "statut": self.status.value,
            "disponibilite_groupes": int(self.groups.value or 0),
            "disponibilite_heures_mois": float(self.hours.value or 0), "motivation": self.motivation.value or "",
            "consentement_public": bool(self.consent.value),
            "contact": {"nom": self.contact_name.value or "", "role": self.contact_role.value or "",
                        "email": (self.email.value or "").strip(), "telephone": self.phone.value or ""},
        }


# --- interview sheet ---------------------------------------------------------------------------------------


class InterviewPage:
    """Saved as it is typed: each change is stored at once, over the version this tab last saw."""

    def __init__(self, diagnostic: Diagnostic, tr: Callable[..., str], language: str, actor_id: int) -> None:
        self.diagnostic = diagnostic
        self.tr = tr
        self.language = language
        self.actor_id = actor_id
        self.author = browser_id()[:8]

    def build(self) -> None:
        tr = self.tr
        try:
            actor, archived = self.diagnostic.actor(self.actor_id)
        except Refused as refusal:
            ui.label(tr(refusal.key, **refusal.params))
            return
        territory_id = self.diagnostic.territory_id_of_actor(self.actor_id)
        self.categories = {c.key: c.in_language(page_language(None)).label
                           for c in self.diagnostic.service.categories(territory_id)}
        interview, self.version = self.diagnostic.interview(self.actor_id)
        with ui.column().classes("console gap-3"):
            territory_menu(territory_id, tr)
            Heading(f"{actor.name} — {tr('kind.' + actor.kind.value)}").classes("text-2xl font-bold")
            if archived:
                ui.label(tr("diag.archived")).classes("phone-closed")
            with ui.expansion(tr("diag.actor_card"), icon="badge").classes("w-full"):
                self.actor_form = ActorForm(tr, actor)
                self.actor_status = ui.label().classes("text-sm")
                testid(ui.button(tr("phone.save"), on_click=self.save_actor), "save-actor")
            ui.label(tr("diag.interview")).classes("text-xl font-bold")
            with ui.row().classes("console-row"):
                self.date = testid(ui.input(tr("diag.date"), value=interview.date,
                                            on_change=self.save).props("type=date stack-label"), "interview-date")
                self.interviewer = testid(ui.input(tr("diag.interviewer"), value=interview.interviewer,
                                                   on_change=self.save), "interviewer")
            self.problems = testid(ui.textarea(tr("diag.problems"), value="\n".join(interview.problems),
                                               on_change=self.save).classes("w-full"), "problems")
            self.needs = ItemList(self, tr("diag.needs"), tr("diag.add_need"), interview.needs, "need")
            self.capacities = ItemList(self, tr("diag.capacities"), tr("diag.add_capacity"), interview.capacities,
                                       "capacity")
            self.opportunities = testid(ui.textarea(tr("diag.opportunities"),
                                                    value="\n".join(interview.opportunities),
                                                    on_change=self.save).classes("w-full"), "opportunities")
            self.notes = testid(ui.textarea(tr("diag.notes"), value=interview.notes, on_change=self.save)
                                .classes("w-full"), "notes")
            self.status = testid(ui.label().classes("text-sm"), "save-status")
            with ui.expansion(tr("diag.history"), icon="history", on_value_change=self.show_history):
                self.history_list = ui.column().classes("gap-1")

    def collect(self) -> Interview:
        def lines(text: str | None) -> list[str]:
            return [line.strip() for line in (text or "").splitlines() if line.strip()]

        return Interview(date=self.date.value or "", enqueteur=self.interviewer.value or "",
                         problematiques=lines(self.problems.value), opportunites=lines(self.opportunities.value),
                         notes=self.notes.value or "", besoins=self.needs.items(),
                         capacites=self.capacities.items())

    def save(self) -> None:
        try:
            self.version = self.diagnostic.save_interview(self.actor_id, self.collect(), self.version, self.author)
        except Refused as refusal:
            self.status.classes(replace="phone-error").set_text(self.tr(refusal.key, **refusal.params))
            return
        now = datetime.datetime.now().strftime("%H:%M:%S")
        self.status.classes(replace="phone-ok").set_text(self.tr("diag.saved_at", time=now))

    def save_actor(self) -> None:
        try:
            self.diagnostic.edit_actor(self.actor_id, self.actor_form.fields())
        except Refused as refusal:
            self.actor_status.classes(replace="phone-error").set_text(self.tr(refusal.key, **refusal.params))
            return
        self.actor_status.classes(replace="phone-ok").set_text(self.tr("console.saved"))

    def show_history(self) -> None:
        self.history_list.clear()
        with self.history_list:
            for entry in self.diagnostic.interview_history(self.actor_id)[:50]:
                when = datetime.datetime.fromtimestamp(entry["saved_at"]).strftime("%d/%m %H:%M")
                interview: Interview = entry["interview"]
                flag = f" — {self.tr('diag.conflict_copy')}" if entry["conflict"] else ""
                ui.label(f"{when} · v{entry['version']}{flag} · {len(interview.needs)} besoins, "
                         f"{len(interview.capacities)} capacités").classes("text-sm")


class ItemList:
    """Needs or capacities: category, description, quantity, unit, frequency."""

    def __init__(self, page: InterviewPage, title: str, add_label: str, items: list[InterviewItem],
                 name: str) -> None:
        self.page = page
        self.name = name
        self.rows: list[dict[str, Any]] = []
        ui.label(title).classes("text-lg font-bold mt-2")
        self.container = ui.column().classes("w-full gap-1")
        for item in items:
            self.add_row(item)
        testid(ui.button(add_label, on_click=lambda: self.add_row(None, focus=True)).props("outline no-caps"),
               f"add-{name}")

    def add_row(self, item: InterviewItem | None, focus: bool = False) -> None:
        tr = self.page.tr
        categories = self.page.categories
        index = len(self.rows)
        with self.container, ui.row().classes("console-row no-wrap w-full") as row:
            widgets: dict[str, Any] = {"row": row}
            widgets["category"] = testid(ui.select(categories, label=tr("phone.idea_category"),
                                                   value=item.category if item else next(iter(categories)),
                                                   on_change=self.page.save).classes("w-56"),
                                         f"{self.name}-category-{index}")
            widgets["description"] = testid(ui.input(tr("diag.description"), value=item.description if item else "",
                                                     on_change=self.page.save).classes("grow"),
                                            f"{self.name}-description-{index}")
            widgets["quantity"] = ui.number(tr("diag.quantity"), value=item.quantity if item else None,
                                            on_change=self.page.save).classes("w-24")
            widgets["unit"] = ui.input(tr("diag.unit"), value=item.unit if item else "",
                                       on_change=self.page.save).classes("w-20")
            widgets["frequency"] = ui.input(tr("diag.frequency"), value=item.frequency if item else "",
                                            on_change=self.page.save).classes("w-28")
            ui.button(icon="delete", on_click=lambda w=widgets: self.remove(w)).props(
                f'flat dense aria-label="{tr("diag.remove")}"')
        self.rows.append(widgets)
        if focus:
            widgets["description"].run_method("focus")

    def remove(self, widgets: dict[str, Any]) -> None:
        self.rows.remove(widgets)
        widgets["row"].delete()
        self.page.save()

    def items(self) -> list[InterviewItem]:
        """The rows with a description (a row just added and still empty is not an item yet)."""
        return [InterviewItem(categorie=w["category"].value, description=(w["description"].value or "").strip(),
                              quantite=w["quantity"].value, unite=w["unit"].value or "",
                              frequence=w["frequency"].value or "")
                for w in self.rows if (w["description"].value or "").strip()]


# --- leads and network -------------------------------------------------------------------------------------


def quoted(parts: list[tuple[str, bool]]) -> ui.html:
    """Text whose quotes of the interviews are marked as French (they are, whatever the page's language): screen
    readers read them as French, and the page's language is not claimed for them. Every part is escaped."""
    return ui.html("".join(f'<span lang="fr">{escape(text)}</span>' if quote else escape(text)
                           for text, quote in parts), sanitize=False)


class LeadsPage:
    def __init__(self, service: Service, diagnostic: Diagnostic, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        self.service = service
        self.diagnostic = diagnostic
        self.tr = tr
        self.language = language
        self.territory_id = territory_id

    async def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_menu(self.territory_id, tr)
            Heading(tr("diag.leads")).classes("text-2xl font-bold")
            ui.label(tr("diag.leads_help")).classes("text-gray-800")
            self.chart_area = ui.column().classes("w-full")
            self.learned_area = testid(ui.column().classes("w-full gap-1"), "learned")
            self.list_area = testid(ui.column().classes("w-full gap-2"), "leads")
        await self.refresh()

    async def refresh(self) -> None:
        # Matching every need against every capacity is pure CPU work: off the event loop the phones share.
        views = await run.io_bound(self.diagnostic.leads, self.territory_id, True)
        names = self.service.actor_names(self.territory_id)
        categories = {c.key: c.in_language(page_language(None)) for c in self.service.categories(self.territory_id)}
        self.chart_area.clear()
        with self.chart_area:
            network_chart(views, names, categories, height="520px")
        self.show_learned()
        shown = [v for v in views if not v.learned_out and not v.held_back]
        learned_out = [v for v in views if v.learned_out]
        held_back = [v for v in views if v.held_back]
        self.list_area.clear()
        with self.list_area:
            ui.label(self.tr("diag.leads_count", count=len(shown))).classes("font-bold")
            for view in shown:
                self.lead_card(view, names, categories)
            if learned_out:
                with testid(ui.expansion(self.tr("diag.blocked_count", count=len(learned_out))), "learned-out"):
                    for view in learned_out:
                        self.lead_card(view, names, categories)
            if held_back:  # reachable: a facilitator may still take one up
                with testid(ui.expansion(self.tr("diag.held_back_count", count=len(held_back))), "held-back"):
                    for view in held_back:
                        self.lead_card(view, names, categories)

    def show_learned(self) -> None:
        """The per-territory rules the decisions made, each with its undo."""
        tr = self.tr
        rules = self.diagnostic.learned(self.territory_id)
        self.learned_area.clear()
        if not rules:
            return
        with self.learned_area:
            ui.label(tr("diag.learned")).classes("text-lg font-bold")
            ui.label(tr("diag.learned_help")).classes("text-sm text-gray-800")
            for rule in rules:
                evidence = ", ".join(rule.evidence_in(self.language))
                text = (tr("diag.learned_no", evidence=evidence, reason=rule.reason) if rule.status == STATUS_DISMISSED
                        else tr("diag.learned_yes", evidence=evidence))
                with testid(ui.row().classes("items-center gap-2"), "learned-rule"):
                    ui.label(text).classes("text-sm")
                    ui.button(tr("diag.undo"), on_click=lambda k=rule.lead_key: self.restore(k)).props(
                        "flat dense no-caps")

    def lead_card(self, view: LeadView, names: dict[str, str], categories: dict[str, Any]) -> None:
        tr = self.tr
        lead = view.lead
        category = categories.get(lead.category)
        with testid(ui.card().classes("w-full console-idea gap-1"), "lead").style(
                f"--stripe: {category.colour if category else '#888'}"):
            kind = tr("diag.substitution") if lead.kind == LeadKind.SUBSTITUTION else tr("diag.mutualisation")
            testid(quoted(lead_title_parts(lead, names, self.language)).classes("text-lg font-bold"), "lead-title")
            with ui.row().classes("console-row"):
                ui.label(f"{kind} · {category.label if category else lead.category}").classes("font-bold")
                testid(ui.label(tr("diag.strength", reason=lead_reason(lead, self.language))).classes(
                    f"text-sm lead-{lead.strength.value}"), "lead-strength")
                if view.status == STATUS_DISMISSED:
                    ui.label(tr("diag.dismissed", reason=view.reason)).classes("text-sm italic")
                elif view.status == STATUS_PROMOTED:
                    ui.label(tr("diag.promoted")).classes("text-sm italic")
                elif view.learned_out:
                    ui.label(tr("diag.blocked", reason=lead.blocked_reason or tr("lead.similar_dismissed"))).classes(
                        "text-sm italic")
                elif view.held_back:
                    ui.label(tr("diag.held_back")).classes("text-sm italic")
            for entry in lead.entries:
                nature = tr("diag.offer") if entry.kind.value == "capacite" else tr("diag.need")
                ui.label(tr("diag.entry_line", who=names.get(entry.actor_key, entry.actor_key), nature=nature,
                            text=entry.description)).classes("text-sm")
            with testid(ui.column().classes("gap-0"), "lead-why"):
                ui.label(tr("diag.why")).classes("text-sm font-bold")
                for line in lead_explanation_parts(lead, self.language):
                    quoted([("• ", False), *line]).classes("text-sm text-gray-800")
            with ui.row().classes("gap-2"):
                if view.status == STATUS_DISMISSED:
                    ui.button(tr("diag.restore"), on_click=lambda k=lead.key: self.restore(k)).props(
                        "flat dense no-caps")
                elif view.status != STATUS_PROMOTED:
                    ui.button(tr("diag.dismiss"), on_click=lambda k=lead.key: self.ask_dismiss(k)).props(
                        "flat dense no-caps")
                    ui.button(tr("diag.promote"), on_click=lambda k=lead.key: self.ask_promote(k)).props(
                        "flat dense no-caps")

    async def restore(self, key: str) -> None:
        self.diagnostic.restore_lead(self.territory_id, key)
        await self.refresh()

    def ask_dismiss(self, key: str) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            reason = testid(ui.input(tr("diag.reason")).classes("w-full"), "dismiss-reason")
            error = ui.label().classes("phone-error")

            async def dismiss() -> None:
                try:
                    self.diagnostic.dismiss_lead(self.territory_id, key, reason.value)
                except Refused as refusal:
                    error.set_text(tr(refusal.key, **refusal.params))
                    return
                dialog.close()
                await self.refresh()

            with ui.row():
                testid(ui.button(tr("diag.dismiss"), on_click=dismiss), "dismiss-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    def ask_promote(self, key: str) -> None:
        tr = self.tr
        workshops = {w.id: f"{w.title} — {w.code}" for w in self.service.workshops(self.territory_id)}
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            ui.label(tr("diag.promote_to")).classes("font-bold")
            choice = ui.select(workshops, value=next(iter(workshops), None)).classes("w-full")

            async def promote() -> None:
                try:
                    idea = self.diagnostic.promote_lead(self.territory_id, key, choice.value)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                dialog.close()
                ui.notify(tr("diag.promoted_as", title=idea.title), type="positive")
                await self.refresh()

            with ui.row():
                testid(ui.button(tr("diag.promote"), on_click=promote), "promote-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()


def network_options(views: list[LeadView], names: dict[str, str], categories: dict[str, Any], dark: bool = False,
                    scale: float = 0.6) -> dict[str, Any]:
    """Actors as nodes, leads as links coloured by category (a mutualisation links each pair of its actors).

    The positions come from rules.network.layout: the same at every load, labels apart, every node inside the
    frame. `scale` is the chart's size over the frame's (its labels are sized for it, in pixels)."""
    shown = [v for v in views if not v.hidden]
    degree: dict[str, int] = {}
    pairs_seen: list[tuple[str, str, str]] = []
    for view in shown:
        lead = view.lead
        colour = categories[lead.category].colour if lead.category in categories else "#888888"
        keys = lead.actor_keys
        pairs = ([(p, r) for p in lead.providers for r in lead.receivers if p != r]
                 if lead.kind == LeadKind.SUBSTITUTION else
                 [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]])
        for a, b in pairs:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
            pairs_seen.append((a, b, colour))
    font = LABEL_FONT
    placed = network.layout([(k, names.get(k, k)) for k in degree], [(a, b) for a, b, _ in pairs_seen], font)
    label_px = max(11, round((next(iter(placed.values())).font if placed else font) * scale))
    links = [{"source": a, "target": b, "lineStyle": {"color": colour, "width": 3, "opacity": 0.8}}
             for a, b, colour in pairs_seen]
    nodes = [{"id": k, "name": names.get(k, k), "x": round(p.x, 1), "y": round(p.y, 1),
              # At most 30 frame units: the node stays within its cell, above its label (rules/network.py).
              "symbolSize": round((14 + 2 * min(degree[k], 8)) * scale),
              "label": {"show": True, "position": "bottom", "distance": 4,
                        "formatter": "\n".join(network.wrapped(names.get(k, k))),
                        # Light text on a dark outline: readable over any link or node colour.
                        "color": "#ffffff" if dark else "#111111", "fontSize": label_px, "fontWeight": "bold",
                        "textBorderColor": "#0b0f14" if dark else "#ffffff", "textBorderWidth": 3,
                        "lineHeight": round(label_px * network.LINE)}}
             for k, p in sorted(placed.items())]
    # Two invisible corners pin the frame: the chart maps the whole frame, not just the nodes' extent.
    nodes += [{"id": f"_corner{n}", "name": "", "x": x, "y": y, "symbolSize": 0, "label": {"show": False},
               "tooltip": {"show": False}, "silent": True}
              for n, (x, y) in enumerate(((0, 0), (network.WIDTH, network.HEIGHT)))]
    return {
        "backgroundColor": "transparent", "animation": False,
        "tooltip": {},
        "series": [{
            "type": "graph", "layout": "none", "roam": False, "draggable": False,
            "left": 0, "right": 0, "top": 0, "bottom": 0,
            "itemStyle": {"color": "#0b5cad" if not dark else "#ffd54f", "borderColor": "#0b0f14" if dark else "#fff",
                          "borderWidth": 2},
            "data": nodes, "links": links,
        }],
    }


LABEL_FONT = 26.0  # in the frame's units (rules.network.WIDTH wide)


def network_chart(views: list[LeadView], names: dict[str, str], categories: dict[str, Any], height: str,
                  dark: bool = False, scale: float = 0.6) -> ui.echart:
    options = network_options(views, names, categories, dark, scale)
    return ui.echart(options).style(f"height: {height}; width: 100%")


# --- SWOT (facilitator) --------------------------------------------------------------------------------------


class SwotConsole:
    def __init__(self, service: Service, diagnostic: Diagnostic, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        self.service = service
        self.diagnostic = diagnostic
        self.tr = tr
        self.language = language
        self.territory_id = territory_id
        self.rows: dict[int, ui.element] = {}
        self.selected: set[int] = set()

    def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_menu(self.territory_id, tr)
            Heading(tr("diag.swot")).classes("text-2xl font-bold")
            with ui.row().classes("console-row"):
                quadrant = testid(ui.select({q.value: tr(k) for q, k in QUADRANT_KEYS.items()},
                                            value=Quadrant.STRENGTHS.value).classes("w-48"), "swot-quadrant")
                text = testid(ui.input(tr("swot.item")).classes("w-96"), "swot-text")

                def add() -> None:
                    try:
                        self.diagnostic.add_swot_item(self.territory_id, quadrant.value, text.value)
                    except Refused as refusal:
                        show_refusal(refusal, self.language)
                        return
                    text.set_value("")

                testid(ui.button(tr("swot.add"), on_click=add), "swot-add")
                testid(ui.button(tr("console.merge"), on_click=self.ask_merge).props("outline"), "swot-merge")
            with ui.grid(columns=2).classes("w-full gap-4"):
                self.columns = {}
                for q, key in QUADRANT_KEYS.items():
                    with ui.card().classes("w-full"):
                        ui.label(tr(key)).classes("text-lg font-bold")
                        self.columns[q] = testid(ui.column().classes("w-full gap-1"), f"quadrant-{q.value}")
        for item in self.diagnostic.swot(self.territory_id):
            self.show(item)
        self.service.hub.swot_changed(self.territory_id).subscribe(self.show)

    def show(self, item: SwotItem) -> None:
        tr = self.tr
        row = self.rows.pop(item.id, None)
        if row is not None:
            row.delete()
        if item.merged_into is not None:
            self.selected.discard(item.id)
            return
        with self.columns[item.quadrant], ui.row().classes("console-row no-wrap w-full") as row:
            ui.checkbox(value=item.id in self.selected,
                        on_change=lambda e, i=item.id: (self.selected.add(i) if e.value else self.selected.discard(i)))
            text = item.text + (f" — {item.organisation}" if item.organisation else "")
            ui.label(text).classes("grow break-words" + (" line-through opacity-60" if item.hidden else ""))
            ui.button(tr("console.edit"), on_click=lambda i=item: self.ask_edit(i)).props("flat dense no-caps")
            testid(ui.button(tr("console.unhide") if item.hidden else tr("console.hide"),
                             on_click=lambda i=item: self.diagnostic.set_swot_hidden(i.id, not i.hidden)).props(
                "flat dense no-caps"), f"swot-hide-{item.id}")
        self.rows[item.id] = row

    def ask_edit(self, item: SwotItem) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            quadrant = ui.select({q.value: tr(k) for q, k in QUADRANT_KEYS.items()}, value=item.quadrant.value)
            text = ui.input(tr("swot.item"), value=item.text).classes("w-full")

            def save() -> None:
                try:
                    self.diagnostic.edit_swot_item(item.id, quadrant.value, text.value)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                dialog.close()

            with ui.row():
                ui.button(tr("phone.save"), on_click=save)
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    def ask_merge(self) -> None:
        tr = self.tr
        chosen = sorted(self.selected)
        if len(chosen) < 2:
            show_refusal(Refused("merge.too_few"), self.language)
            return
        with ui.dialog() as dialog, ui.card().classes("w-[32rem]"):
            text = ui.input(tr("swot.item")).classes("w-full")

            def merge() -> None:
                try:
                    self.diagnostic.merge_swot_items(chosen, text.value)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                self.selected.clear()
                dialog.close()

            with ui.row():
                ui.button(tr("console.merge"), on_click=merge)
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat")
        dialog.open()
