"""The console's small panel of what participants may do in one workshop: read and support the others' ideas,
take part anonymously, and pre-moderation. Defaults come from the template's `[reglages]`; a change here is
stored and reaches the open phones at once (the hub's `workshop_changed`)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from atelier.models import Workshop
from atelier.service import Facilitation, Service
from atelier.ui.common import testid

# Setting -> (label key, explanation key). The order is the panel's.
PARTICIPATION = {
    "peer_ideas": ("settings.peer_ideas", "settings.peer_ideas_help"),
    "anonymous": ("settings.anonymous", "settings.anonymous_help"),
    "premoderation": ("settings.premoderation", "settings.premoderation_help"),
}


class WorkshopSettingsPanel:
    def __init__(self, service: Service, workshop: Workshop, tr: Callable[..., str],
                 act: Callable[[Callable[[Facilitation], object]], object | None]) -> None:
        self.workshop = workshop
        self.act = act
        self.switches: dict[str, ui.switch] = {}
        with testid(ui.expansion(tr("settings.participation")).classes("w-full"), "participation-settings"):
            for key, (label, help_key) in PARTICIPATION.items():
                with ui.column().classes("gap-0"):
                    self.switches[key] = testid(
                        ui.switch(tr(label), value=getattr(workshop.settings, key),
                                  on_change=lambda e, k=key: self.change(k, e.value)), f"setting-{key}")
                    ui.label(tr(help_key)).classes("text-sm text-gray-700 ml-12")
        service.hub.workshop_changed(workshop.id).subscribe(self.show)

    def change(self, key: str, value: bool) -> None:
        if getattr(self.workshop.settings, key) == value:
            return  # the switch was set from the stored value (another console's change), not by a click
        changed = self.act(lambda f: f.set_participation(self.workshop.id, **{key: value}))
        if changed is None:  # refused (and said): the switch goes back to what is stored
            self.switches[key].set_value(getattr(self.workshop.settings, key))

    def show(self, workshop: Workshop) -> None:
        self.workshop = workshop
        for key, switch in self.switches.items():
            if switch.value != getattr(workshop.settings, key):
                switch.set_value(getattr(workshop.settings, key))
