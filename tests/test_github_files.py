"""The GitHub and pre-commit files: valid YAML, valid against their schemas, and wired to
commands and case fields that exist."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest
import yaml

from generator.cli import main
from generator.from_issue import _path, load_form
from generator.schema import field_schema, vocabulary
from generator.skeleton import template

from .conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORM = GITHUB / "ISSUE_TEMPLATE" / "new-case.yml"


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and True in data:
        # YAML 1.1 (PyYAML) reads the workflow key `on` as true; GitHub reads it as "on".
        data["on"] = data.pop(True)
    return data


def store_schema(name: str) -> dict:
    """A SchemaStore schema as vendored by check-jsonschema."""
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((vendor / f"{name}.json").read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow["on"]


def run_lines(workflow: dict) -> list[str]:
    return [line.strip() for job in workflow["jobs"].values() for step in job.get("steps", [])
            for line in step.get("run", "").splitlines() if line.strip()]


def test_there_are_three_workflows():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "pages.yml", "release.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid(path):
    jsonschema.validate(load(path), store_schema("github-workflows"))


def test_issue_form_is_valid():
    form = load(FORM)
    jsonschema.validate(form, store_schema("github-issue-forms"))
    items = [item for item in form["body"] if item["type"] != "markdown"]
    labels = [item["attributes"]["label"] for item in items]
    ids = [item["id"] for item in items]
    assert len(set(labels)) == len(labels) and len(set(ids)) == len(ids)


def test_pull_requests_validate_with_annotations_test_build_and_upload_the_data_package():
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert "pull_request" in triggers(ci)
    lines = run_lines(ci)
    assert "casebook validate --format github" in lines
    assert ".ci/run" in lines  # the README's test command, as on a fresh machine
    assert "casebook build" in lines
    uploads = [step["with"]["path"] for job in ci["jobs"].values() for step in job["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert "build/data" in uploads and "build/site" in uploads


def test_main_deploys_the_site_to_pages():
    pages = load(GITHUB / "workflows" / "pages.yml")
    assert triggers(pages)["push"]["branches"] == ["main"]
    steps = [s for job in pages["jobs"].values() for s in job["steps"]]
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert artifact["with"]["path"] == "build/site"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps)
    assert pages["permissions"]["pages"] == "write" and pages["permissions"]["id-token"] == "write"


def test_a_tag_releases_the_zipped_data_package():
    release = load(GITHUB / "workflows" / "release.yml")
    assert triggers(release)["push"]["tags"] == ["v*"]
    assert release["permissions"]["contents"] == "write"
    script = "\n".join(run_lines(release))
    assert "casebook export" in script
    assert "village-casebook-data-${DATA_VERSION}.zip" in script and "gh release create" in script
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in script  # created = the tag's commit time


def casebook_calls() -> list[tuple[str, list[str]]]:
    """Every `casebook …` command line in the workflows and pre-commit files."""
    lines = [line for path in WORKFLOWS for line in run_lines(load(path)) if line.startswith("casebook ")]
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        data = load(ROOT / name)
        hooks = data if isinstance(data, list) else [h for r in data["repos"] for h in r["hooks"]]
        lines += [hook["entry"] for hook in hooks]
    return [(words[1], words[2:]) for words in map(shlex.split, lines)
            if words and words[0] == "casebook"]


def test_files_call_real_casebook_commands_and_options():
    calls = casebook_calls()
    assert {name for name, _ in calls} >= {"validate", "build", "export"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, args in calls:
        command = main.commands.get(name)
        if command is None:
            # Written in another issue (export: the data package; build: the site). Until it
            # lands, the README's command table must at least promise it.
            assert f"| `casebook {name}" in readme, name
            continue
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        for arg in args:
            if arg.startswith("-"):
                assert arg in options, (name, arg)
    validate = main.commands["validate"]
    fmt = next(p for p in validate.params if p.name == "fmt")
    assert "github" in fmt.type.choices


def test_issue_form_ids_are_paths_into_the_case_format():
    special = {"confirm"}  # confirmations, not data
    for item in load_form(FORM):
        if item["id"] in special:
            continue
        node = field_schema(tuple(_path(item["id"])))
        assert node is not None, f"form field {item['id']} is not a path in the case schema"


@pytest.mark.parametrize("field_id, vocab", [
    ("scope", "scope_level"), ("themes", "theme"), ("sources-0-language", "language"),
    ("models-0-kind", "model_kind"), ("case_type", "case_type"),
    ("sources-0-evidence_type", "evidence_type"),
])
def test_issue_form_dropdowns_offer_exactly_the_schema_vocabularies(field_id, vocab):
    item = next(i for i in load_form(FORM) if i["id"] == field_id)
    assert item["type"] == "dropdown"
    want = [f"{value} — {labels['zh']}" for value, labels in vocabulary(vocab).items()]
    assert item["attributes"]["options"] == want


def test_issue_form_asks_for_every_required_scalar_of_a_case():
    ids = {item["id"] for item in load_form(FORM)}
    # The rest (schema_version, sources[0].id, quotes' `source`) is filled in by from-issue.
    assert {"id", "title", "summary", "place-province", "place-prefecture", "place-division_code",
            "scope", "case_type", "themes", "sources-0-title", "sources-0-language",
            "sources-0-evidence_type"} <= ids
    confirm = next(i for i in load_form(FORM) if i["id"] == "confirm")
    text = " ".join(o["label"] for o in confirm["attributes"]["options"])
    assert "verbatim" in text and "private" in text


def test_pull_request_template_is_a_checklist_with_the_rules():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.M)
    assert len(boxes) >= 5
    joined = " ".join(boxes)
    for rule in ("casebook validate", "verbatim", "CC-BY-4.0", "no phone numbers"):
        assert rule in joined, rule


def test_pre_commit_hook_for_other_repositories():
    hooks = load(ROOT / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "casebook-validate")
    assert hook["entry"] == "casebook validate" and hook["language"] == "python"
    # Rules across files (ids, model references, duplicates) need the whole folder.
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "cases/langao-x.yaml") and not re.search(hook["files"], "README.md")


def test_pre_commit_config_runs_casebook_and_ruff_here():
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]}
    assert hooks["casebook-validate"]["entry"] == "casebook validate"
    assert re.search(hooks["casebook-validate"]["files"], "cases/langao-x.yaml")
    assert hooks["ruff"]["entry"].startswith("ruff check")


def test_the_code_passes_the_pre_commit_ruff_check():
    # The same check pre-commit runs, so that CI catches what a contributor without
    # pre-commit would otherwise land (ruff is a test dependency).
    config = load(ROOT / ".pre-commit-config.yaml")
    entry = next(h["entry"] for repo in config["repos"] for h in repo["hooks"] if h["id"] == "ruff")
    done = subprocess.run([sys.executable, "-m", *entry.split()], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_committed_case_template_is_current():
    committed = (GITHUB / "case-template.yaml").read_text(encoding="utf-8")
    assert committed == template(), "regenerate it: python -m generator.skeleton"


def test_contributing_names_real_commands():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "## 中文" in text and "## English" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`?casebook ([a-z][a-z-]+)", text)) - {"collects"}
    assert {"new", "validate", "from-issue", "export", "build", "migrate"} <= named
    for name in named:
        assert name in main.commands or f"| `casebook {name}" in readme, name
    assert "migrate" in main.commands and "| `casebook migrate" in readme
    for rule in ("逐字", "verbatim", "隐私", "Privacy", "mkdocs serve", "casebook validate --verbose"):
        assert rule in text, rule
