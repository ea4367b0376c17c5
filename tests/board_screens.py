"""What the end-to-end tests of the projected board share: the two screen sizes, the legible floor, and the checks
a person makes looking at a board (never scrolled, nothing cut), before each screenshot is kept for the eye."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

SIZES = [(1280, 720), (1920, 1080)]
FLOOR = {720: 24, 1080: 32}  # idea titles at least this many pixels (issue 9)
NETWORK_LABEL_FLOOR = 22  # the network's actor names, in pixels, on any board size
NETWORK_LABEL_SIZES = """() => getElement(document.querySelector('.network-slot .nicegui-echart').id.slice(1))
    .chart.getOption().series[0].data.filter(n => n.label && n.label.show).map(n => n.label.fontSize)"""

NO_SCROLL = """() => [document.documentElement.scrollWidth <= window.innerWidth,
                     document.documentElement.scrollHeight <= window.innerHeight,
                     document.body.scrollWidth <= window.innerWidth]"""

# Text on the board that the screen's edge, or a box that hides its overflow, cuts: each element holding text,
# shown, must lie inside the window and inside every clipping box around it, and show all its text.
CUT_TEXT = """() => {
  const w = window.innerWidth, h = window.innerHeight, cut = [];
  document.querySelectorAll('.board *').forEach(el => {
    if (el.closest('.wall-measure, .board-title')) return;  // the measuring probe; a long workshop title ellipses
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') return;
    let out = r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1
      || el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    for (let a = el.parentElement; a && !out && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflow === 'visible') continue;
      const b = a.getBoundingClientRect();
      out = r.left < b.left - 1 || r.top < b.top - 1 || r.right > b.right + 1 || r.bottom > b.bottom + 1;
    }
    if (out) cut.push(el.textContent.trim().slice(0, 60));
  });
  return cut;
}"""


def open_boards(browser: Browser, url: str) -> list[Page]:
    """The board at each size, as two projectors would show it."""
    pages = []
    for width, height in SIZES:
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(url)
        pages.append(page)
    return pages


def shoot(boards: list[Page], artifacts: Path, name: str) -> None:
    """Looked at as a person would: nothing scrolled, no text cut; the screenshot is kept (taken first, so that a
    failure leaves the picture of what was wrong)."""
    for board, (width, height) in zip(boards, SIZES, strict=True):
        board.wait_for_timeout(300)  # the fit to the screen settles
        board.screenshot(path=artifacts / f"board-{name}-{width}x{height}.png")
        assert board.evaluate(NO_SCROLL) == [True, True, True], f"{name} {width}×{height}"
        assert board.evaluate(CUT_TEXT) == [], f"{name} {width}×{height}"
