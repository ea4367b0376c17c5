"""Hands the memory the server freed back to the system, so that its footprint follows the room, not its peak.

Pages, their messages and the elements of departed phones are freed into the C allocator (glibc's malloc), which
keeps most of it for later instead of returning it: with 500 phones about 23 MB of the server's 337 MB was free
yet held (`malloc_trim` measured in the server after `atelier bench`). `malloc_trim` returns it, in about 20 ms,
outside the event loop (ctypes lets go of Python's lock while the C call runs).

On a system without glibc (macOS, Windows, musl) there is nothing to call and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TRIM_EVERY_SECONDS = 10.0


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_malloc_trim = _find_malloc_trim()


def can_release() -> bool:
    return _malloc_trim is not None


def release_free_memory() -> bool:
    """Returns the allocator's free memory to the system; whether there was an allocator to ask. Blocking: call it
    from a worker thread."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True


_pauses = 0
_pauses_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cycle collector while a burst of work builds objects that all live until it ends.

    The lead detection makes some 100,000 small objects on 1,000 actors; the collector scanned them again and
    again for cycles they do not make, about an eighth of the detection's time. The collector resumes when the
    last of several concurrent pauses ends; a pause lasts as long as one detection (about a second at most).
    """
    global _pauses
    with _pauses_lock:
        _pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0:
                gc.enable()
