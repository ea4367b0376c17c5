"""The selected actions as a CSV that Decidim's accountability component imports as results.

A territory that runs a Decidim (many French communities do) publishes its action plan there and follows its
progress in public: admin panel, the accountability component, "Import" then "Import from a CSV".

Columns, as documented and as the importer reads them:

- Decidim's admin guide, "Import results" (repository decidim/documentation,
  docs/en/modules/admin/pages/components/accountability/import.adoc; docs.decidim.org, admin, components,
  accountability, "Import results"): the columns an admin may change are `category/id`, `scope/id`, `parent/id`,
  `title/<locale>`, `description/<locale>`, `start_date` and `end_date` (YYYY-MM-DD), `status/id`, `progress`
  (0 to 100) and `proposals_ids`; the file is otherwise the component's own results export, whose first column is
  `id` (decidim/decidim, decidim-accountability/lib/decidim/accountability/result_serializer.rb).
- The importer (decidim/decidim, decidim-accountability/app/services/decidim/accountability/results_csv_importer.rb)
  reads it with Ruby's `CSV.new(file, headers: true, col_sep: Decidim.default_csv_col_sep)`, whose default is `;`
  (decidim-core/lib/decidim/core.rb, `DECIDIM_DEFAULT_CSV_COL_SEP`); an empty `id` creates a result, a known one
  updates it; `title/<locale>` and `description/<locale>` of the organisation's other languages fall back to its
  default locale's; every other header goes to the result form as it is, which since Decidim 0.28 also takes
  `weight` and `external_id` (decidim-accountability/app/forms/decidim/accountability/admin/result_form.rb).

What this file puts in them:

- `id`, `category/id`, `scope/id`, `parent/id`, `status/id`, `proposals_ids`: empty. They are ids that the
  territory's Decidim assigns; atelier cannot know them. The admin sets category and status on Decidim afterwards.
- `title/fr`: the action's title. `description/fr`: HTML, as Decidim's rich-text field holds it, with every text
  escaped (`<img onerror=…>` stays text): the description, then category, horizon, pilot, the next step and its due
  date. The person responsible for the next step is left out: the page is public, and `ActionPlan` only promises
  organisations there.
- `start_date`: the workshop's date, when the action was decided; `end_date`: the next step's due date. Both only
  when the next step has a due date, and ISO (YYYY-MM-DD), which Ruby's `Date.parse` reads.
- `progress`: 0 (nothing is done yet on the evening of the workshop). `weight`: the action's rank, so Decidim lists
  them in the plan's order. `external_id`: `atelier-<workshop code>-<action id>`, stable across exports.

No byte-order mark: the importer reads the first header as written, and a BOM would turn `id` into `\\ufeffid`.
Formula injection: the file is meant to be opened in a spreadsheet first, so a title beginning with `=`, `+`, `-`,
`@` or a tab gets the OWASP `'` like every atelier CSV; Decidim then shows the apostrophe, which the admin removes
if the title really begins so.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date

from atelier.exports.model import ActionPlan, PlanAction
from atelier.imports.actors_table import clean_export, csv_cell

__all__ = ["DECIDIM_COLUMNS", "LOCALE", "decidim_results_csv", "external_id"]

LOCALE = "fr"
DECIDIM_COLUMNS = ("id", "category/id", "scope/id", "parent/id", f"title/{LOCALE}", f"description/{LOCALE}",
                   "start_date", "end_date", "status/id", "progress", "proposals_ids", "weight", "external_id")


def _text(value: str) -> str:
    return clean_export(value).strip()


def external_id(plan: ActionPlan, action: PlanAction) -> str:
    return f"atelier-{plan.workshop_code}-{action.id}"


def _iso(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


def _html(text: str) -> str:
    """Plain text as Decidim's rich text: a paragraph per blank-line block, <br> for the other line breaks."""
    blocks = [block.strip() for block in _text(text).split("\n\n")]
    return "".join("<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>"
                   for block in blocks if block)


def _description(action: PlanAction) -> str:
    facts = [("Catégorie", action.category), ("Horizon", action.horizon), ("Pilote", action.pilot)]
    if action.low_hanging_fruit:
        facts.append(("Fruit à portée de main", action.fruit_reason))
    if action.next_step:
        due = _iso(action.next_step_due)
        when = f" (pour le {date.fromisoformat(due):%d/%m/%Y})" if due else ""
        facts.append(("Prochaine étape", action.next_step + when))
    parts = [_html(action.description)]
    listed = "".join(f"<li><strong>{label} :</strong> {html.escape(_text(value))}</li>"
                     for label, value in facts if _text(value))
    if listed:
        parts.append(f"<ul>{listed}</ul>")
    return "".join(parts) or f"<p>{html.escape(_text(action.title))}</p>"


def decidim_results_csv(plan: ActionPlan, delimiter: str = ";") -> bytes:
    """The selected actions, one result each, in the plan's order; UTF-8 without BOM, CRLF row ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(DECIDIM_COLUMNS)
    for action in plan.actions:
        if not action.selected:
            continue
        due = _iso(action.next_step_due)
        start = _iso(plan.date) if due else ""
        if start and start > due:
            start = due  # a due date before the workshop is a typing slip; Decidim would show the result ending first
        row = {
            f"title/{LOCALE}": csv_cell(_text(action.title)),
            f"description/{LOCALE}": csv_cell(_description(action)),
            "start_date": start,
            "end_date": due,
            "progress": "0",
            "weight": str(action.rank),
            "external_id": csv_cell(external_id(plan, action)),
        }
        writer.writerow([row.get(column, "") for column in DECIDIM_COLUMNS])
    return out.getvalue().encode("utf-8")
