"""The facilitator's actors of a territory (table, import and export) and each actor's interview sheet."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from nicegui import events, run, ui

from atelier.imports.actors_table import ImportPreview, actors_to_csv, actors_to_ods, actors_to_xlsx
from atelier.imports.limits import MAX_UPLOAD_BYTES
from atelier.models import ActorKind, ActorStatus, Interview, InterviewItem
from atelier.rules import Refused
from atelier.service import Diagnostic, Service
from atelier.ui.common import TerritoryPage, browser_id, show_refusal, territory_heading, testid


def kind_labels(tr: Callable[..., str]) -> dict[str, str]:
    """The kinds of actor in the page's language (KIND_LABELS stays the French of files and exports)."""
    return {k.value: tr(f"kind.{k.value}") for k in ActorKind}


# --- actors ------------------------------------------------------------------------------------------------


class ActorsPage(TerritoryPage):
    def __init__(self, service: Service, diagnostic: Diagnostic, tr: Callable[..., str], language: str,
                 territory_id: int) -> None:
        super().__init__(service, diagnostic, tr, language, territory_id)
        self.preview: ImportPreview | None = None

    def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_heading(self.territory_id, tr, tr("diag.actors"))
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
        self.categories = {c.key: c.in_language(self.language).label
                           for c in self.diagnostic.service.categories(territory_id)}
        interview, self.version = self.diagnostic.interview(self.actor_id)
        with ui.column().classes("console gap-3"):
            territory_heading(territory_id, tr, f"{actor.name} — {tr('kind.' + actor.kind.value)}")
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
