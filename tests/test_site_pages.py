"""Site pages of issue 12 without a browser: figures read the Chinese way, structure diagrams,
downloads and codebook pages, the same-page check, 404, lang, sitemap, public wording, newest."""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.figures import reading
from generator.history import added_dates
from generator.load import discover, read_case
from generator.pages import _diagram, build_pages, href
from generator.schema import VOCABULARIES, vocabulary
from generator.validate import validate_paths

from .conftest import CASES, VALID
from .site_helpers import build_site


@pytest.mark.parametrize(("metric", "text"), [
    ({"value": 457_000_000, "unit": "cny", "qualifier": "exact"}, "4.57亿元"),
    ({"value": 4_000_000, "unit": "cny", "qualifier": "plus"}, "400余万元"),
    ({"value": 11_000, "unit": "person_time", "qualifier": "exact"}, "1.1万人次"),
    ({"value": 11_000, "unit": "person_time", "qualifier": "plus"}, "1.1万余人次"),
    ({"value": 30, "unit": "item", "qualifier": "plus"}, "30余项"),
    ({"value": 1_000_000, "unit": "cny", "qualifier": "at_least"}, "100万元以上"),
    ({"value": 300, "unit": "person", "qualifier": "more_than"}, "超过300人"),
    ({"value": 400, "unit": "household", "qualifier": "just_under"}, "近400户"),
    ({"value": 50, "unit": "village", "qualifier": "approximately"}, "约50个村"),
    ({"value": 15, "unit": "day", "qualifier": "at_most"}, "最多15天"),
    ({"value": 3, "unit": "day", "qualifier": "less_than"}, "不到3天"),
    ({"value": 3, "value_max": 5, "unit": "day", "qualifier": "range"}, "3–5天"),
    # no quote to read the source's words from: the lower bound only, never the conventional upper one
    ({"value": 10_000, "value_max": 100_000, "unit": "time", "qualifier": "vague"}, "1万次以上"),
    # 余 follows the last unit digit: 1万余, not 1余万; 1余个月 is not Chinese (超过1个月 is true)
    ({"value": 10_000, "unit": "person_time", "qualifier": "plus"}, "1万余人次"),
    ({"value": 1, "unit": "month", "qualifier": "plus"}, "超过1个月"),
    ({"value": 20_000, "unit": "cny", "qualifier": "exact", "per": "year"}, "2万元/年"),
    ({"value": 85.5, "unit": "percent", "qualifier": "exact"}, "85.5%"),
])
def test_figures_read_the_chinese_way(metric, text):
    assert reading(metric) == text


@pytest.mark.parametrize(("metric", "text"), [
    # review rv12 #5: the number as the quote writes it, 余/多 where the source puts them
    ({"value": 10_000, "unit": "person_time", "qualifier": "plus", "quote": "两年来共培训1万余人次"},
     "1万余人次"),
    ({"value": 50_000, "unit": "jin", "qualifier": "plus", "quote": "帮助种植户销售5万余斤"}, "5万余斤"),
    ({"value": 1, "unit": "month", "qualifier": "plus", "quote": "经过一个多月的精心酝酿"}, "一个多月"),
    ({"value": 1, "unit": "hour", "qualifier": "plus",
      "quote": "一场长达一个多小时的践行社会主义核心价值观宣讲"},
     "一个多小时"),
    ({"value": 9_000_000, "unit": "cny", "qualifier": "plus",
      "quote": "争取帮扶项目资金900多万元"}, "900多万元"),
    # review rv12 #6: the quote's measure word, not the unit code's generic word
    ({"value": 57, "unit": "item", "qualifier": "exact", "quote": "安装路灯57盏"}, "57盏"),
    ({"value": 600, "unit": "item", "qualifier": "plus",
      "quote": "目前已处理各类矛盾纠纷600余起"}, "600余起"),
    ({"value": 3, "unit": "event", "qualifier": "exact", "quote": "组织开展集中培训3次"}, "3次"),
    ({"value": 29, "unit": "organisation", "qualifier": "exact",
      "quote": "将97个村划设29个联合党组织"}, "29个"),
    ({"value": 39, "unit": "organisation", "qualifier": "exact",
      "quote": "由21名科级干部联系39家合作社"}, "39家"),
    ({"value": 1, "unit": "event", "qualifier": "at_least", "per": "month",
      "quote": "每月至少到挂点联系村开展1次全民集中劳动日活动"}, "1次以上/月"),
    # the generic word stays when the quote writes it (97个村, 1400余人次)
    ({"value": 97, "unit": "village", "qualifier": "exact", "quote": "将97个村划设29个联合党组织"}, "97个村"),
    # review rv12 #7: a vague figure in the source's words, no upper bound the source does not give
    ({"value": 10_000, "value_max": 100_000, "unit": "time", "qualifier": "vague",
      "quote": "驻村业务“云端”课堂点击率上万"}, "上万次"),
])
def test_figures_follow_the_quote(metric, text):
    assert reading(metric) == text


