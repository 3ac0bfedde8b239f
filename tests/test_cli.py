"""The command line: exit codes, formats, help and version."""

from __future__ import annotations

from click.testing import CliRunner

from generator import __version__
from generator.cli import main

from .conftest import INVALID, VALID


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_validate_valid_exits_0():
    result = run("validate", VALID)
    assert result.exit_code == 0, result.output
    assert "all valid" in result.output


def test_validate_invalid_exits_1_with_located_message():
    result = run("validate", INVALID / "vocabulary")
    assert result.exit_code == 1
    assert ":73:11: `unit` \"yuan\" is not in the unit vocabulary (did you mean `cny`?)" in result.output


def test_github_annotations():
    result = run("validate", "--format", "github", INVALID / "metric-value")
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith("::error file=")
    assert ",line=72,col=12,title=metric-value::value 400 is not a number written" in line


def test_missing_path_is_misuse_exit_2():
    result = run("validate", "no/such/folder")
    assert result.exit_code == 2


def test_default_without_cases_folder_is_misuse(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert "no cases/ folder" in result.output


def test_help_and_version():
    assert run("-h").exit_code == 0
    assert "Check case files" in run("validate", "--help").output
    assert __version__ in run("--version").output


def test_ctrl_c_exits_130_not_1(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.cli.validate_paths", interrupted)
    result = run("validate", VALID)
    assert (result.exit_code, result.output) == (130, "Interrupted (Ctrl-C).\n")
