"""generator/child.py: a build step in a forked child, its log lines relayed, its failures raised."""

from __future__ import annotations

import logging
import os

import pytest

from generator.child import ChildError, run_forked


def _talk_then(result):
    logging.getLogger("casebook.test.child").info("step %d of %d", 1, 2)
    logging.getLogger("casebook.test.child").warning("a warning")
    return result


def test_result_and_lines_come_back_in_order():
    lines = []
    result = run_forked(_talk_then, {"names": ["a.csv"]}, line=lines.append,
                        relays=[("casebook.test.child", logging.INFO, logging.WARNING, "    "),
                                ("casebook.test", logging.WARNING, None, "")])
    assert result == {"names": ["a.csv"]}
    assert lines == ["    step 1 of 2", "a warning"]


def _fail(exc):
    raise exc


@pytest.mark.parametrize(("exc", "kind", "text"), [(ValueError("bad value"), "ValueError", "bad value"),
                                                   (MemoryError(), "MemoryError", "")])
def test_an_exception_in_the_child_is_raised_with_its_kind_and_text(exc, kind, text):
    with pytest.raises(ChildError) as raised:
        run_forked(_fail, exc)
    assert (raised.value.kind, raised.value.text) == (kind, text)
    assert str(raised.value) == (f"{kind}: {text}" if text else kind)


def test_an_os_error_in_the_child_is_an_os_error_here():
    with pytest.raises(OSError) as raised:
        run_forked(_fail, OSError(28, "No space left on device", "/tmp/x"))
    error = raised.value
    assert (error.errno, error.strerror, error.filename) == (28, "No space left on device", "/tmp/x")


def test_a_child_that_dies_is_named_with_its_exit_code():
    with pytest.raises(ChildError, match="^ChildProcessError: the process ended with exit code 3$"):
        run_forked(os._exit, 3)


def test_a_child_ends_with_its_parent(tmp_path):
    """review: a SIGTERM to `casebook build` left its MkDocs child and render workers running."""
    import subprocess
    import sys
    import time

    script = ("import os, sys, time\n"
              "from generator.child import run_forked\n"
              "def wait(path):\n"
              "    open(path, 'w').write(str(os.getpid()))\n"
              "    time.sleep(60)\n"
              f"run_forked(wait, {str(tmp_path / 'pid')!r})\n")
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(200):
            if (tmp_path / "pid").exists() and (tmp_path / "pid").read_text():
                break
            time.sleep(0.05)
        child = int((tmp_path / "pid").read_text())
    finally:
        parent.kill()
        parent.wait()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, 9)
        raise AssertionError("the child outlived its parent")


def test_sigterm_ends_the_build_as_exit_143_so_cleanup_runs():
    import signal

    from generator.cli import _terminated_as_exit

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as ended, _terminated_as_exit():
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):  # the handler runs between bytecodes
            pass
    assert ended.value.code == 143
    assert signal.getsignal(signal.SIGTERM) == before  # restored


def test_an_interrupted_parent_stops_its_child_at_once():
    """SIGTERM in the parent (SystemExit from casebook build's handler) while it waits."""
    import signal
    import time

    def stop(signum, frame):
        raise SystemExit(143)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    started = time.monotonic()
    try:
        with pytest.raises(SystemExit):
            run_forked(time.sleep, 30)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10  # not the child's 30 s
