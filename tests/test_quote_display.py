"""Every quote the site counts is shown with its mark, and the site and the data package give each
quote one status (review provenance2 #16, #7).

#16: a person's quote (the source's sentence naming them) on the case page and a model term's quote
on the model page, each with ✓ 已核对 / 未核对, as the figures are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.pages import build_pages
from generator.validate import validate_paths

from .conftest import FIXTURES, VALID
from .test_quote_marks import UNVERIFIED, VERIFIED, _body, _case_html, _marks

CASE = "langao-fixture-mini"
MODEL = "langao-fixture-1-12-x"
STORED = "langao-fixture-source"  # has a stored copy in tests/fixtures/sources
INVENTED = "fixture-unstored-source"  # has none
PERSON_STORED = "南宫山镇宏大村的驻村第一书记邹天宁是建行陕西分行派驻的"  # in the stored copy
PERSON_INVENTED = "驻村第一书记王小明介绍"
TERM_STORED = "县上成立了由县委副书记任总团长的县级服务团"  # term 0, source named, in the stored copy
TERM_INVENTED = "镇级服务团由镇党委书记任分团长"  # term 1, cites the source with no stored copy


def _project(root: Path, edit) -> Path:
    """The valid fixture with its stored source in root/cases and root/sources, plus a second source
    with no stored copy; `edit(data)` changes the case before it is written. Returns the cases folder."""
    cases = root / "cases"
    shutil.copytree(VALID, cases)
    (root / "sources").mkdir()
    for name in (f"{STORED}.txt", f"{STORED}.yaml"):
        shutil.copy(FIXTURES / "sources" / name, root / "sources" / name)
    path = cases / f"{CASE}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"].append({"id": INVENTED, "title": "没有保存文本的来源", "language": "zh",
                            "evidence_type": "news_report"})
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cases


def _shown(data: dict) -> None:
    data["people"].append({"name": "王小明", "role": "驻村第一书记", "did": "介绍帮扶情况",
                           "quote": PERSON_INVENTED, "source": INVENTED})
    data["models"][0]["terms"][1].update(quote=TERM_INVENTED, source=INVENTED)


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict:
    report = validate_paths([_project(tmp_path_factory.mktemp("shown"), _shown)])
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

    report = validate_paths([_project(tmp_path, unquoted)])
    assert report.ok, [p.message for p in report.errors]
    html = _body(build_pages(report.cases)[f"models/{MODEL}.md"])
    assert "原文 Quote" not in html[html.index('<h2 id="structure">'):html.index('<h2 id="steps">')]
