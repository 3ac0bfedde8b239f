"""`casebook from-issue`: an issue-form body becomes a draft case, validated at once."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.from_issue import NO_RESPONSE, draft, load_form, parse_body
from generator.load import read_case
from generator.skeleton import MODELINE, render
from generator.validate import validate_paths

from .conftest import ROOT, SOURCES

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "new-case.yml"
# A body as GitHub writes it from the form; every fact is from ../shared/sources/dawang.txt.
BODY = ROOT / "tests" / "fixtures" / "issues" / "dawang-new-case.md"
CASE_ID = "dawang-cross-village-joint-building"
SOURCE_ID = f"{CASE_ID}-source"


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(map(str, args)), input=stdin)


@pytest.fixture
def drafted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    result = run("from-issue", "--form", FORM, BODY)
    return result, tmp_path / "cases" / f"{CASE_ID}.yaml"


def quotes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from ([value] if key == "quote" else quotes(value))
    elif isinstance(node, list):
        for value in node:
            yield from quotes(value)


def test_body_is_read_by_the_form_labels():
    answers = parse_body(BODY.read_text(encoding="utf-8"), load_form(FORM))
    assert answers["id"] == CASE_ID
    assert answers["place-division_code"] == "370523"
    assert answers["scope"] == "town — 乡镇"
    assert NO_RESPONSE not in answers.values()
    assert "sources-0-publisher" not in answers and "period-end" not in answers
    assert answers["metrics"].splitlines()[1] == "划分微网格1000余个"


def test_draft_holds_what_the_form_gave(drafted):
    result, path = drafted
    assert f"wrote draft cases/{CASE_ID}.yaml" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    data = read_case(path).data
    assert data["place"] == {"province": "山东省", "prefecture": "东营市", "county": "广饶县",
                             "town": "大王镇", "division_code": "370523", "pinyin": "dawang"}
    assert data["scope"] == "town" and data["period"] == {"start": "2023"}
    assert data["case_type"] == "cross_village_joint_construction"
    assert data["themes"] == ["party_building", "industry", "talent", "governance"]
    assert data["lessons"] == [
        "跨村联建，联的是地域，建的是成效；联的是资源，建的是发展；联的是治理，建的是民心。"]
    assert data["sources"] == [{
        "id": SOURCE_ID, "title": "【评论员文章】解读广饶县2023年乡村振兴政策——跨村联建激发乡村振兴新动能",
        "authors": ["孙爱香"], "language": "zh", "evidence_type": "editorial",
        "note": "原文未印出发布媒体和发布日期。文末署名“评论员:孙爱香”。",
    }]
    model = data["models"][0]
    assert model["kind"] == "joint_construction" and "formula" not in model
    assert [t["symbol"] for t in model["terms"]] == ["组织联建", "产业联营", "人才联育", "治理联抓"]
    assert len(model["steps"]) == 3 and model["steps"][0].startswith("按照“地域相邻")  # "1. " dropped
    assert model["evidence"] == [{"quote": "创新探索“跨村联建”新模式,推动村级工作由“单打独斗”转向“抱团发展”",
                                  "source": SOURCE_ID}]
    # A value is read from its quote only when the quote holds one number.
    assert [(m.get("value"), m.get("qualifier")) for m in data["metrics"]] == [
        (None, ""), (1000, "plus"), (600, "plus")]
    # Fields the form left empty are not invented: they stay out, commented.
    assert "# publisher:" in text and "\n    publisher:" not in text
    assert "people" not in data


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not present in this checkout")
def test_every_quote_in_the_draft_is_verbatim(drafted):
    _, path = drafted
    article = (SOURCES / "dawang.txt").read_text(encoding="utf-8")
    found = list(quotes(read_case(path).data))
    assert len(found) == 4
    assert [q for q in found if q not in article] == []


def test_draft_is_validated_and_errors_point_at_what_is_left_to_do(drafted):
    result, path = drafted
    assert result.exit_code == 1
    report = validate_paths([path])
    todo = {f"$.metrics[{i}].{f}" for i in range(3)
            for f in ("indicator", "indicator_en", "unit", "claim_type", "status", "theme")}
    assert {p.json_path for p in report.errors} == todo | {"$.metrics[0].value", "$.metrics[0].qualifier"}
    lines = path.read_text(encoding="utf-8").splitlines()
    for p in report.errors:
        assert lines[p.line - 1][p.col - 1:] in ('""', ""), p
    assert f"{path.relative_to(path.parent.parent)}:" in result.output
    assert "20 error(s) in 1 file(s)" in result.output


def test_a_finished_draft_validates(drafted):
    _, path = drafted
    data = read_case(path).data
    # What a maintainer adds, each read from the metric's own quote.
    finish = [
        ("划设联合党组织的村数", "Villages grouped into joint Party organisations", 97, "village",
         "exact", "party_building"),
        ("划分的微网格数", "Micro-grids created", 1000, "item", "plus", "governance"),
        ("处理的矛盾纠纷数", "Disputes handled", 600, "item", "plus", "governance"),
    ]
    for metric, (indicator, indicator_en, value, unit, qualifier, theme) in zip(
            data["metrics"], finish, strict=True):
        metric.update(indicator=indicator, indicator_en=indicator_en, value=value, unit=unit,
                      qualifier=qualifier, claim_type="result", status="achieved", theme=theme)
    path.write_text(render(data), encoding="utf-8")
    report = validate_paths([path])
    assert report.errors == [], "\n".join(map(str, report.errors))
    # Left for later, as advice: the form asks for neither coordinates nor English names of parts,
    # and the source's text snapshot (sources/<id>.txt) is committed with the pull request.
    assert {p.rule for p in report.warnings} == {"advice-coordinates", "advice-model-summary-en",
                                                 "advice-term-name-en", "advice-snapshot"}


def test_refuses_to_overwrite(drafted):
    _, path = drafted
    result = run("from-issue", "--form", FORM, BODY)
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_body_from_stdin_and_a_missing_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    body = BODY.read_text(encoding="utf-8").replace(CASE_ID, NO_RESPONSE, 1)
    result = run("from-issue", "--form", FORM, "-", stdin=body)
    assert result.exit_code == 1
    assert "the issue has no case id" in result.output
    assert list((tmp_path / "cases").iterdir()) == []


def test_a_bad_id_is_explained():
    with pytest.raises(ValueError, match="is not a valid case id"):
        draft({"id": "Dawang Town"})


def test_without_a_cases_folder_is_misuse(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("from-issue", "--form", FORM, BODY)
    assert result.exit_code == 2
    assert "no cases/ folder" in result.output


# --- the hostile review: an error about an answer names its line in the body (finding 9) ------

ID_RULES = ("is not a valid case id: use lower-case ASCII letters, digits and single hyphens, at most "
            "80 characters, e.g. langao-first-secretary-team-service")


def _with_id(tmp_path, monkeypatch, answer: str) -> str:
    """The body file with the case id answer (line 3 of the body) replaced; cwd has cases/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    body = BODY.read_text(encoding="utf-8")
    assert body.split("\n")[2] == CASE_ID
    (tmp_path / "body.md").write_text(body.replace(f"\n{CASE_ID}\n", f"\n{answer}\n", 1), encoding="utf-8")
    return "body.md"


