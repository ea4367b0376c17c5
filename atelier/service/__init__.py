"""Use cases: validate -> rules -> store -> publish. Pages call these, never the store.

`Service` holds what phones, the public and every page may do, and opens the facilitator's capabilities
(one module each: workshop, diagnostic, selection, groups, extension, roles) after checking who asks.
"""

from __future__ import annotations

from atelier.service.core import Service
from atelier.service.diagnostic import Diagnostic
from atelier.service.extension import Extension
from atelier.service.groups import Groups, WorkingGroupView
from atelier.service.people import People, PeopleOverview
from atelier.service.roles import Roles
from atelier.service.selection import NOT_SELECTED, SELECTED, ActionResult, Selection, SelectionResults, compute_results
from atelier.service.workshop import Facilitation

__all__ = ["NOT_SELECTED", "SELECTED", "ActionResult", "Diagnostic", "Extension", "Facilitation", "Groups", "People",
           "PeopleOverview", "Roles",
           "Selection", "SelectionResults", "Service", "WorkingGroupView", "compute_results"]
