"""The console's watch over who joins: the participant cap (settable, warned near it) and identities created in bulk
from one address, whose votes the facilitator can exclude."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Workshop
from atelier.service import Facilitation, Service
from atelier.ui.common import testid

CAP_WARNING_SHARE = 0.9  # the console warns from 90 % of the cap
BULK_REFRESH_SECONDS = 2.0  # joins come in bursts: the bulk flags are read again at most this often


class RoomWatch:
    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str],
                 act: Callable[[Callable[[Facilitation], object]], object | None]) -> None:
        self.service = service
        self.workshop = workshop
        self.tr = tr
        self.act = act  # runs a facilitator use case through the console (session checked, refusals shown)
        self.count = 0
        self._refresh_pending = False

    def build(self) -> None:
        tr = self.tr
        with ui.column().classes("w-full gap-1") as self.area:
            with ui.row().classes("items-end gap-2"):
                self.cap = testid(ui.number(tr("participants.cap"), value=self.workshop.settings.max_participants,
                                            min=1, step=10, format="%d").classes("w-40"), "cap")
                testid(ui.button("OK", on_click=self.save_cap).props("outline dense"), "cap-save")
            self.warning = testid(ui.label().classes("phone-error text-sm"), "cap-warning")
            self.bulk = testid(ui.column().classes("w-full gap-1"), "bulk")
        hub = self.service.hub
        hub.workshop_changed(self.workshop.id).subscribe(self.on_workshop)
        hub.participant_count_changed(self.workshop.id).subscribe(self.on_count)
        self.on_count(self.service.participant_count(self.workshop.id))
        self.show_bulk()

    def save_cap(self) -> None:
        self.act(lambda f: f.set_participant_cap(self.workshop.id, self.cap.value))

    def on_workshop(self, workshop: Workshop) -> None:
        self.workshop = workshop
        if self.cap.value != workshop.settings.max_participants:
            self.cap.set_value(workshop.settings.max_participants)
        self.show_warning()

    def on_count(self, count: int) -> None:
        self.count = count
        self.show_warning()
        if not self._refresh_pending:
            self._refresh_pending = True
            with self.area:
                ui.timer(BULK_REFRESH_SECONDS, self.show_bulk, once=True)

    def show_warning(self) -> None:
        cap = self.workshop.settings.max_participants
        near = self.count >= CAP_WARNING_SHARE * cap
        self.warning.set_text(self.tr("participants.cap_near", count=self.count, max=cap) if near else "")

    def show_bulk(self) -> None:
        self._refresh_pending = False
        tr = self.tr
        self.bulk.clear()
        with self.bulk:
            for flag in self.service.bulk_origins(self.workshop.id):
                with testid(ui.card().classes("w-full gap-1"), f"bulk-{flag.origin}"):
                    ui.label(tr("participants.bulk", count=flag.identities, origin=flag.origin)).classes("text-sm")
                    if flag.votes_excluded:
                        ui.label(tr("participants.excluded")).classes("text-sm font-bold")
                    testid(ui.button(tr("participants.include" if flag.votes_excluded else "participants.exclude"),
                                     on_click=lambda o=flag.origin, x=not flag.votes_excluded: self.exclude(o, x))
                           .props("outline dense no-caps"), f"exclude-{flag.origin}")

    def exclude(self, origin: str, excluded: bool) -> None:
        self.act(lambda f: f.exclude_votes(self.workshop.id, origin, excluded))
        self.show_bulk()