def test_case_page_shows_figures_the_chinese_way_and_no_grouped_digits():
    page = build_pages(validate_paths([VALID]).cases)["cases/langao-fixture-mini.md"]
    assert "| 400余万元 |" in page and "4,000,000" not in page


class _Tree(HTMLParser):
    """A tiny DOM: (tag, attrs, text) of every element, in order, with its depth."""

    def __init__(self):
        super().__init__()
        self.items: list[dict] = []
        self.stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self.stack)}
        self.items.append(node)
        self.stack.append(node)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        for node in self.stack:
            node["text"] += data


def _tree(html: str) -> list[dict]:
    tree = _Tree()
    tree.feed(str(html))
    return tree.items


def _model(model_id: str) -> dict:
    for path in discover([CASES]):
        for model in read_case(path).data.get("models", []):
            if model["id"] == model_id:
                return model
    pytest.fail(f"no model {model_id}")


def _classes(node):
    return (node["attrs"].get("class") or "").split()


def test_diagram_1_12_x_is_a_hierarchy_top_down():
    nodes = _tree(_diagram(_model("langao-1-12-x")))
    assert nodes[0]["attrs"]["data-structure"] == "hierarchy"
    terms = [n["text"] for n in nodes if "cb-term" in _classes(n)]
    assert [t.split("团")[0] for t in terms[:2]] == ["1县级服务", "12镇级服务"] and len(terms) == 3
    assert [n["text"] for n in nodes if "cb-arrow" in _classes(n)] == ["↓", "↓"]


def test_diagram_cross_town_teams_are_eight_peers_without_arrows():
    nodes = _tree(_diagram(_model("langao-cross-town-service-teams")))
    assert nodes[0]["attrs"]["data-structure"] == "peers"
    assert len([n for n in nodes if "cb-term" in _classes(n)]) == 8
    assert not [n for n in nodes if "cb-arrow" in _classes(n)]
    assert "→" not in nodes[0]["text"] and "↓" not in nodes[0]["text"]


def test_diagram_1_2_n_draws_no_leader():
    nodes = _tree(_diagram(_model("qiannan-1-2-n")))
    assert nodes[0]["attrs"]["data-structure"] == "peers"
    assert not [n for n in nodes if "cb-arrow" in _classes(n) or "cb-lead" in _classes(n)]
    assert len([n for n in nodes if "cb-term" in _classes(n)]) == 3


def test_diagram_1_1_n_pairs_two_members_and_serves_the_households_outside_the_pair():
    nodes = _tree(_diagram(_model("gaozhou-1-1-n")))
    assert nodes[0]["attrs"]["data-structure"] == "pairing"
    pair = next(n for n in nodes if "cb-pair" in _classes(n))
    sides = [n for n in nodes if "cb-term" in _classes(n) and pair in n["parents"]]
    assert [n["attrs"].get("data-role") for n in sides] == ["side", "side"]
    assert "结对单位党员" in sides[0]["text"] and "农村党员" in sides[1]["text"]
    served = [n for n in nodes if n["attrs"].get("data-role") == "served"]
    assert len(served) == 1 and "农户" in served[0]["text"] and pair not in served[0]["parents"]


def test_diagram_five_ones_is_a_list_of_five_without_stray_dots():
    html = str(_diagram(_model("gaozhou-five-ones")))
    nodes = _tree(html)
    assert nodes[0]["attrs"]["data-structure"] == "list"
    items = [n for n in nodes if n["tag"] == "li"]
    assert len(items) == 5 and all("cb-term" in _classes(n) for n in items)
    assert "·" not in html and "cb-arrow" not in html


