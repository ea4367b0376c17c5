"""The facilitator's login page: a code typed in the form, or a one-time link printed in the terminal."""

from __future__ import annotations

import html

from fastapi.responses import HTMLResponse, RedirectResponse
from nicegui import app, ui

from atelier.i18n import t
from atelier.rules import Refused
from atelier.rules.limits import seconds_to_say
from atelier.service import Service
from atelier.service.access import SessionEnded
from atelier.ui.common import (
    LOGIN_PATH,
    SESSION_KEY,
    Heading,
    client_address,
    page_language,
    setup_page,
    testid,
    translator,
)


def register(service: Service) -> None:
    @ui.page(LOGIN_PATH)
    def login_page(jeton: str | None = None, motif: str | None = None,
                   lang: str | None = None) -> RedirectResponse | HTMLResponse | None:
        language = page_language(lang)
        tr = translator(language)
        address = client_address()
        wait = 0.0 if jeton else service.login_wait(address)
        if wait > 0:  # held back: a few bytes, not a page and its socket, for a script that keeps reloading
            return held_back(language, wait)
        storage = app.storage.user  # this browser's: written after the code is checked, off the page's request
        message = tr(SessionEnded.key) if motif == "fin" else ""
        if jeton:  # the one-time link printed in the terminal: straight to the console, as an HTTP redirect
            try:
                storage[SESSION_KEY] = service.log_in_with_link(jeton, address)
                return RedirectResponse("/animation", status_code=303)
            except Refused as refusal:
                message = tr(refusal.key, **refusal.params)
        setup_page(tr("login.title"), language)

        async def attempt() -> None:
            if not button.enabled:  # a check under way (Enter in the field reaches here too)
                return
            button.disable()
            try:
                # The code is checked in a worker thread (scrypt is slow on purpose): phones keep their loop.
                session_id = await service.log_in_off_loop(field.value, address)
            except Refused as refusal:
                error.set_text(tr(refusal.key, **refusal.params))
                field.set_value("")
                # Held back or not, the button stays usable: a held-back try is refused before any hashing, at the
                # cost of one event (measured: a client reloading the page instead cost the room far more).
                button.enable()
                return
            button.enable()
            storage[SESSION_KEY] = session_id
            ui.navigate.to("/animation")

        with ui.column().classes("console gap-3").style("max-width: 480px"):
            Heading(tr("login.title")).classes("text-2xl font-bold")
            field = testid(ui.input(tr("login.secret"), password=True).classes("w-full"), "secret")
            field.on("keydown.enter", attempt)
            error = testid(ui.label(message).classes("phone-error"), "status")
            button = testid(ui.button(tr("login.submit"), on_click=attempt), "login")
            ui.label(tr("login.help")).classes("text-sm text-gray-700")
        return None


def held_back(language: str, wait: float) -> HTMLResponse:
    seconds = seconds_to_say(wait)
    message = html.escape(t("auth.too_many", language, seconds=seconds) + " " + t("auth.use_link", language))
    return HTMLResponse(f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width">'
                        f'<title>atelier</title><p data-testid="status">{message}</p></html>',
                        status_code=429, headers={"Retry-After": str(seconds)})
