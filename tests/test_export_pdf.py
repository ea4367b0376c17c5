"""The action plan as a PDF: French characters, escaped markup, honest empty plan, a large workshop."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pypdf
import pytest

from atelier.exports.model import ActionPlan, PlanIdea, PlanSwotItem
from atelier.exports.pdf import plan_pdf
from atelier.exports.sample import large_plan, sample_plan

FRENCH = "é è à ç œ € « » ’"
INJECTION = "<img src=x onerror=alert(1)>"


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def _text(pdf: bytes) -> str:
    """All the text, whitespace folded so that a sentence broken across lines still matches."""
    return re.sub(r"\s+", " ", " ".join(_pages(pdf)).replace("\u00a0", " "))


def _has(text: str, needle: str) -> bool:
    return re.sub(r"\s+", " ", needle.replace("\u00a0", " ")) in text


@pytest.fixture(scope="module")
def plan() -> ActionPlan:
    base = sample_plan()
    ideas = (*base.ideas, PlanIdea(title=INJECTION, details="", category="Énergie", organisation="Mairie & Cie",
                                   group="", is_group=False, hidden=False),
             PlanIdea(title="Idée masquée par l’animation", details="", category="Énergie", organisation="",
                      group="", is_group=False, hidden=True))
    swot = (*base.swot, PlanSwotItem("Forces", f"Caractères : {FRENCH}"))
    return replace(base, ideas=ideas, swot=swot)


@pytest.fixture(scope="module")
def text(plan: ActionPlan) -> str:
    return _text(plan_pdf(plan))


def test_valid_a4_pdf(plan: ActionPlan) -> None:
    pdf = plan_pdf(plan)
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "Plan d’action" in (reader.metadata.title or "")


def test_same_plan_same_bytes(plan: ActionPlan) -> None:
    assert plan_pdf(plan) == plan_pdf(plan)


def test_fonts_are_embedded(plan: ActionPlan) -> None:
    """Every character drawn comes from an embedded TrueType font (Vera), none from a non-embedded base-14 font."""
    reader = pypdf.PdfReader(io.BytesIO(plan_pdf(plan)))
    used: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        content = page.get_contents().get_data()
        for match in re.finditer(rb"/(\S+) [\d.]+ Tf(.*?)(?=/\S+ [\d.]+ Tf|\Z)", content, re.S):
            if b"Tj" in match.group(2) or b"TJ" in match.group(2):
                font = fonts["/" + match.group(1).decode()].get_object()
                used.add(str(font["/BaseFont"]))
                assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert any("Vera" in name for name in used)


def test_title_page(plan: ActionPlan) -> None:
    first = re.sub(r"\s+", " ", _pages(plan_pdf(plan))[0])
    for needle in ("Plan d’action", plan.territory, plan.workshop, "26 novembre 2026", "23 participants",
                   "21 votants", "Scierie Dumas", "Épicerie « Le Panier »", "facilité ≥ 4, impact ≥ 3"):
        assert _has(first, needle), needle
    assert "page 1 / " in first


def test_french_characters(text: str) -> None:
    assert _has(text, FRENCH)
    for char in FRENCH.split():
        assert char in text, char


def test_contents(plan: ActionPlan, text: str) -> None:
    fruit = plan.low_hanging_fruit[0]
    dropped = plan.not_selected[0]
    group = plan.working_group_actions[0]
    for needle in (
        plan.territory, fruit.title, group.title, fruit.fruit_reason, dropped.title, dropped.unselection_reason,
        "Fruits à portée de main (2)", "Actions en groupe de travail (4)", "Actions non retenues (2)",
        "Matrice impact × facilité", "Projets structurants", "Actions simples", "À reconsidérer",
        "impact médian 4/5 (moyenne 4,17 ; répartition 0-1-2-5-4)", "12 notes",
        "Prochaine étape : Réunir les acteurs", "responsable Hélène Dumas — échéance 15 janvier 2027",
        "Matrice FFOM", "Des acteurs qui se connaissent", "=Fermeture de la laiterie", "Plan alimentaire territorial",
        "Pistes issues des entretiens", "Ils achètent déjà ensemble", "Idées de l’atelier", plan.ideas[0].title,
        "Mairie & Cie", "Réunions du groupe de travail", "12 janvier 2027 à 18 h 30",
    ):
        assert _has(text, needle), needle


def test_markup_printed_literally(text: str) -> None:
    assert INJECTION in text


def test_hidden_ideas_left_out(text: str) -> None:
    assert "Idée masquée par l’animation" not in text
    assert "Idée 7 :" not in text  # sample idea 7 is hidden


def test_line_breaks_kept(plan: ActionPlan) -> None:
    pages = _pages(plan_pdf(plan))
    assert any(re.search(r"Ligne 1\s*\n\s*Ligne 2", page) for page in pages)


def test_points_mode(plan: ActionPlan) -> None:
    points = replace(plan, vote_mode="points", actions=tuple(replace(a, points=7) for a in plan.actions))
    assert "7 points" in _text(plan_pdf(points))


def test_empty_plan_is_honest() -> None:
    empty = replace(sample_plan(), actions=())
    pdf = plan_pdf(empty)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Aucune action n’a encore été retenue pour cet atelier." in text
    assert empty.territory in text
    assert "Des acteurs qui se connaissent" in text  # the SWOT is still there
    assert "Idée 1 :" in text  # and the ideas
    assert "Fruits à portée de main (" not in text


def test_nothing_at_all() -> None:
    bare = replace(sample_plan(), actions=(), ideas=(), swot=(), leads=(), meetings=(), organisations=())
    text = _text(plan_pdf(bare))
    assert "Aucune action n’a encore été retenue pour cet atelier." in text


def test_nothing_selected_yet() -> None:
    base = sample_plan()
    plan = replace(base, actions=tuple(replace(a, selected=False) for a in base.actions))
    text = _text(plan_pdf(plan))
    assert "Aucune action n’a encore été retenue pour cet atelier." in text
    assert "Actions non retenues (8)" in text


def test_odd_data_does_not_break() -> None:
    """Characters outside the font, control characters, no grades, a text longer than a page."""
    base = sample_plan(actions=3, ideas=2)
    odd = "Narrow\u202fspace, tiret\u2011insécable, flèche → ok, emoji 🙂, contrôle \x07 fin"
    long_text = "Très long texte « à rallonge » ; " * 700
    actions = (replace(base.actions[0], title=odd, impact_mean=None, ease_mean=None, impact_median=None,
                       ease_median=None, category_colour="red", description=long_text),
               *base.actions[1:])
    ideas = (replace(base.ideas[0], title=long_text), *base.ideas[1:])
    plan = replace(base, actions=actions, ideas=ideas, swot=(PlanSwotItem("Menaces", long_text[:8000]),),
                   territory="Territoire <b>&amp;</b>", date="pas une date")
    text = _text(plan_pdf(plan))
    assert "Narrow space, tiret-insécable, flèche -> ok, emoji 🙂, contrôle fin" in text
    assert "Territoire <b>&amp;</b>" in text
    assert "pas de note" in text
    assert "sans note n’apparaît pas sur la matrice" in text


def test_large_plan_has_many_pages() -> None:
    plan = large_plan()
    pdf = plan_pdf(plan)
    pages = _pages(pdf)
    assert len(pages) > 1
    assert f"page {len(pages)} / {len(pages)}" in pages[-1]
    text = _text(pdf)
    assert plan.actions[-1].title in text
    assert plan.ideas[-1].title in text


def test_emoji_are_drawn_never_question_marks() -> None:
    """Emoji in titles, descriptions, organisations and the territory: drawn with the embedded OpenMoji font where
    a paragraph holds them, dropped cleanly where only Vera draws (footer); an emoji the font lacks is dropped too."""
    from atelier.exports.pdf.text import _EMOJI_RANGES, _emoji

    unknown = next(chr(c) for low, high in _EMOJI_RANGES if low > 0x1F000 for c in range(low, high + 1)
                   if c not in _emoji())
    base = sample_plan()
    first = replace(base.actions[0], title="Compost partagé ♻️🌱🍎 avec les écoles",
                    description=f"Vélo 🚲 et réparation 🔧 ; nouveauté {unknown} fin")
    plan = replace(base, actions=(first, *base.actions[1:]), territory="Haut-Vallon 🌄",
                   organisations=("Ferme 🐄 du Pré", *base.organisations))
    pdf = plan_pdf(plan)
    text = _text(pdf)
    assert "?" not in text  # no text of this plan holds a question mark: an emoji never becomes one
    assert _has(text, "Compost partagé ♻🌱🍎 avec les écoles")  # drawn, and copied out as themselves
    assert _has(text, "Vélo 🚲 et réparation 🔧 ; nouveauté fin")  # the one the font lacks left no trace
    assert _has(text, "Ferme 🐄 du Pré")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {str(f.get_object()["/BaseFont"]): f.get_object() for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    emoji = [font for name, font in fonts.items() if "OpenMoji" in name]
    assert emoji and all("/FontFile2" in font["/FontDescriptor"] for font in emoji)  # embedded
    footer = _pages(pdf)[1]
    assert "Haut-Vallon" in footer and "?" not in footer


def _lowest_body_text(page: pypdf.PageObject) -> float:
    """The height (points from the page's bottom) of the lowest text above the footer."""
    heights: list[float] = []

    def visit(text: str, cm: list, tm: list, font: object, size: object) -> None:
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > 66:  # the footer is drawn at 51 pt
            heights.append(y)

    page.extract_text(visitor_text=visit)
    return min(heights) if heights else 842.0


@pytest.mark.parametrize("make", [sample_plan, large_plan], ids=["sample", "60-actions-300-ideas"])
def test_pages_are_filled_and_no_table_row_stands_alone(make: object) -> None:
    """No page but the cover and the last ends with more than a quarter of its height blank (some had 30–40 %),
    and every page of the ideas' annex holds at least two ideas (a single row alone on a page read as an error)."""
    reader = pypdf.PdfReader(io.BytesIO(plan_pdf(make())))
    frame_bottom, frame_height = 51 + 22.7, 842 - 2 * 51 - 22.7
    for number, page in enumerate(reader.pages[1:-1], start=2):
        blank = (_lowest_body_text(page) - frame_bottom) / frame_height
        assert blank < 0.27, f"page {number}: {blank:.0%} blank at the bottom"
    texts = _pages(plan_pdf(make()))
    annex = next(n for n, text in enumerate(texts) if "Annexe — Idées de l’atelier" in text)
    for number, text in enumerate(texts[annex:], start=annex + 1):
        assert len(re.findall(r"Idée \d+ :", text)) >= 2, f"page {number}"


def test_a_split_table_keeps_two_rows_on_each_side() -> None:
    from reportlab.platypus import Paragraph

    from atelier.exports.pdf.layout import TEXT_WIDTH, _table
    from atelier.exports.pdf.text import _styles

    rows = [[Paragraph(f"Idée {n}", _styles()["cell"])] for n in range(1, 11)]
    table = _table(("Idée",), rows, [TEXT_WIDTH])
    _, height = table.wrap(TEXT_WIDTH, 10_000)
    row = height / 11
    for room in (row * 1.5, row * 2.5, row * 9.5, row * 10.5):  # header + 0, 1, 8 or 9 rows would fit
        parts = table.split(TEXT_WIDTH, room)
        if parts:
            assert len(parts) == 2
            assert all(len(part._cellvalues) - 1 >= 2 for part in parts), room


def test_matrix_is_the_rules_own(plan: ActionPlan) -> None:
    """Lines at the thresholds (between grades), a diamond for each fruit by the rule's verdict and for no other
    action, each mark within its medians' grade."""
    from reportlab.graphics.shapes import Circle, Line, Polygon, String

    from atelier.exports.pdf import matrix as pdf

    found = pdf._matrix(plan)
    assert found is not None
    drawing, _ = found
    shapes = drawing.contents
    texts = [s.text for s in shapes if isinstance(s, String)]
    assert f"facilité ≥ {plan.ease_min}" in texts and f"impact ≥ {plan.impact_min}" in texts
    assert "Fruits à portée de main" not in texts  # a quadrant is not a verdict
    dashed = [s for s in shapes if isinstance(s, Line) and s.strokeDashArray]
    assert len(dashed) == 2
    rated = [a for a in plan.actions if a.impact_median is not None and a.ease_median is not None]
    diamonds = [s for s in shapes if isinstance(s, Polygon)][:-1]  # the last one is the legend's
    assert len(diamonds) == sum(1 for a in rated if a.low_hanging_fruit) >= 1
    marks = diamonds + [s for s in shapes if isinstance(s, Circle) and s.r == 7.0]
    assert len(marks) == len(rated)
    vertical, horizontal = sorted(dashed, key=lambda line: line.x1 != line.x2)
    fruit_centres = [(d.points[0], d.points[3]) for d in diamonds]
    for x, y in fruit_centres:  # fruits are at least at the thresholds: right of and above the lines
        assert x > vertical.x1 and y > horizontal.y1