def test_every_model_of_the_cases_has_a_structure():
    missing = [m["id"] for p in discover([CASES]) for m in read_case(p).data.get("models", [])
               if not m.get("structure")]
    assert missing == []


def test_a_cycle_loops_back_and_a_list_of_pairs_splits_each_pair():
    cycle = str(_diagram({"name": "c", "structure": "cycle", "terms": [{"name": "a"}, {"name": "b"}]}))
    assert "<ol>" in cycle and "↻" in cycle
    pairs = _tree(_diagram({"name": "p", "structure": "pairing",
                            "terms": [{"symbol": "党群部门—弱村", "name": "x"},
                                      {"symbol": "政法部门—乱村", "name": "y"}]}))
    assert [n["text"] for n in pairs if "cb-pair" in _classes(n)] == ["党群部门⇄弱村", "政法部门⇄乱村"]


def test_links_in_raw_html_follow_mkdocs_layout():
    assert href("cases/index.md", "cases/x.md") == "x/"
    assert href("cases/x.md", "models/y.md") == "../../models/y/"
    assert href("models/y.md", "cases/index.md") == "../../cases/"
    assert href("data/index.md", "data/codebook.md") == "codebook/"
    assert href("cases/x.md", "models/y.md", directory_urls=False) == "../models/y.html"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("pages"), sorted(VALID.glob("*.yaml")))


def test_download_page_lists_every_package_file_with_size_and_rows(fixture_site):
    html = (fixture_site / "data/index.html").read_text(encoding="utf-8")
    folder = fixture_site / "data"
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "index.html")
    linked = sorted(re.findall(r'<td><a href="([^"/]+)" download>', html))
    assert linked == files and "README.md" in files  # the codebook as a file, not a page
    assert any(f.endswith(".zip") for f in files) and "datapackage.json" in files
    rows = re.findall(r'<td><a href="metrics.csv" download>metrics.csv</a></td><td>[^<]*</td>'
                      r'<td data-sort-value="(\d+)">[^<]+</td><td>(\d+) 行</td>', html)
    metrics = (fixture_site / "data/metrics.csv").read_bytes()
    assert rows == [(str(len(metrics)), str(metrics.decode("utf-8").count("\n") - 1))]
    assert 'href="codebook/"' in html


