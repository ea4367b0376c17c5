"""How often one client (an address) or the whole room may do something costly: log in, join, send a form.

Pure: the caller keeps each key's recent times (see `Throttle`) and asks `wait_needed` before acting.
A window says "at most `most` events in `seconds`"; a client is held back until its oldest counted event
leaves the window, so waiting is always bounded by the longest window.
"""

from __future__ import annotations

import ipaddress
import math
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Window:
    seconds: float
    most: int


# Wrong facilitator codes. A person mistypes a few times; a script tries thousands. Per address: 5 tries a
# minute, 20 a quarter of an hour. For the whole server: 30 a minute, so a flood from many addresses costs at
# most one code check every 2 s on average (each check is a deliberately slow scrypt).
LOGIN_PER_CLIENT = (Window(60, 5), Window(900, 20))
LOGIN_OVERALL = (Window(60, 30),)

# New participant identities (a new browser joining a workshop). A phone joins once; a hall behind one shared
# address (a hotspot's tunnel) still fills in a few minutes; a script making thousands is held to a trickle.
JOIN_PER_CLIENT = (Window(60, 10), Window(3600, 100))

# The public form to join the network (extension candidates): a person sends it once or twice.
PUBLIC_FORM_PER_CLIENT = (Window(60, 3), Window(3600, 10))

# Identities from one address in one workshop beyond which the console flags them: a person may join from a
# second browser or a private tab, a script makes dozens.
BULK_IDENTITIES_FROM_ONE_ADDRESS = 4


def is_this_machine(address: str) -> bool:
    """Loopback: the facilitator's own laptop (its bench, a local reverse proxy, which forwards the phones' real
    addresses in X-Forwarded-For). No phone in the hall joins from there, so joins from it are not paced."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address in ("local", "localhost", "testclient")


def wait_needed(times: Sequence[float], now: float, windows: Iterable[Window]) -> float:
    """Seconds before one more event is allowed, given the times of earlier events (0 when it is allowed now)."""
    wait = 0.0
    for window in windows:
        recent = sorted(t for t in times if now - t < window.seconds)
        if len(recent) >= window.most:
            # The event that must leave the window before one more fits.
            oldest_counted = recent[len(recent) - window.most]
            wait = max(wait, oldest_counted + window.seconds - now)
    return wait


def seconds_to_say(wait: float) -> int:
    """A wait as a person reads it: whole seconds, at least 1."""
    return max(1, math.ceil(wait))


def flagged_origins(origins: Iterable[str | None], threshold: int = BULK_IDENTITIES_FROM_ONE_ADDRESS) -> dict[str, int]:
    """Origins (a workshop's participants' addresses, hashed) with `threshold` identities or more, and how many."""
    counts: dict[str, int] = {}
    for origin in origins:
        if origin:
            counts[origin] = counts.get(origin, 0) + 1
    return {origin: n for origin, n in counts.items() if n >= threshold}


@dataclass
class Throttle:
    """Recent event times per key, bounded: a key keeps no more than its longest window holds, and keys whose
    events have all left the windows are dropped, so a flood of addresses cannot grow it without end."""

    windows: tuple[Window, ...]
    max_keys: int = 10_000
    _times: dict[str, deque[float]] = field(default_factory=dict)

    @property
    def _horizon(self) -> float:
        return max(w.seconds for w in self.windows)

    @property
    def _depth(self) -> int:
        return max(w.most for w in self.windows)

    def wait(self, key: str, now: float, pending: int = 0) -> float:
        """`pending`: events under way (not recorded yet) that count as if they happened now."""
        return wait_needed([*self._times.get(key, ()), *[now] * pending], now, self.windows)

    def record(self, key: str, now: float) -> None:
        if key not in self._times and len(self._times) >= self.max_keys:
            self.forget_old(now)
            if len(self._times) >= self.max_keys:  # still full of live keys: the oldest-seen goes
                self._times.pop(next(iter(self._times)))
        times = self._times.setdefault(key, deque(maxlen=self._depth))
        times.append(now)

    def forget_old(self, now: float) -> None:
        horizon = self._horizon
        for key in [k for k, times in self._times.items() if not times or now - times[-1] >= horizon]:
            del self._times[key]

    def clear(self, key: str) -> None:
        self._times.pop(key, None)

    def __len__(self) -> int:
        return len(self._times)
