"""Work spread over processes gives the same results, in the same order, as one process."""
import multiprocessing
import os

import pytest

from generator import parallel


@pytest.fixture(autouse=True)
def single_threaded(monkeypatch):
    """The suite's browser fixtures leave threads running, and the helpers then (rightly) stay in
    one process; these tests are about the forked path, so they see a single-threaded process."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def pids_and_squares(chunk):
    return [(os.getpid(), n * n) for n in chunk]


def test_map_chunks_keeps_order_and_uses_other_processes(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    results = parallel.map_chunks(pids_and_squares, list(range(100)), workers=2)
    assert [square for _, square in results] == [n * n for n in range(100)]
    assert os.getpid() not in {pid for pid, _ in results}


def test_small_jobs_and_threaded_processes_stay_in_one_process(monkeypatch):
    assert {pid for pid, _ in parallel.map_chunks(pids_and_squares, [1, 2, 3])} == {os.getpid()}
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)  # another thread runs: no fork
    assert {pid for pid, _ in parallel.map_chunks(pids_and_squares, list(range(50)), 2)} == {os.getpid()}


def test_in_background_returns_the_result_from_another_process():
    with parallel.in_background(os.getpid) as result:
        assert result() != os.getpid()


def fail():
    raise ValueError("the index broke")


def test_in_background_raises_the_failure_in_the_parent():
    with pytest.raises(RuntimeError, match="the index broke"), parallel.in_background(fail) as result:
        result()


def large_result():
    return b"x" * 1_000_000  # more than a pipe holds: its sender waits until someone reads


def test_a_result_never_taken_does_not_leave_its_process_behind():
    with parallel.in_background(large_result) as result:
        children = multiprocessing.active_children()
        assert children
    assert not any(child.is_alive() for child in children)


@pytest.mark.parametrize("count", [1, 49, 50, 51, 999, 10_771])
def test_guided_chunks_cover_every_item_once_and_shrink(count):
    bounds = parallel.guided_bounds(count, workers=2)
    assert [i for start, stop in bounds for i in range(start, stop)] == list(range(count))
    sizes = [stop - start for start, stop in bounds]
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # shrinking; only the last may be shorter still
    assert max(sizes) <= max(50, count // 4)  # no chunk takes more than a quarter: others can even it out


def test_stream_chunks_yields_in_order_from_other_processes_and_starts_only_when_asked(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    stream = parallel.stream_chunks(pids_and_squares, list(range(300)), workers=2)
    assert not multiprocessing.active_children()  # nothing started before the first result is asked for
    first = next(stream)
    assert first[1] == 0 and first[0] != os.getpid()
    assert [square for _, square in [first, *stream]] == [n * n for n in range(300)]


def test_a_stream_left_unfinished_stops_its_workers(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    stream = parallel.stream_chunks(pids_and_squares, list(range(300)), workers=2)
    next(stream)
    assert multiprocessing.active_children()
    stream.close()
    assert not any(child.is_alive() for child in multiprocessing.active_children())