def test_codebook_has_its_own_page(fixture_site):
    html = (fixture_site / "data/codebook/index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "cases.csv" in html and "数据包" in html


def test_two_sources_of_one_page_fail_the_build(tmp_path, caplog):
    with pytest.raises(Abort):
        build_site(tmp_path, sorted(VALID.glob("*.yaml")), docs={"data.md": "# 手写的数据页\n"})
    assert ("casebook: two sources write the same page:\n"
            "data/index.html: data.md (docs_dir), generated data/index.md") in caplog.text


def test_a_hand_written_page_at_a_generated_path_fails_the_build(tmp_path, caplog):
    with pytest.raises(Abort):
        build_site(tmp_path, sorted(VALID.glob("*.yaml")), docs={"cases/index.md": "# 案例\n"})
    assert "cases/index.html: cases/index.md (docs_dir), generated cases/index.md" in caplog.text


def test_lang_404_and_no_overrides_published(fixture_site):
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans"' in home
    missing = (fixture_site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in missing and "Not found" not in missing and '<html lang="zh-Hans"' in missing
    assert not (fixture_site / "overrides").exists()


def test_sitemap_lists_the_pages_once_site_url_is_set(tmp_path):
    site = build_site(tmp_path, sorted(VALID.glob("*.yaml")), site_url="https://casebook.example.org/")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in ("https://casebook.example.org/cases/langao-fixture-mini/",
                 "https://casebook.example.org/models/langao-fixture-1-12-x/",
                 "https://casebook.example.org/data/"):
        assert f"<loc>{page}</loc>" in sitemap


class _Text(HTMLParser):
    """The reader-facing text of a page's article (no code, no attributes)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.code = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "article"
        self.code += tag in ("code", "script")

    def handle_endtag(self, tag):
        self.depth -= tag == "article"
        self.code -= tag in ("code", "script")

    def handle_data(self, data):
        if self.depth and not self.code:
            self.text.append(data)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("real-pages"), discover([CASES]))


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_no_schema_code_or_completeness_score_on_reader_pages(which, request):
    site = request.getfixturevalue(which)
    codes = {c for name in VOCABULARIES for c in vocabulary(name) if "_" in c}
    codes |= {"as_of", "model_kind", "value_max", "indicator_code"}
    found = {}
    for page in site.rglob("index.html"):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(("contribute/", "data/codebook/")):  # the contributor and researcher views
            continue
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        text = "".join(parser.text)
        hits = sorted(c for c in codes if re.search(rf"(?<![\w/.-]){c}(?![\w.-])", text))
        if hits or "\\_" in text or "完整度" in text:
            found[rel] = hits + (["\\_"] if "\\_" in text else []) + (["完整度"] if "完整度" in text else [])
    assert found == {}


def _git(repo: Path, *args, when: str | None = None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_newest_means_first_added_in_git_then_mtime(tmp_path):
    repo = tmp_path
    _git(repo, "init", "-q")
    (repo / "cases").mkdir()
    old, new, later = (repo / "cases" / n for n in ("a.yaml", "b.yaml", "c.yaml"))
    old.write_text("a\n")
    _git(repo, "add", "cases/a.yaml")
    _git(repo, "commit", "-qm", "a", when="2024-01-02T03:04:05+00:00")
    new.write_text("b\n")
    _git(repo, "add", "cases/b.yaml")
    _git(repo, "commit", "-qm", "b", when="2025-06-07T08:09:10+00:00")
    old.write_text("a changed\n")  # a later edit does not make a case new
    _git(repo, "commit", "-qam", "edit a", when="2026-01-01T00:00:00+00:00")
    later.write_text("c\n")  # not committed: its mtime
    stamp = time.mktime((2026, 3, 4, 5, 6, 7, 0, 0, -1))
    os.utime(later, (stamp, stamp))
    dates = added_dates([old, new, later])
    assert dates[old] == "2024-01-02T03:04:05+00:00" and dates[new] == "2025-06-07T08:09:10+00:00"
    assert dates[later].startswith("2026-03-0")


def test_home_lists_newest_by_date_added():
    cases = validate_paths([VALID]).cases
    case = cases[0]
    other = dataclasses.replace(case, data={**copy.deepcopy(case.data), "id": "langao-fixture-other"})
    page = build_pages([case, other])["index.md"]
    assert "## 最新收录 Recently added" in page and "收录）" in page


def test_an_html_model_page_keeps_the_title_anchor_markdown_gave_it():
    """review: the skip link went to #structure, past the title; saved links (#112x) broke."""
    from generator.pages import heading_tokens, title_id

    assert title_id("岚皋“1+12+X”") == "112x"
    assert title_id("中心村轮值办公") == "_1"  # toc's id for a title without Latin letters or digits
    assert title_id("Steps", ("steps",)) == "steps_1"
    body = ('<h1 id="112x">岚皋“1+12+X”</h1><p>x</p><h2 id="structure">结构 Structure</h2>'
            '<h3 id="a">A</h3><h2 id="steps">复制步骤 Steps</h2>')
    shape = [(t["id"], [(c["id"], [g["id"] for g in c["children"]]) for c in t["children"]])
             for t in heading_tokens(body)]
    assert shape == [("112x", [("structure", ["a"]), ("steps", [])])]


def test_the_skip_link_of_a_model_page_goes_to_its_title(fixture_site):
    html = (fixture_site / "models" / "langao-fixture-1-12-x" / "index.html").read_text(encoding="utf-8")
    assert '<a href="#112x" class="md-skip">' in html and '<h1 id="112x">' in html


def test_download_rows_from_a_staged_package_read_only_its_csvs(tmp_path, monkeypatch):
    """`casebook build` hands the site a StagedPackage: its SQLite, xlsx and zip (most of
    its bytes) are not read back for the download page; the rows are the same as from bytes."""
    from generator.export import StagedPackage, package_files
    from generator.pages import _downloads

    files = package_files(validate_paths([VALID]).cases)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    staged = StagedPackage(tmp_path, list(files))
    read = []
    original = StagedPackage.__getitem__
    monkeypatch.setattr(StagedPackage, "__getitem__",
                        lambda self, name: read.append(name) or original(self, name))
    assert _downloads(staged) == _downloads(files)
    assert sorted(read) == sorted(name for name in files if name.endswith(".csv"))
