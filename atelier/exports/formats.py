"""Every export of the action plan by name: the console's buttons and `atelier export` use this one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from atelier.exports.model import ActionPlan
from atelier.rules.actors import slug


@dataclass(frozen=True)
class ExportFormat:
    label: str
    extension: str
    make: Callable[[ActionPlan], bytes]


def _pdf(plan: ActionPlan) -> bytes:
    from atelier.exports.pdf import plan_pdf  # reportlab loads only when a PDF is asked for

    return plan_pdf(plan)


def _xlsx(plan: ActionPlan) -> bytes:
    from atelier.exports.tables import plan_xlsx

    return plan_xlsx(plan)


def _ods(plan: ActionPlan) -> bytes:
    from atelier.exports.tables import plan_ods

    return plan_ods(plan)


def _csv(plan: ActionPlan) -> bytes:
    from atelier.exports.tables import plan_csv

    return plan_csv(plan, delimiter=";")


def _markdown(plan: ActionPlan) -> bytes:
    from atelier.exports.markdown import plan_markdown

    return plan_markdown(plan).encode("utf-8")


def _ics(plan: ActionPlan) -> bytes:
    from atelier.exports.calendar import meetings_ics

    return meetings_ics(plan)


def _decidim(plan: ActionPlan) -> bytes:
    from atelier.exports.decidim import decidim_results_csv

    return decidim_results_csv(plan)


FORMATS: dict[str, ExportFormat] = {
    "pdf": ExportFormat("PDF", "pdf", _pdf),
    "xlsx": ExportFormat("XLSX", "xlsx", _xlsx),
    "ods": ExportFormat("ODS", "ods", _ods),
    "csv": ExportFormat("CSV (;)", "csv", _csv),
    "md": ExportFormat("Compte rendu (Markdown)", "md", _markdown),
    "ics": ExportFormat("Réunions (iCalendar)", "ics", _ics),
    "decidim": ExportFormat("Decidim (résultats)", "decidim.csv", _decidim),
}


def render(plan: ActionPlan, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and its name."""
    spec = FORMATS[fmt]
    return spec.make(plan), f"plan-{slug(plan.workshop)}-{plan.workshop_code}.{spec.extension}"
