"""Every quote a page shows as evidence carries its verification mark (issue 15, review): practices
on the case page and evidence on the model page, as the figures do, one wording site-wide."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from generator.pages import build_pages
from generator.validate import validate_paths

from .conftest import FIXTURES, VALID

VERIFIED = {"class": "cb-verified",
            "title": "原文与仓库保存的来源文本逐字相符 Quote matches the stored copy of the source",
            "text": "✓ 已核对"}
UNVERIFIED = {"class": "cb-unverified",
              "title": "没有保存来源文本，原文未核对 No stored copy of the source: not verified",
              "text": "未核对"}

CASE = "langao-fixture-mini"
MODEL = "langao-fixture-1-12-x"
STORED = "langao-fixture-source"  # has a stored copy in tests/fixtures/sources
INVENTED = "fixture-unstored-source"  # has none
PRACTICE_STORED = "建立农特产品联销制度"  # in the stored copy
EVIDENCE_STORED = "如今,这种“县级服务团+12个镇级服务团+X个服务工作组”的“1+12+X”服务模式在岚皋全县铺开"
PRACTICE_INVENTED = "全村统一收购土鸡蛋并贴牌销售"
EVIDENCE_INVENTED = "这一模式已在周边三个县推广"


class _Marks(HTMLParser):
    """The marks of a page: every <p> inside a <blockquote> and every <td>, with its own text
    (spans left out) and the <span>s in it as {"class", "title", "text"}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.quotes = 0  # open blockquotes
        self.blocks: list[dict] = []  # {"kind": "quote" | "cell", "text": str, "marks": [dict]}
        self.block: dict | None = None
        self.span: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "blockquote":
            self.quotes += 1
        elif (tag == "p" and self.quotes) or tag == "td":
            self.block = {"kind": "quote" if tag == "p" else "cell", "text": "", "marks": []}
            self.blocks.append(self.block)
        elif tag == "span" and self.block is not None:
            self.span = {"class": attrs.get("class"), "title": attrs.get("title"), "text": ""}
            self.block["marks"].append(self.span)

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.quotes -= 1
        elif tag in ("p", "td"):
            self.block = None
        elif tag == "span":
            self.span = None

    def handle_data(self, data):
        if self.span is not None:
            self.span["text"] += data
        elif self.block is not None:
            self.block["text"] += data


def _marks(html: str) -> list[dict]:
    parser = _Marks()
    parser.feed(html)
    return [{**b, "text": b["text"].strip()} for b in parser.blocks]


def _body(page: str) -> str:
    """A generated page without its front matter."""
    assert page.startswith("---\n")
    return page.split("\n---\n", 1)[1]


def _case_html(page: str) -> str:
    """The case page's Markdown as MkDocs turns it into HTML (the extensions of mkdocs.yml)."""
    return markdown.markdown(_body(page), extensions=["admonition", "attr_list", "md_in_html", "tables",
                                                      "toc"])


def project_with_unstored_source(root: Path, edit) -> Path:
    """The valid fixture with its stored source in root/cases and root/sources, plus a second
    source with no stored copy; `edit(data)` changes the case before it is written. Returns the
    cases folder (also used by test_quote_display.py)."""
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


def _cite_the_unstored_source(data: dict) -> None:
    data["practices"].append({"title": "土鸡蛋统一贴牌", "description": "村里统一收购土鸡蛋。",
                              "themes": ["consumption_assistance"], "quote": PRACTICE_INVENTED,
                              "source": INVENTED})
    data["models"][0]["evidence"].append({"quote": EVIDENCE_INVENTED, "source": INVENTED})


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict:
    """The valid fixture with its stored source, plus a second source with no stored copy that a
    practice and a model evidence quote cite."""
    cases = project_with_unstored_source(tmp_path_factory.mktemp("marks"), _cite_the_unstored_source)
    report = validate_paths([cases])
    assert report.ok, [p.message for p in report.errors]
    assert [p.rule for p in report.warnings if p.rule == "advice-snapshot"] == ["advice-snapshot"]
    return build_pages(report.cases)


def test_each_practice_quote_on_the_case_page_carries_its_own_mark(pages):
    blocks = _marks(_case_html(pages[f"cases/{CASE}.md"]))
    quotes = {b["text"]: b["marks"] for b in blocks if b["kind"] == "quote"}
    assert quotes == {PRACTICE_STORED: [VERIFIED], PRACTICE_INVENTED: [UNVERIFIED]}


def test_the_case_page_marks_figures_and_quotes_alike(pages):
    blocks = _marks(_case_html(pages[f"cases/{CASE}.md"]))
    figures = [b["marks"] for b in blocks if b["kind"] == "cell" and b["marks"]]
    # both figures and the person's quote (test_quote_display.py) quote the stored source
    assert figures == [[VERIFIED], [VERIFIED], [VERIFIED]]


def test_each_evidence_quote_on_the_model_page_carries_its_own_mark(pages):
    page = pages[f"models/{MODEL}.md"]
    assert "body: html" in page.split("\n---\n", 1)[0]  # the body is the page's HTML as written
    blocks = _marks(_body(page))
    quotes = {b["text"]: b["marks"] for b in blocks if b["kind"] == "quote" and not b["text"].startswith("—")}
    assert quotes == {EVIDENCE_STORED: [VERIFIED], EVIDENCE_INVENTED: [UNVERIFIED]}
    # the attribution lines carry no mark of their own: one mark per quote
    sources = [b for b in blocks if b["kind"] == "quote" and b["text"].startswith("—")]
    assert [(b["text"], b["marks"]) for b in sources] == [
        ("— 激活乡村“新密码”——陕西安康岚皋县第一书记“组团服务”赋能高质量发展", []),
        ("— 没有保存文本的来源", [])]
    figures = [b["marks"] for b in blocks if b["kind"] == "cell" and b["marks"]]
    assert figures == [[VERIFIED], [VERIFIED]]  # its first term's quote, and its figure as on the case page


def test_a_changed_snapshot_renders_the_model_page_afresh(tmp_path):
    """The page cache keys a model page on its case's snapshots too: its marks depend on them."""
    cases = tmp_path / "cases"
    shutil.copytree(VALID, cases)
    (tmp_path / "sources").mkdir()  # empty: the source has no stored copy yet
    cache: dict = {}
    before = build_pages(validate_paths([cases]).cases, cache=cache)[f"models/{MODEL}.md"]
    assert [b["marks"] for b in _marks(_body(before)) if b["text"] == EVIDENCE_STORED] == [[UNVERIFIED]]
    for name in (f"{STORED}.txt", f"{STORED}.yaml"):
        shutil.copy(FIXTURES / "sources" / name, tmp_path / "sources" / name)
    after = build_pages(validate_paths([cases]).cases, cache=cache)[f"models/{MODEL}.md"]
    assert [b["marks"] for b in _marks(_body(after)) if b["text"] == EVIDENCE_STORED] == [[VERIFIED]]
