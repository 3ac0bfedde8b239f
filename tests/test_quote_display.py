"""Every quote the site counts is shown with its mark, and the site and the data package give each
quote one status (review provenance2 #16, #7).

#16: a person's quote (the source's sentence naming them) on the case page and a model term's quote
on the model page, each with ✓ 已核对 / 未核对, as the figures are.
#7: a term quote may name no source in a case with several sources: the CSV's quote_verified and the
page's mark come from the same verdicts, and the page's tally counts every quote once.
#13: `mkdocs serve` watches the snapshot folders too: a changed snapshot changes the marks.
"""

from __future__ import annotations

import re
import shutil

import pytest

from generator import provenance
from generator.export import package_files
from generator.pages import build_pages
from generator.validate import validate_paths

from .test_plugin import _Server, _site
from .test_provenance import _table
from .test_quote_marks import (
    CASE,
    INVENTED,
    MODEL,
    UNVERIFIED,
    VERIFIED,
    _body,
    _case_html,
    _marks,
    project_with_unstored_source,
)

PERSON_STORED = "南宫山镇宏大村的驻村第一书记邹天宁是建行陕西分行派驻的"  # in the stored copy
PERSON_INVENTED = "驻村第一书记王小明介绍"
TERM_STORED = "县上成立了由县委副书记任总团长的县级服务团"  # term 0, source named, in the stored copy
TERM_INVENTED = "镇级服务团由镇党委书记任分团长"  # term 1, cites the source with no stored copy
TERM_NOWHERE = "十二个镇级服务团全部建成"  # names no source, in no stored copy
UNATTRIBUTED = {"class": "cb-unverified",
                "title": "引语未注明来源，本案例保存的来源文本都不含这段原文，未核对 "
                         "The quote names no source and no stored copy of this case's sources holds it: "
                         "not verified",
                "text": "未核对"}


def _shown(data: dict) -> None:
    data["people"].append({"name": "王小明", "role": "驻村第一书记", "did": "介绍帮扶情况",
                           "quote": PERSON_INVENTED, "source": INVENTED})
    data["models"][0]["terms"][1].update(quote=TERM_INVENTED, source=INVENTED)


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict:
    report = validate_paths([project_with_unstored_source(tmp_path_factory.mktemp("shown"), _shown)])
    assert report.ok, [p.message for p in report.errors]
    return build_pages(report.cases)


def _rows(blocks: list[dict]) -> list[tuple]:
    """(quote cell text, marks of the next cell) for every table cell that holds a quote “…”."""
    return [(b["text"], nxt["marks"]) for b, nxt in zip(blocks, blocks[1:], strict=False)
            if b["kind"] == "cell" and b["text"].startswith("“") and not b["marks"]]


def test_each_person_quote_is_shown_on_the_case_page_with_its_mark(shown):
    html = _case_html(shown[f"cases/{CASE}.md"])
    people = html[html.index('<h2 id="people">'):html.index('<h2 id="sources">')]
    assert "<th>原文 Quote</th>" in people and "<th>核对 Verified</th>" in people
    assert _rows(_marks(people)) == [(f"“{PERSON_STORED}”", [VERIFIED]),
                                     (f"“{PERSON_INVENTED}”", [UNVERIFIED])]


def test_each_term_quote_is_shown_in_the_model_parts_table_with_its_mark(shown):
    html = _body(shown[f"models/{MODEL}.md"])
    parts = html[html.index('<h2 id="structure">'):html.index('<h2 id="steps">')]
    # one more column, the quote with its mark after it
    assert len(re.findall(r"<th[ >]", parts)) == 7 and "<th>原文 Quote</th>" in parts
    rows = parts.split("<tr>")[2:]  # the header row first
    assert len(rows) == 3
    cells = [_marks("<table><tr>" + r) for r in rows]
    assert [len(c) for c in cells] == [7, 7, 7]  # every row as wide as the header
    assert [(c[6]["text"], c[6]["marks"]) for c in cells] == [
        (f"“{TERM_STORED}”", [VERIFIED]), (f"“{TERM_INVENTED}”", [UNVERIFIED]),
        ("", [])]  # term 2 has no quote


def test_a_model_whose_terms_quote_nothing_has_no_quote_columns(tmp_path):
    def unquoted(data):
        for t in data["models"][0]["terms"]:
            t.pop("quote", None)

    report = validate_paths([project_with_unstored_source(tmp_path, unquoted)])
    assert report.ok, [p.message for p in report.errors]
    html = _body(build_pages(report.cases)[f"models/{MODEL}.md"])
    assert "原文 Quote" not in html[html.index('<h2 id="structure">'):html.index('<h2 id="steps">')]


def _sourceless(data: dict) -> None:
    """Two sources; term 0 names no source and is in the stored copy, term 1 names none and is in none."""
    terms = data["models"][0]["terms"]
    del terms[0]["source"]
    terms[1]["quote"] = TERM_NOWHERE
    terms[1].pop("source", None)


