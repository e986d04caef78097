"""Work spread over processes for large builds, with results in the same order as the input.

Forked workers inherit the parent's memory as it is (templates, model, file list): nothing is
pickled on the way in, only each chunk's results on the way out. Small jobs, platforms without
fork, and processes that already run other threads (forking those can deadlock: `serve`) stay in
one process; the result never depends on which way it ran.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
PARALLEL_FROM = 2000
_JOB: tuple[Callable, Sequence] | None = None


def map_chunks(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
               workers: int | None = None) -> list[Result]:
    """`work(items[a:b])` over chunks of `items`, concatenated in order."""
    return list(stream_chunks(work, items, workers))


def stream_chunks(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                  workers: int | None = None) -> Iterator[Result]:
    """As map_chunks, but yielding each chunk's results, in order, as soon as that chunk is done,
    so the caller's own work on them overlaps with the workers' on the chunks after. Nothing
    starts until the first result is asked for."""
    global _JOB
    workers = workers or os.cpu_count() or 1
    if (workers == 1 or len(items) < PARALLEL_FROM or threading.active_count() > 1
            or "fork" not in mp.get_all_start_methods()):
        yield from work(items)
        return
    _JOB = (work, items)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_run_chunk, guided_bounds(len(items), workers)):
                yield from part
    finally:
        _JOB = None


def guided_bounds(count: int, workers: int, smallest: int = 50) -> list[tuple[int, int]]:
    """Chunks that shrink as the work runs out: each takes a share of what is left, so the
    workers, each taking the next chunk when done, finish within a small chunk of each other.
    Callers put their costliest items first."""
    bounds, start = [], 0
    while start < count:
        stop = min(count, start + max(smallest, (count - start) // (2 * workers)))
        bounds.append((start, stop))
        start = stop
    return bounds


def _run_chunk(bounds: tuple[int, int]) -> list:
    start, stop = bounds
    work, items = _JOB
    return work(items[start:stop])


@contextmanager
def in_background(function: Callable[..., Result], *args) -> Iterator[Callable[[], Result]]:
    """Start `function(*args)` in a forked process now; the call this yields waits for its result.

    A process, not a thread: the parent must stay single-threaded for map_chunks to fork, and the
    work (the search index) then overlaps with rendering on the other core. If the block ends
    without taking the result (the build failed meanwhile), the process is stopped: left alone, it
    would wait forever to hand its result over, holding every file its parent had open.
    """
    if threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        yield lambda: function(*args)
        return
    context = mp.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(sender, function, args), daemon=True)
    child.start()
    sender.close()

    def result() -> Result:
        ok, value = receiver.recv()
        child.join()
        if not ok:
            raise RuntimeError(f"{getattr(function, '__name__', 'background work')} failed:\n{value}")
        return value

    try:
        yield result
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _send_result(sender, function: Callable, args: tuple) -> None:
    try:
        sender.send((True, function(*args)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        import traceback

        sender.send((False, traceback.format_exc()))
    finally:
        sender.close()
