"""Interrupting a build while the render workers write pages (newcomer review of issue 13).

Ctrl-C (SIGINT to the whole process group, as a terminal sends it) and SIGTERM (CI cancel,
systemd stop) used to leave `casebook build` waiting forever on workers stuck in
concurrent.futures, and plain `mkdocs build` waiting for every queued page. Each test runs the
build in its own session with the workers slowed down (each chunk sleeps), signals the group
once pages are being rendered, and asserts a prompt, clean end: the exit status, one line,
no traceback, no process left, the old site whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import VALID
from .test_cli_build import _project

# Each render chunk sleeps, so the build is still rendering when the signal comes.
RUNNER = """
import sys, time
import generator.render_pool as pool

def slow(uris):
    time.sleep(60)

pool._render_chunk = slow  # the workers fork after this: they run it too
if sys.argv[1] == "casebook":
    from generator.cli import main
    sys.argv = ["casebook", "build"]
    main()
else:
    from mkdocs.__main__ import cli
    sys.argv = ["mkdocs", "build"]
    cli()
"""


def _project_with_workers(tmp_path):
    _project(tmp_path, sorted(VALID.glob("*.yaml")))
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")  # workers, as at 400 pages or more
    (tmp_path / "mkdocs.yml").write_text(text.replace('      edit_url: ""\n',
                                                      '      edit_url: ""\n      render_workers: 2\n'),
                                         encoding="utf-8")
    (tmp_path / "run.py").write_text(RUNNER, encoding="utf-8")


def _interrupt(tmp_path, tool: str, signum: int) -> tuple[int, str, float]:
    """Run the build, signal its process group while pages render; (status, output, seconds)."""
    process = subprocess.Popen([sys.executable, "run.py", tool], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True, text=True)
    output = []
    try:
        for line in process.stdout:  # until the build is inside the render step
            output.append(line)
            if "building the site" in line or "Building documentation" in line:
                break
        time.sleep(3)  # the workers have forked and sleep in their first chunk
        signalled = time.monotonic()
        os.killpg(process.pid, signum)
        rest, _ = process.communicate(timeout=30)
        took = time.monotonic() - signalled
    finally:
        if process.poll() is None:  # it did not end: the test fails, nothing is left running
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    output.append(rest)
    return process.returncode, "".join(output), took


@pytest.mark.parametrize(("signum", "status", "said"), [
    (signal.SIGINT, 130, "Interrupted (Ctrl-C)."),
    (signal.SIGTERM, 143, None),
])
def test_casebook_build_interrupted_while_rendering_ends_at_once(tmp_path, signum, status, said):
    _project_with_workers(tmp_path)
    code, out, took = _interrupt(tmp_path, "casebook", signum)
    assert code == status, out
    assert took < 15, out
    assert "Traceback" not in out and "Exception" not in out, out
    if said:
        assert out.rstrip().endswith(said), out
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == []  # staging removed, nothing half
    time.sleep(1)
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _in_session(int(p), tmp_path)]


def _in_session(pid: int, tmp_path) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/cwd") == str(tmp_path)
    except OSError:
        return False


def test_plain_mkdocs_build_interrupted_while_rendering_ends_and_can_be_built_again(tmp_path):
    _project_with_workers(tmp_path)
    code, out, took = _interrupt(tmp_path, "mkdocs", signal.SIGINT)
    assert code != 0 and took < 15, out
    assert "Traceback" not in out, out
    time.sleep(1)
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _in_session(int(p), tmp_path)]
    # The half-written site is still known as a casebook site: `casebook build` rebuilds it.
    assert (tmp_path / "build/site/.casebook-site").is_file()
    again = subprocess.run([sys.executable, "-m", "generator.cli", "build"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (tmp_path / "build/site/index.html").is_file()