@pytest.fixture(scope="module")
def sourceless(tmp_path_factory):
    cases = project_with_unstored_source(tmp_path_factory.mktemp("sourceless"), _sourceless)
    report = validate_paths([cases])
    assert report.ok, [p.message for p in report.errors]
    return report, build_pages(report.cases), package_files(report.cases)


def _page_marks(html: str) -> dict[str, list]:
    """quote → its marks, for every quote shown: in a blockquote, or in a table cell “…” with the
    marks in the same cell or in the next one."""
    blocks = _marks(html)
    out = {}
    for b, nxt in zip(blocks, [*blocks[1:], None], strict=True):
        text = b["text"]
        if b["kind"] == "quote" and b["marks"]:
            out[text] = b["marks"]
        elif b["kind"] == "cell" and text.startswith("“") and text.endswith("”"):
            out[text[1:-1]] = b["marks"] or nxt["marks"]
    return out


def test_the_csv_and_the_pages_give_each_quote_one_status(sourceless):
    report, pages, files = sourceless
    terms = [r for r in _table(files, "model_terms") if r["case_id"] == CASE]
    assert [(r["quote"], r["source_id"], r["quote_verified"]) for r in terms] == [
        (TERM_STORED, "", "true"),  # in the stored copy: verified, its source left empty as written
        (TERM_NOWHERE, "", "false"),  # in no stored copy
        ("", "", "")]  # term 2 has no quote
    shown = {**_page_marks(_case_html(pages[f"cases/{CASE}.md"])),
             **_page_marks(_body(pages[f"models/{MODEL}.md"]))}
    assert shown[TERM_STORED] == [VERIFIED]
    assert shown[TERM_NOWHERE] == [UNATTRIBUTED]  # 未核对, with a tooltip that says why
    compared = 0
    for name in ("metrics", "practices", "people", "model_terms", "model_evidence"):
        for row in _table(files, name):
            if row["case_id"] == CASE and row["quote"]:
                (mark,) = shown[row["quote"]]
                said = row["quote_verified"] == "true"
                assert (mark["class"] == "cb-verified") == said, (name, row["quote"])
                compared += 1
    case = next(c.data for c in report.cases if c.data["id"] == CASE)
    assert compared == len(list(provenance.quotes(case))) == 7


def test_the_case_page_tally_counts_every_quote(sourceless):
    report, pages, _ = sourceless
    page = pages[f"cases/{CASE}.md"]
    case = next(c.data for c in report.cases if c.data["id"] == CASE)
    matched = [(int(v), int(n)) for v, n in re.findall(r"（(\d+) of (\d+) quotes match the stored", page)]
    unstored = [int(n) for n in re.findall(r"no stored copy of this source: (\d+) quotes not verified", page)]
    unattributed = [int(n) for n in re.findall(r"（(\d+) more quotes? names? no source", page)]
    assert matched == [(6, 6)]  # 5 quotes naming the stored source and term 0, found in it
    assert unstored == [0]  # the source with no stored copy: no quote names it
    assert unattributed == [1]  # term 1
    assert "另有 1 条原文引语未注明来源，本案例保存的来源文本都不含这些原文，未核对" in page
    every = len(list(provenance.quotes(case)))
    assert sum(n for _, n in matched) + sum(unstored) + sum(unattributed) == every == 7


def test_no_unattributed_line_when_every_quote_has_a_source(shown):
    assert "未注明来源" not in shown[f"cases/{CASE}.md"]


def test_serve_watches_the_snapshot_folder_beside_the_cases(tmp_path):
    config = _site(tmp_path, "cases")
    (tmp_path / "sources").mkdir()
    watched = config.plugins.on_serve(_Server(), config=config, builder=None).watched
    root = tmp_path.resolve()
    assert str(root / "cases") in watched and str(root / "sources") in watched


def test_serve_watches_the_nearest_snapshot_folder_of_each_case(tmp_path):
    config = _site(tmp_path, "cases")
    (tmp_path / "sources").mkdir()
    (tmp_path / "cases" / "east" / "sources").mkdir(parents=True)
    shutil.move(tmp_path / "cases" / f"{CASE}.yaml", tmp_path / "cases" / "east" / f"{CASE}.yaml")
    watched = config.plugins.on_serve(_Server(), config=config, builder=None).watched
    root = tmp_path.resolve()
    assert str(root / "sources") in watched and str(root / "cases" / "east" / "sources") in watched
    assert watched.count(str(root / "sources")) == 1


def test_serve_without_a_snapshot_folder_watches_the_cases_only(tmp_path):
    config = _site(tmp_path, "cases")
    watched = config.plugins.on_serve(_Server(), config=config, builder=None).watched
    assert str(tmp_path.resolve() / "cases") in watched
    assert not [w for w in watched if w.endswith("sources")]
