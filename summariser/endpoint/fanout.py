"""Run one article's independent model calls side by side, results in the order asked.

A hosted endpoint answers many requests at once, and the embedded server decodes several
together, so an article's overview, transfer and claim calls need not wait for each
other: with ``width`` > 1 they run on that many daemon threads (daemon, so an abandoned
batch never holds the interpreter open on a slow request). With ``width`` 1 they run in
order on the calling thread, exactly as a plain loop would.

The first failure stops new calls from starting; calls already running finish, and then
the earliest failing call's error is raised, so a failure reads the same at any width.
With ``lead``, the first call runs alone before the others start: while an endpoint's
structured-output mode is still being found, one refused request is enough to tell.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Optional, TypeVar

__all__ = ["run_all"]

T = TypeVar("T")


def run_all(calls: Sequence[Callable[[], T]], width: int = 1, *, lead: bool = False) -> list[T]:
    """Every call's result, in the order of ``calls``; at most ``width`` run at once."""
    if lead and calls and width > 1:
        first = calls[0]()
        return [first, *run_all(calls[1:], width)]
    if width <= 1 or len(calls) <= 1:
        return [call() for call in calls]
    results: list[Optional[T]] = [None] * len(calls)
    errors: list[Optional[BaseException]] = [None] * len(calls)
    lock = threading.Lock()
    position = iter(range(len(calls)))
    failed = threading.Event()

    def worker() -> None:
        while not failed.is_set():
            with lock:
                index = next(position, None)
            if index is None:
                return
            try:
                results[index] = calls[index]()
            except BaseException as error:  # handed to the caller below, in call order
                errors[index] = error
                failed.set()

    threads = [
        threading.Thread(target=worker, daemon=True, name="summariser-call")
        for _ in range(min(width, len(calls)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results  # type: ignore[return-value]  # every slot was filled: no error was raised
