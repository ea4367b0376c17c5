"""Who may act, checked each time a facilitator's use case runs (not only when a page opens).

A login opens a server-side session (table `facilitator_sessions`: creation, last use, expiry, the facilitator);
the browser keeps only its opaque id. Each capability object (Facilitation, Diagnostic, Selection, Groups,
Extension, Roles) holds an `Access` and, being a `Capability`, checks it first in every public method: a method
added later is checked too, without anyone having to remember it. Logging out, revoking a co-facilitator and
`atelier secret --reset` delete sessions, so an open page's next action raises `SessionEnded`.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from atelier.models import Facilitator

if TYPE_CHECKING:
    from atelier.service.core import Service
    from atelier.store import Store

# A facilitator's session ends after a day without use, and in any case two weeks after the login: a forgotten
# laptop in a village hall does not stay a facilitator's for ever.
SESSION_IDLE_SECONDS = 24 * 3600
SESSION_MAX_SECONDS = 14 * 24 * 3600
SESSION_TOUCH_SECONDS = 60  # last use is written at most once a minute, not at every click
LOGIN_LINK_SECONDS = 10 * 60  # the link printed in the terminal: used once, within ten minutes

F = TypeVar("F", bound=Callable[..., Any])


class SessionEnded(Exception):
    """The session a page holds was logged out, revoked, reset or has expired.

    Deliberately not a `Refused`: pages that show a refusal in place must not swallow it; each facilitator page
    sends it to the login page with the French message `auth.session_ended` (ui.common.guard_facilitator_page).
    """

    key = "auth.session_ended"

    def __init__(self) -> None:
        super().__init__(self.key)


def hashed(token: str) -> str:
    """Sessions and login links are stored by this hash: a copy of the database opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """The server-side sessions and one-time login links."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def open(self, facilitator: Facilitator, now: float | None = None) -> str:
        now = time.time() if now is None else now
        session_id = secrets.token_urlsafe(32)
        self.store.add_facilitator_session(hashed(session_id), facilitator.id, facilitator.version, now,
                                           now + SESSION_MAX_SECONDS)
        return session_id

    def facilitator(self, session_id: str | None, now: float | None = None) -> Facilitator | None:
        """The session's facilitator while it lives; an expired session is deleted."""
        if not session_id:
            return None
        now = time.time() if now is None else now
        key = hashed(session_id)
        found = self.store.facilitator_session(key)
        if found is None:
            return None
        facilitator, times = found
        if now >= times["expires_at"] or now - times["last_used_at"] >= SESSION_IDLE_SECONDS:
            self.store.remove_facilitator_session(key)
            return None
        if now - times["last_used_at"] >= SESSION_TOUCH_SECONDS:
            self.store.touch_facilitator_session(key, now)
        return facilitator

    def forget_expired(self, now: float | None = None) -> None:
        """Sessions and links past their expiry (an ended session is deleted when next used; unused ones here)."""
        self.store.remove_expired_sessions(time.time() if now is None else now)

    def end(self, session_id: str | None) -> None:
        if session_id:
            self.store.remove_facilitator_session(hashed(session_id))

    def new_link(self, facilitator: Facilitator, now: float | None = None) -> str:
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(24)
        self.store.add_login_link(hashed(token), facilitator.id, facilitator.version, now, now + LOGIN_LINK_SECONDS)
        return token

    def use_link(self, token: str | None, now: float | None = None) -> Facilitator | None:
        if not token or len(token) > 200:
            return None
        return self.store.use_login_link(hashed(token), time.time() if now is None else now)


class Access:
    """What a capability checks before each use case: returns who acts, or raises `SessionEnded`."""

    def check(self) -> Facilitator:
        raise NotImplementedError


@dataclass(frozen=True)
class SessionAccess(Access):
    sessions: Sessions
    session_id: str | None
    lead_only: bool = False

    def check(self) -> Facilitator:
        facilitator = self.sessions.facilitator(self.session_id)
        if facilitator is None or (self.lead_only and not facilitator.is_lead):
            raise SessionEnded()
        return facilitator


class _System(Access):
    """The application itself (start-up, the command line, public reads built on a capability): no session."""

    _atelier = Facilitator(id=0, name="atelier", role="systeme", secret="", version=0)

    def check(self) -> Facilitator:
        return self._atelier


SYSTEM: Access = _System()


def _checked(method: F) -> F:
    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def checked_async(self: Capability, *args: Any, **kwargs: Any) -> Any:
            self._access.check()
            return await method(self, *args, **kwargs)

        checked_async.__session_checked__ = True  # type: ignore[attr-defined]
        return checked_async  # type: ignore[return-value]

    @functools.wraps(method)
    def checked(self: Capability, *args: Any, **kwargs: Any) -> Any:
        self._access.check()
        return method(self, *args, **kwargs)

    checked.__session_checked__ = True  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


class Capability:
    """Base of the facilitator's capability classes: every public method checks the session before it runs.

    Made only by `Service` (as_facilitator, diagnostic, selection, groups, extension, roles), which also checks
    at opening so a page can send a logged-out visitor to the login page before drawing anything.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(value):
                setattr(cls, name, _checked(value))

    def __init__(self, service: Service, access: Access) -> None:
        self.service = service
        self.store = service.store
        self.hub = service.hub
        self._access = access

    @property
    def _author(self) -> str:
        """Who acts, as named in histories."""
        return self._access.check().name
