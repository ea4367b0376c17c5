"""Logging in: throttled per address and overall, the code checked off the event loop, one-time login links.

A wrong code costs one scrypt per facilitator (tens of milliseconds of CPU each, on purpose). Before anything is
hashed the throttle (rules.limits) may refuse at no cost; the hashing itself runs in a single worker thread
(hashlib.scrypt releases the GIL), so a flood of wrong codes uses at most one core and never the event loop
that every phone shares.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from atelier.models import Facilitator
from atelier.rules import Refused
from atelier.rules.limits import LOGIN_OVERALL, LOGIN_PER_CLIENT, Throttle, seconds_to_say
from atelier.service.access import Sessions
from atelier.service.roles import secret_matches
from atelier.store import Store

ANYONE = "*"  # the overall throttle's single key
SECRET_MAX = 100  # a code is 20 characters; longer is not a code and is not hashed


def matching_facilitator(secret: str, facilitators: list[Facilitator]) -> Facilitator | None:
    """The facilitator whose code this is (a scrypt per facilitator, on purpose slow: run it off the loop)."""
    for facilitator in facilitators:
        if not facilitator.revoked and secret_matches(secret, facilitator.secret):
            return facilitator
    return None


class Login:
    def __init__(self, store: Store, sessions: Sessions) -> None:
        self.store = store
        self.sessions = sessions
        self._per_client = Throttle(LOGIN_PER_CLIENT)
        self._overall = Throttle(LOGIN_OVERALL, max_keys=1)
        self._lock = threading.Lock()  # the sync path may run in a worker thread (tests, command line)
        # Codes being checked: they count against the overall limit already, or 40 clients at once would all
        # pass the check before the first failure is recorded.
        self._checking = 0
        self._hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="atelier-login")

    def client_wait(self, client: str) -> float:
        """Seconds before this address may try a code again, held back by its own tries or by everyone's (the
        login form answers a short 429 meanwhile; one-time links still work)."""
        now = time.time()
        with self._lock:
            return max(self._per_client.wait(client, now), self._overall.wait(ANYONE, now, self._checking))

    def _check_throttle(self, client: str, now: float) -> None:
        with self._lock:
            wait = max(self._per_client.wait(client, now), self._overall.wait(ANYONE, now, self._checking))
            if wait <= 0:
                self._checking += 1
            else:
                # A try while held back counts against the address too: a script that keeps sending stays held
                # back; a person who waits the time they are told gets back in.
                self._per_client.record(client, now)
        if wait > 0:
            raise Refused("auth.too_many", seconds=seconds_to_say(wait))

    def _checked(self) -> None:
        with self._lock:
            self._checking -= 1

    def _failed(self, client: str, now: float) -> Refused:
        with self._lock:
            self._per_client.record(client, now)
            self._overall.record(ANYONE, now)
        return Refused("auth.wrong_secret")

    def _candidate(self, secret: str | None, client: str) -> tuple[str, float]:
        """The code to check, once the throttle lets it through; a refusal otherwise (the code is never hashed
        then, nor when it cannot be a code at all)."""
        now = time.time()
        self._check_throttle(client, now)
        secret = (secret or "").strip()
        if not secret or len(secret) > SECRET_MAX:
            self._checked()
            raise self._failed(client, now)
        return secret, now

    def log_in(self, secret: str | None, client: str) -> str:
        """Checks the code here (for scripts and tests); pages use `log_in_off_loop`. Returns the session id."""
        secret, now = self._candidate(secret, client)
        try:
            found = matching_facilitator(secret, self.store.facilitators())
        finally:
            self._checked()
        if found is None:
            raise self._failed(client, now)
        return self.sessions.open(found)

    async def log_in_off_loop(self, secret: str | None, client: str) -> str:
        secret, now = self._candidate(secret, client)
        try:
            facilitators = self.store.facilitators()
            found = await asyncio.get_running_loop().run_in_executor(self._hashing, matching_facilitator, secret,
                                                                     facilitators)
        finally:
            self._checked()
        if found is None:
            raise self._failed(client, now)
        return self.sessions.open(found)

    def log_in_with_link(self, token: str | None, client: str) -> str:
        """A one-time link (printed in the terminal): no hashing of a code, but wrong tokens count as failures
        of this address, so links cannot be guessed from it either."""
        now = time.time()
        with self._lock:
            wait = self._per_client.wait(client, now)
        if wait > 0:
            raise Refused("auth.too_many", seconds=seconds_to_say(wait))
        found = self.sessions.use_link(token, now)
        if found is None:
            with self._lock:
                self._per_client.record(client, now)
            raise Refused("auth.link_invalid")
        return self.sessions.open(found)

    def close(self) -> None:
        self._hashing.shutdown(wait=False)
