"""The only package that talks to SQLite (through sqlite-utils). Every write is one transaction.

`Store` is assembled from one part per capability; each part reads and writes its own tables.
"""

from __future__ import annotations

from atelier.store.access import AccessStore
from atelier.store.backup import BACKUP_LEFT_OUT, BACKUP_TABLES, TABLES_WITH_ID, BackupStore
from atelier.store.base import StoreBase
from atelier.store.diagnostic import DiagnosticStore
from atelier.store.extension import ExtensionStore
from atelier.store.groups import GroupsStore
from atelier.store.migrations import MIGRATIONS
from atelier.store.people import PeopleStore
from atelier.store.selection import SelectionStore
from atelier.store.workshop import WorkshopStore


class Store(DiagnosticStore, WorkshopStore, SelectionStore, AccessStore, GroupsStore, ExtensionStore, PeopleStore,
            BackupStore, StoreBase):
    """SQLite in WAL mode; one connection shared by the event loop and worker threads, one writer at a time."""


__all__ = ["BACKUP_LEFT_OUT", "BACKUP_TABLES", "MIGRATIONS", "TABLES_WITH_ID", "Store"]
