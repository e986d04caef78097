"""Work spread over processes gives the same results, in the same order, as one process."""
import os
import threading

import pytest

from generator import parallel


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
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for pid, _ in parallel.map_chunks(pids_and_squares, list(range(50)), 2)} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_in_background_returns_the_result_from_another_process():
    result = parallel.in_background(os.getpid)
    assert result() != os.getpid()


def fail():
    raise ValueError("the index broke")


def test_in_background_raises_the_failure_in_the_parent():
    with pytest.raises(RuntimeError, match="the index broke"):
        parallel.in_background(fail)()
