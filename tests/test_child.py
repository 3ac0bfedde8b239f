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
