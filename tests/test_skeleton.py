"""`casebook new`: a commented skeleton generated from the schema, and its safety rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.load import read_case
from generator.schema import load_schema, resolve
from generator.skeleton import MODELINE, SkeletonError, check_case_id, render
from generator.validate import validate_paths

from .conftest import VALID

CASE_ID = "dawang-cross-village-alliance"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.fixture
def skeleton(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    result = run("new", CASE_ID)
    assert result.exit_code == 0, result.output
    assert f"wrote cases/{CASE_ID}.yaml" in result.output
    return tmp_path / "cases" / f"{CASE_ID}.yaml"


def schema_fields(node=None, path=()):
    """Yield (path, property schema, required) for every property in the schema, depth first."""
    node = resolve(node or load_schema())
    if node.get("type") == "array":
        node = resolve(node.get("items", {}))
    required = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        prop = resolve(prop)
        yield path + (name,), prop, name in required
        yield from schema_fields(prop, path + (name,))


def test_first_line_is_the_modeline(skeleton):
    assert skeleton.read_text(encoding="utf-8").splitlines()[0] == MODELINE
    assert MODELINE == "# yaml-language-server: $schema=../schema/case.schema.json"


def test_every_schema_field_is_in_the_skeleton_under_its_comment(skeleton):
    lines = skeleton.read_text(encoding="utf-8").splitlines()
    fields = list(schema_fields())
    assert len(fields) > 80  # the walk reaches into models, terms, metrics, people, sources
    start = 0
    for path, prop, required in fields:
        name = path[-1]
        key = re.compile(rf"^[ #]*(- )?{re.escape(name)}:( |$)")
        at = next((i for i in range(start, len(lines)) if key.match(lines[i])), None)
        assert at is not None, f"{'.'.join(path)} is missing (or out of schema order)"
        comment = next(lines[i] for i in range(at - 1, -1, -1) if f" [{'必填' if required else '选填'}"
                       in lines[i] or lines[i].lstrip(" #-").startswith(prop["title"]))
        assert prop["title"] in comment, (path, comment)
        assert ("必填 required" if required else "选填 optional") in comment, (path, comment)
        if prop.get("description"):
            assert prop["description"] in comment, (path, comment)
        start = at + 1


def test_optional_fields_are_commented_out_and_required_ones_are_not(skeleton):
    data = read_case(skeleton).data
    root = resolve(load_schema())
    assert set(data) == set(root["required"])
    assert set(data["place"]) == set(resolve(root["properties"]["place"])["required"])
    assert set(data["sources"][0]) == {"id", "title", "language", "evidence_type"}


def test_empty_skeleton_fails_at_every_placeholder_and_nowhere_else(skeleton):
    report = validate_paths([skeleton])
    assert not report.ok
    assert report.warnings == []  # advice waits until the file has no errors
    got = {p.json_path for p in report.problems}
    assert got == {
        "$.title", "$.title_en", "$.headline", "$.summary", "$.summary_en", "$.background",
        "$.approach", "$.outcomes", "$.lessons[0]", "$.place.province", "$.place.prefecture",
        "$.place.division_code", "$.scope", "$.case_type", "$.themes[0]", "$.sources[0].id",
        "$.sources[0].title", "$.sources[0].language", "$.sources[0].evidence_type",
    }
    lines = skeleton.read_text(encoding="utf-8").splitlines()
    for p in report.problems:  # each error points at the placeholder itself
        assert lines[p.line - 1][p.col - 1:] in ('""', ""), (p, lines[p.line - 1])
    title = next(p for p in report.problems if p.json_path == "$.title")
    assert title.message.startswith("`title` must not be empty; e.g. `title: ")


def test_id_and_place_pinyin_are_filled_from_the_id(skeleton):
    data = read_case(skeleton).data
    assert data["id"] == CASE_ID
    assert data["place"]["pinyin"] == "dawang"
    assert data["schema_version"] == 2


def fill(text: str, values: dict) -> str:
    """Replace `key: ""` placeholders, keyed by (top-level section, key), as a person would."""
    out, section = [], None
    for line in text.splitlines():
        m = re.match(r"^(\s*)(- )?([a-z_]+):( \"\")?$", line)
        if m and not m.group(1) and not m.group(2):
            section = m.group(3)
        if m and m.group(4) and (section, m.group(3)) in values:
            line = f"{m.group(1)}{m.group(2) or ''}{m.group(3)}: {values[section, m.group(3)]}"
        elif line.strip() == '- ""' and (section, "-") in values:
            line = line.replace('""', values[section, "-"])
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_filled_skeleton_validates(skeleton):
    # Facts from the Dawang article (../shared/sources/dawang.txt) and its README row.
    values = {
        ("title", "title"): "大王镇“跨村联建”",
        ("title_en", "title_en"): '"Dawang Town: cross-village joint building"',  # quoted: it has ": "
        ("headline", "headline"): "打破就村抓村的惯性思维，推动村级工作由“单打独斗”转向“抱团发展”",
        ("summary", "summary"): "大王镇创新探索“跨村联建”新模式。",
        ("summary_en", "summary_en"): "Dawang Town pioneered cross-village joint building.",
        ("background", "background"): "广饶县大王镇。", ("approach", "approach"): "组织联建聚合力。",
        ("outcomes", "outcomes"): "全面激发乡村振兴新动能。",
        ("lessons", "-"): "推动村级工作由“单打独斗”转向“抱团发展”。",
        ("place", "province"): "山东省", ("place", "prefecture"): "东营市",
        ("place", "division_code"): '"370523"', ("scope", "scope"): "town", ("themes", "-"): "party_building",
        ("case_type", "case_type"): "cross_village_joint_construction",
        ("sources", "evidence_type"): "editorial",
        ("sources", "id"): "dawang-commentary", ("sources", "language"): "zh",
        ("sources", "title"): "【评论员文章】解读广饶县2023年乡村振兴政策——跨村联建激发乡村振兴新动能",
    }
    skeleton.write_text(fill(skeleton.read_text(encoding="utf-8"), values), encoding="utf-8")
    report = validate_paths([skeleton])
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert [c.data["id"] for c in report.cases] == [CASE_ID]


def test_render_of_a_complete_case_round_trips_and_validates(tmp_path):
    original = read_case(VALID / "langao-fixture-mini.yaml").data
    target = tmp_path / "langao-fixture-mini.yaml"
    target.write_text(render(original), encoding="utf-8")
    assert read_case(target).data == original
    assert validate_paths([target]).errors == []


def test_render_keeps_awkward_text_exact(tmp_path):
    data = {"title": "no", "summary": "2023-09", "headline": "a: b #c", "background": "一段\n\n二段",
            "approach": " leading space", "outcomes": "“引号”开头", "lessons": ["- dash", "@at", "12"]}
    target = tmp_path / "x.yaml"
    target.write_text(render(data), encoding="utf-8")
    back = read_case(target).data
    assert {k: back[k] for k in data} == data


def test_refuses_to_overwrite(skeleton):
    skeleton.write_text("kept\n", encoding="utf-8")
    result = run("new", CASE_ID)
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert skeleton.read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize("bad", ["Langao-x", "langao_x", "langao", "langao--x", "-langao-x", "岚皋-x",
                                 "langao-" + "x" * 80, "lan9ao-x"])
def test_refuses_an_invalid_id(bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    result = run("new", "--", bad)
    assert result.exit_code == 2, result.output
    assert "e.g. langao-first-secretary-team-service" in result.output
    assert list((tmp_path / "cases").iterdir()) == []


def test_check_case_id_returns_the_place():
    assert check_case_id("qiannan-1-2-n-teams") == "qiannan"
    with pytest.raises(SkeletonError, match="must start with the place name in pinyin"):
        check_case_id("qiannan")


def test_without_a_cases_folder_is_misuse(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", CASE_ID)
    assert result.exit_code == 2
    assert "no cases/ folder" in result.output


def uncomment(text: str, key: str) -> str:
    """Toggle the comment of one top-level optional block off, as an editor does."""
    lines = text.splitlines()
    start = lines.index(f"# {key}:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("#   "):
        end += 1
    lines[start:end] = [line[2:] for line in lines[start:end]]
    return "\n".join(lines) + "\n"


def test_uncommenting_an_optional_block_gives_its_placeholders(skeleton):
    text = uncomment(skeleton.read_text(encoding="utf-8"), "models")
    skeleton.write_text(text, encoding="utf-8")
    report = validate_paths([skeleton])
    model = {p.json_path for p in report.errors if p.json_path.startswith("$.models")}
    assert model == {
        "$.models[0].id", "$.models[0].name", "$.models[0].name_en", "$.models[0].kind",
        "$.models[0].summary", "$.models[0].terms[0].name", "$.models[0].terms[0].role",
        "$.models[0].evidence[0].quote", "$.models[0].evidence[0].source",
    }
    # Nested optional fields stay commented after one toggle.
    assert "    # formula: \"\"" in text and "    formula:" not in text
