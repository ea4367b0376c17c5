"""The selected actions as a CSV that Decidim's accountability component imports as results.

A territory that runs a Decidim (many French communities do) publishes its action plan there and follows its
progress in public: admin panel, the accountability component, "Import" then "Import from a CSV" (README, "Publier
le plan sur Decidim").

Columns, checked against Decidim's own code (decidim/decidim, decidim-accountability):

- app/controllers/decidim/accountability/admin/import_results_controller.rb reads the upload as UTF-8 and hands it
  to app/services/decidim/accountability/results_csv_importer.rb, which parses it with
  `CSV.new(file, headers: true, col_sep: Decidim.default_csv_col_sep)` (`;` by default) and reads, per row:
  `id` (a known one updates that result, empty creates one), `title/<locale>` and `description/<locale>` (the
  organisation's other locales fall back to its default locale's), `category/id`, `status/id`, `proposal_urls`,
  `start_date` and `end_date` (Ruby's `Date.parse`, so ISO YYYY-MM-DD), and `parent/id`.
- Every other header goes to `Admin::ResultForm` as it is (app/forms/decidim/accountability/admin/result_form.rb):
  the form keeps only its own attributes (decidim-core/lib/decidim/attribute_object/model.rb, "Only pass the
  existing attribute keys"), of which `progress` (0 to 100), `weight` and `external_id` are stored
  (app/commands/decidim/accountability/admin/create_imported_result.rb). Headers it does not know are ignored.
- lib/decidim/accountability/result_serializer.rb (the component's own export) names the status `status/id`,
  `status/key` and `status/name/<locale>`: this file fills the last two with atelier's status, for the admin's eyes.

What this file puts in them:

- `id`, `category/id`, `scope/id`, `parent/id`, `status/id`, `proposal_urls`: empty. They are ids that the
  territory's Decidim assigns; atelier cannot know them. The admin sets category and status on Decidim afterwards.
- `title/fr`: the action's title, as typed. `description/fr`: HTML, as Decidim's rich-text field holds it, with
  every text escaped (`<img onerror=…>` stays text): the description, then category, horizon, status, who carries
  it (organisations only, "un acteur" for one who did not consent), the next step and its due date. The person
  responsible for the next step is left out: the page is public, and `ActionPlan` only promises organisations there.
- `start_date`: the workshop's date, when the action was decided; `end_date`: the next step's due date. Both only
  when the next step has a due date.
- `status/key` and `status/name/fr`: atelier's status ("en-cours", "en cours"); `progress`: the percentage the
  working group set, 100 for a finished action. `weight`: the action's rank, so Decidim lists them in the plan's
  order. `external_id`: `atelier-<workshop code>-<action id>`, stable across exports.

UTF-8 with a byte-order mark, so that an admin who opens the file in Excel first reads the accents right. Ruby's
CSV keeps the BOM in the first header, which is why that header is `id`, empty by design: "\ufeffid" and "id"
both mean "create". No formula guard: Decidim is not a spreadsheet, and a `'` before "=1+1" or "@mairie" would be
published as typed; the README warns against saving the file back from a spreadsheet.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date

from atelier.exports.model import ActionPlan, PlanAction
from atelier.imports.actors_table import clean_export
from atelier.models import ACTION_STATUSES

__all__ = ["DECIDIM_COLUMNS", "LOCALE", "decidim_results_csv", "external_id", "progress"]

LOCALE = "fr"
DECIDIM_COLUMNS = ("id", "category/id", "scope/id", "parent/id", f"title/{LOCALE}", f"description/{LOCALE}",
                   "start_date", "end_date", "status/id", "status/key", f"status/name/{LOCALE}", "progress",
                   "proposal_urls", "weight", "external_id")
# atelier's statuses (atelier.models.ACTION_STATUSES, as the plan words them) and their keys
STATUS_KEYS = {label: key for key, label in ACTION_STATUSES.items()}
DONE = "réalisée"


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
    facts = [("Catégorie", action.category), ("Horizon", action.horizon), ("Statut", action.status),
             ("Pilote", action.pilot), ("Contributeurs", ", ".join(action.contributors)),
             ("Intéressés", ", ".join(action.interested))]
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


def progress(action: PlanAction) -> int:
    """The percentage Decidim shows: the working group's, 100 once the action is done, within 0–100."""
    return 100 if action.status == DONE else min(max(action.progress, 0), 100)


def decidim_results_csv(plan: ActionPlan, delimiter: str = ";") -> bytes:
    """The selected actions, one result each, in the plan's order; UTF-8 with a BOM, CRLF row ends."""
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
            f"title/{LOCALE}": _text(action.title),
            f"description/{LOCALE}": _description(action),
            "start_date": start,
            "end_date": due,
            "status/key": STATUS_KEYS.get(action.status, ""),
            f"status/name/{LOCALE}": _text(action.status),
            "progress": str(progress(action)),
            "weight": str(action.rank),
            "external_id": external_id(plan, action),
        }
        writer.writerow([row.get(column, "") for column in DECIDIM_COLUMNS])
    return out.getvalue().encode("utf-8-sig")