@pytest.mark.parametrize(("answer", "output"), [
    # The reviewer's body: an id with capitals.
    ("Dawang-Cross", f"'Dawang-Cross' {ID_RULES}"),
    ("../dawang-cross", f"'../dawang-cross' {ID_RULES}"),
    ("dawang-" + "x" * 293, f"'dawang-{'x' * 293}' {ID_RULES}"),
    # NEL is a line break in an answer (parse_body): echoed escaped, as \n.
    ("dawang\x85cross", f"'dawang\\ncross' {ID_RULES}"),
], ids=["capitals", "dot-dot", "300-characters", "nel"])
def test_a_bad_case_id_names_its_line_in_the_body(tmp_path, monkeypatch, answer, output):
    result = run("from-issue", "--form", FORM, _with_id(tmp_path, monkeypatch, answer))
    assert result.exit_code == 1
    assert result.output == f"Error: the answer to “案例编号 Case id” at line 3 of the issue body: {output}\n"
    assert list((tmp_path / "cases").iterdir()) == []


def test_an_id_after_blank_lines_is_at_its_own_line(tmp_path, monkeypatch):
    # Blank lines, and a U+2028 (a line break in an answer), before the id: the id's own line.
    result = run("from-issue", "--form", FORM, _with_id(tmp_path, monkeypatch, "\n\u2028\ndawang"))
    assert result.exit_code == 1
    assert result.output == ("Error: the answer to “案例编号 Case id” at line 5 of the issue body: 'dawang' "
                             "must start with the place name in pinyin and a hyphen, then a short name, "
                             "e.g. langao-first-secretary-team-service (the place is 'langao')\n")


def test_a_missing_id_names_its_heading_line(tmp_path, monkeypatch):
    result = run("from-issue", "--form", FORM, _with_id(tmp_path, monkeypatch, NO_RESPONSE))
    assert result.exit_code == 1
    assert result.output == ("Error: the issue has no case id (### 案例编号 Case id at line 1 of the issue "
                             "body); add one, e.g. langao-first-secretary-team-service\n")


def test_an_existing_case_names_the_id_line(tmp_path, monkeypatch):
    body = _with_id(tmp_path, monkeypatch, CASE_ID)
    (tmp_path / "cases" / f"{CASE_ID}.yaml").write_text("theirs", encoding="utf-8")
    result = run("from-issue", "--form", FORM, body)
    assert result.exit_code == 1
    assert result.output == (f"Error: cases/{CASE_ID}.yaml already exists; the case may already be in the "
                             "collection (the case id is at line 3 of the issue body)\n")


# --- the second hostile review: a body GitHub accepts but no case could be -------------------

def _with_figures(tmp_path, monkeypatch, figures: str) -> str:
    """The body file with the Figures answer replaced; cwd has cases/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    head, rest = BODY.read_text(encoding="utf-8").split("### 数字 Figures\n\n", 1)
    (tmp_path / "body.md").write_text(f"{head}### 数字 Figures\n\n{figures}\n\n### 人物 People"
                                      + rest.split("### 人物 People", 1)[1], encoding="utf-8")
    return "body.md"


def test_more_figure_lines_than_a_case_can_hold_are_refused_at_once(tmp_path, monkeypatch):
    figures = "\n".join(f"村{i}个" for i in range(12_000))
    result = run("from-issue", "--form", FORM, _with_figures(tmp_path, monkeypatch, figures))
    assert result.exit_code == 1
    assert result.output == ("Error: the answer to field `metrics` at line 164 of the issue body has 12,000 "
                             "lines; a case has at most 300 of them (one per line): keep the ones the source "
                             "states\n")
    assert list((tmp_path / "cases").iterdir()) == []


def test_a_number_no_case_can_hold_is_left_for_the_contributor(tmp_path, monkeypatch):
    figures = "帮销农特产品" + "9" * 309 + "元"
    result = run("from-issue", "--form", FORM, _with_figures(tmp_path, monkeypatch, figures))
    text = (tmp_path / "cases" / f"{CASE_ID}.yaml").read_text(encoding="utf-8")
    assert ".inf" not in text and "value: " not in text.split("metrics:", 1)[1].split("people:", 1)[0]
    assert "wrote draft" in result.output
