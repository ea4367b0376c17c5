"""What the end-to-end tests do in a browser before the part they test."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page


def log_in(page: Page, base_url: str, secret: str) -> None:
    """A facilitator types their code on the login page: it lands on the console."""
    page.goto(f"{base_url}/connexion")
    page.get_by_test_id("secret").fill(secret)
    page.get_by_test_id("login").click()
    page.wait_for_url("**/animation")


def open_section(page: Page, title: str) -> None:
    """Opens an expansion and waits for its slide to end: a file chosen within the 300 ms slide makes the preview
    appear while the section is still moving, and Playwright's click can land where the button was a frame ago
    (seen once in 4 runs). A person does not upload that fast."""
    page.get_by_text(title).click()
    page.wait_for_function("""title => [...document.querySelectorAll('.q-expansion-item')]
        .filter(item => item.textContent.includes(title))
        .every(item => item.getAnimations({subtree: true}).length === 0)""", arg=title)


def phone_sends_a_threat(browser: Browser, base_url: str, code: str, text: str) -> Page:
    """A phone joins a SWOT workshop in its SWOT phase and sends `text` as a threat (« Menaces »)."""
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{base_url}/j/{code}")
    phone.get_by_test_id("name").fill("Inès")
    phone.get_by_test_id("organisation").fill("Boulangerie Roux")
    phone.get_by_test_id("join").tap()
    phone.get_by_role("button", name=re.compile("Menaces", re.I)).tap()
    phone.get_by_test_id("swot-text").fill(text)
    phone.get_by_test_id("swot-send").tap()
    return phone
