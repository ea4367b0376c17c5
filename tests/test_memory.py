"""atelier.memory: freed memory handed back to the system (glibc's malloc_trim), as the server does every 10 s;
the cycle collector paused during a lead detection."""

from __future__ import annotations

import gc
import platform

import psutil
import pytest

from atelier import memory


def test_freed_memory_goes_back_to_the_system() -> None:
    process = psutil.Process()
    # Many mid-sized blocks (over Python's small-object limit, so from the C allocator), freed but for the last one:
    # the allocator keeps the freed ones unless asked to give them back.
    blocks = [bytes(4000) + str(i).encode() for i in range(40_000)]
    keep = blocks[-1]
    del blocks
    held = process.memory_info().rss
    assert memory.release_free_memory() is memory.can_release()
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert memory.can_release()
        assert process.memory_info().rss < held  # what was freed is no longer counted to the process
    assert keep.endswith(b"39999")


def test_the_collector_resumes_when_the_last_of_overlapping_pauses_ends() -> None:
    assert gc.isenabled()
    first, second = memory.collector_paused(), memory.collector_paused()
    first.__enter__()
    second.__enter__()  # two detections running at once in two worker threads
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other detection still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_the_collector_resumes_after_a_failed_detection() -> None:
    with pytest.raises(ValueError), memory.collector_paused():
        raise ValueError("détection interrompue")
    assert gc.isenabled()
