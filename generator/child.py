"""Run one step of `casebook build` in a forked child process, relaying what it logs.

A 2,000-case build holds gigabytes while it makes the data package or renders the site,
and Python rarely hands freed memory back to the system. Run in a child, a step's memory
is gone when the child exits: the next step (Pagefind, ~1.6–2 GB at 2,000 cases) does not
add to it (issue 13: the build under 2 GB). The child inherits everything by fork (nothing
is pickled to it); it sends back its log lines as they come and a small result.
"""

from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable


@functools.cache
def _libc():
    """The C library, or None where it cannot be loaded."""
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except (OSError, TypeError):
        return None


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the system (glibc's malloc_trim, where
    there is one). 2,000 validated cases dropped in a fresh process: 345 → 92 MB; inside
    `casebook build` the process still keeps ~320 MB (arenas other objects keep in use;
    benchmarks/README)."""
    gc.collect()
    try:
        _libc().malloc_trim(0)
    except AttributeError:  # no C library, or not glibc: the memory stays with the process
        pass


class ChildError(RuntimeError):
    """The step failed in the child with an exception other than OSError, or the child died.

    `kind` is the exception's class name, `text` its message; str() gives both
    ("ValueError: …", or the class name alone when there is no text).
    """

    def __init__(self, kind: str, text: str = ""):
        super().__init__(f"{kind}: {text}" if text else kind)
        self.kind, self.text = kind, text


class _Relay(logging.Handler):
    def __init__(self, send, level: int, below: int | None, indent: str):
        super().__init__(level)
        self.send, self.below, self.indent = send, below, indent

    def emit(self, record):
        if self.below is None or record.levelno < self.below:
            self.send.send(("line", self.indent + record.getMessage()))


def die_with_parent() -> None:
    """In a forked child: end with SIGTERM when the parent process ends, however it ends
    (Linux's PR_SET_PDEATHSIG; a no-op elsewhere). A build stopped by `kill` or a CI
    timeout leaves no child rendering on its own."""
    import signal

    parent = os.getppid()
    try:
        _libc().prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except AttributeError:  # no C library, or no prctl (not Linux)
        return
    if os.getppid() != parent:  # the parent ended before the call
        os._exit(1)


def _child(send, function, args, relays) -> None:
    import signal

    die_with_parent()
    # Ctrl-C reaches the whole process group: the parent turns it into its own exit (130) and
    # ends this child with SIGTERM, which must then end it at once. Inherited handlers (the
    # parent's SIGTERM → SystemExit) would run the parent's cleanup here, half-way through.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for name, level, below, indent in relays:
        logger = logging.getLogger(name)
        logger.addHandler(_Relay(send, level, below, indent))
        logger.setLevel(min(level, logger.getEffectiveLevel()))
    try:
        send.send(("ok", function(*args)))
    except OSError as exc:
        send.send(("oserror", exc.errno, exc.strerror, exc.filename))
    except BaseException as exc:  # noqa: BLE001 - reported by the parent, which raises ChildError
        send.send(("error", type(exc).__name__, str(exc)))


def run_forked(function: Callable, *args, relays=(), line: Callable[[str], None] = print):
    """`function(*args)` in a forked child; returns its (picklable) result.

    `relays`: (logger name, level, below level or None, indent) — records of that logger from
    `level` up (and under `below`) are passed to `line` in this process as they come, as
    `indent + message`. Raises OSError as the child met it, ChildError for any other failure.
    Where fork is missing the function runs in this process.
    """
    return Forked(function, *args, relays=relays, line=line).result()


class Forked:
    """`function(*args)` started in a forked child; this process goes on meanwhile.

    `result()` waits for it and returns its (picklable) result, relaying its log lines
    (`relays` and `line` as in `run_forked`) and raising as `run_forked` does; `cancel()` ends
    the child (call it when this process gives up before asking for the result). Where fork is
    missing, the function runs at `result()`, in this process.
    """

    def __init__(self, function: Callable, *args, relays=(), line: Callable[[str], None] = print):
        self._call, self._line, self._child = (function, args), line, None
        if not hasattr(os, "fork"):
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_child, args=(send, function, args, tuple(relays)),
                                      name=f"casebook-{getattr(function, '__name__', 'step')}")
        self._child.start()
        send.close()

    def cancel(self) -> None:
        """End the child (SIGTERM) and wait for it; nothing is raised."""
        if self._child is not None:
            if self._child.is_alive():
                self._child.terminate()
            self._child.join()
            self._receive.close()

    def result(self):
        if self._child is None:
            function, args = self._call
            return function(*args)
        child, outcome = self._child, None
        try:
            while True:
                message = self._receive.recv()
                if message[0] != "line":
                    outcome = message
                    break
                self._line(message[1])
        except EOFError:
            pass
        except BaseException:
            child.terminate()  # this process was interrupted (SIGTERM, Ctrl-C): the child goes too
            raise
        finally:
            self._receive.close()
            child.join()
        if outcome is None:
            raise ChildError("ChildProcessError", f"the process ended with exit code {child.exitcode}")
        if outcome[0] == "oserror":
            raise OSError(*outcome[1:])
        if outcome[0] == "error":
            raise ChildError(*outcome[1:])
        return outcome[1]
