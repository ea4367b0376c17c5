"""People's data of a territory, for the facilitator: who left personal details (extension candidates, actors'
contacts, workshop participants), erasing them on request, and the trace of each erasure (who, when, what kind;
never what was erased). Erased details are gone from the database, so from every export too."""

from __future__ import annotations

import datetime

from nicegui import ui

from atelier.rules import Refused
from atelier.service import People, Service
from atelier.ui.common import (
    FacilitatorPage,
    open_facilitator_page,
    show_refusal,
    territory_heading,
    testid,
)

ERASURE_KINDS = {"candidat": "people.kind_candidate", "contact": "people.kind_contact",
                 "participant": "people.kind_participant"}


def register(service: Service) -> None:
    @ui.page("/animation/territoire/{territory_id}/donnees")
    def people_page(territory_id: int, lang: str | None = None) -> None:
        page = open_facilitator_page(service, lang, "people.title")
        if page:
            PeoplePage(service, page, territory_id).build()


class PeoplePage:
    def __init__(self, service: Service, page: FacilitatorPage, territory_id: int) -> None:
        self.service = service
        self.tr = page.tr
        self.language = page.language
        self.territory_id = territory_id
        self.session = page.session  # whose page this is: rights are checked again with it at each action

    def people(self) -> People | None:
        """Checked at each action: a page left open keeps no power its session lost."""
        try:
            return self.service.people(self.session)
        except Refused as refusal:
            show_refusal(refusal, self.language)
            return None

    def build(self) -> None:
        tr = self.tr
        with ui.column().classes("console gap-3"):
            territory_heading(self.territory_id, tr, tr("people.title"))
            ui.label(tr("people.help")).classes("text-gray-800")
            self.body = ui.column().classes("w-full gap-2")
        self.show()

    def show(self) -> None:
        people = self.people()
        if people is None:
            return
        tr = self.tr
        overview = people.overview(self.territory_id)
        self.body.clear()
        with self.body:
            self.section("people.candidates", "candidat",
                         [(c["id"], c["organisation"], " · ".join(x for x in (c["contact_name"], c["email"]) if x))
                          for c in overview.candidates])
            self.section("people.contacts", "contact",
                         [(c["actor_id"], c["actor"], " · ".join(x for x in (c["name"], c["role"], c["email"],
                                                                              c["phone"]) if x))
                          for c in overview.contacts])
            self.section("people.participants", "participant",
                         [(p["id"], p["workshop"], " · ".join(x for x in (p["name"], p["organisation"]) if x))
                          for p in overview.participants])
            ui.label(tr("people.erasures")).classes("text-xl font-bold mt-3").props('role=heading aria-level=2')
            with testid(ui.column().classes("w-full gap-0"), "erasures"):
                if not overview.erasures:
                    ui.label(tr("people.no_erasure")).classes("text-gray-700")
                for e in overview.erasures:
                    when = datetime.datetime.fromtimestamp(e["erased_at"]).strftime("%d/%m/%Y %H:%M")
                    ui.label(tr("people.erasure_line", when=when, kind=tr(ERASURE_KINDS.get(e["kind"], e["kind"])),
                                by=e["erased_by"])).classes("text-base")

    def section(self, title_key: str, kind: str,
                rows: list[tuple[int, str, str]]) -> None:
        tr = self.tr
        ui.label(tr(title_key, count=len(rows))).classes("text-xl font-bold mt-3").props('role=heading aria-level=2')
        with testid(ui.column().classes("w-full gap-0"), f"people-{kind}"):
            if not rows:
                ui.label(tr("people.none")).classes("text-gray-700")
            for subject_id, where, details in rows:
                with ui.row().classes("console-row w-full no-wrap border-b py-1"):
                    ui.label(where).classes("font-bold w-72")
                    ui.label(details).classes("grow min-w-0")
                    erase = testid(ui.button(tr("people.erase"), on_click=lambda s=subject_id, w=where, d=details:
                                             self.confirm(kind, s, f"{w} — {d}"))
                                   .props("flat no-caps color=negative"), f"erase-{kind}-{subject_id}")
                    # Named with whom it erases ("Effacer" alone, forty times, says nothing to a screen reader);
                    # set as a value, not through the props string, since a name may hold quotes.
                    erase.props["aria-label"] = tr("people.erase_who", who=where)

    def confirm(self, kind: str, subject_id: int, shown: str) -> None:
        tr = self.tr
        with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
            ui.label(tr("people.confirm", kind=tr(ERASURE_KINDS[kind]))).classes("text-lg font-bold")
            ui.label(shown)
            ui.label(tr("people.confirm_help")).classes("text-sm")

            def erase() -> None:
                people = self.people()
                if people is None:
                    return
                try:
                    {"candidat": people.erase_candidate, "contact": people.erase_actor_contact,
                     "participant": people.erase_participant}[kind](subject_id)
                except Refused as refusal:
                    show_refusal(refusal, self.language)
                    return
                dialog.close()
                ui.notify(tr("people.erased"), type="positive")
                self.show()

            with ui.row():
                testid(ui.button(tr("people.erase"), on_click=erase).props("color=negative no-caps"), "erase-confirm")
                ui.button(tr("phone.cancel"), on_click=dialog.close).props("flat no-caps")
        dialog.open()
