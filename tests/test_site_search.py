"""The Pagefind search, without a browser: query normalisation, page words, the t2s slice, the build.

The browser side (site/assets/search.js) is tested against these same functions in
tests/test_search_browser.py.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site_search import (
    annotate,
    formula_token,
    formulas,
    indexed_pages,
    model_section,
    normalise,
    page_terms,
    pagefind_command,
    pagefind_env,
    run_pagefind,
    t2s_map,
    to_simplified,
    token_query,
    word_token,
)

from .conftest import VALID
from .site_helpers import build_site

TABLE = {"chars": {"組": "组", "團": "团", "務": "务", "乾": "干"}, "phrases": {"乾隆": "乾隆"}}


@pytest.mark.parametrize(("query", "expected"), [
    ("1+12+X", "cbf1j12jx"),
    ("1+12+x", "cbf1j12jx"),
    ("１＋１２＋Ｘ", "cbf1j12jx"),  # full-width, as a Chinese IME types it
    ("1+12+X模式", "cbf1j12jx"),
    ("1+2+N模式", "cbf1j2jn"),
    ("岚皋1+12+X", "岚皋 cbf1j12jx"),
    ("1+12+X服务模式", "cbf1j12jx 服务"),
    ("文体+", "cbfu6587u4f53j"),
    ("組團服務", "组团服务"),
    ("组团服务", "组团服务"),
    ("第一书记", "第一书记"),
    ("岚皋", "岚皋"),
    ("五个一", "五个一"),
    ("五个一做法", "五个一"),
    ("组团服务经验", "组团服务"),
    ("模式", "模式"),  # the suffix alone is kept: it is the whole query
    ("  岚皋　 五个一 ", "岚皋 五个一"),  # ideographic space (U+3000) is a space after NFKC
    ("第一书记联盟+龙头企业+基地+N",
     "cbfu7b2cu4e00u4e66u8bb0u8054u76dfju9f99u5934u4f01u4e1aju57fau5730jn"),
])
def test_normalise(query, expected):
    assert normalise(query, TABLE) == expected


def test_token_query_turns_han_runs_into_word_tokens():
    assert token_query("岚皋 cbf1j12jx") == "cbwu5c9au768b cbf1j12jx"
    assert token_query("两委一队") == word_token("两委一队") == "cbwu4e24u59d4u4e00u961f"
    assert token_query("cbf1j12jx") is None  # nothing Chinese: the plain query is enough
    assert token_query("岚 x") is None  # one character is not a word


def test_formulas_keep_items_of_one_script():
    assert formulas("这种“1+12+x”服务模式在岚皋1+12+x模式") == ["1+12+x"]
    assert formulas("实行文体+,1+1+n,第一书记联盟+龙头企业+基地+n") == [
        "实行文体+", "1+1+n", "第一书记联盟+龙头企业+基地+n"]
    assert formulas("2024年，3个村") == []
    assert formula_token("１＋１＋Ｎ") == formula_token("1+1+n") == "cbf1j1jn"


def test_to_simplified_prefers_phrases():
    assert to_simplified("組團服務", TABLE) == "组团服务"
    assert to_simplified("乾隆乾", TABLE) == "乾隆干"  # 乾隆 is a phrase; 乾 alone maps to 干


def test_t2s_map_keeps_only_what_the_site_can_match():
    table = t2s_map(set("组团服务干净第一书记"), ["组团服务", "干净"])
    assert table["chars"]["組"] == "组" and table["chars"]["團"] == "团" and table["chars"]["務"] == "务"
    assert "愛" not in table["chars"]  # 爱 is not in the site
    assert len(table["chars"]) < 40
    assert all(set(s) <= set("组团服务干净第一书记") for s in table["chars"].values())


def test_page_terms_weigh_formula_fields_and_title_words():
    text = "岚皋县驻村第一书记组团服务 “1+12+X”服务模式 “文体+”活动 五个一"
    terms = page_terms(text, ["1+12+X", "五个一", None], ["岚皋", "第一书记", "消费帮扶"],
                       title="岚皋县驻村第一书记组团服务")
    assert terms["strong"] == ["cbf1j12jx", "五个一", word_token("五个一"), word_token("岚皋"),
                               word_token("第一书记")]
    assert terms["plain"] == ["cbfu6587u4f53j", "岚皋", "第一书记"]  # 消费帮扶 is not on the page


ARTICLE = ('<html><body><nav>模式库</nav><article class="md-content__inner md-typeset">'
           '<h1 id="x">“1+12+X”服务模式</h1><p>岚皋 &lt;script&gt;</p></article></body></html>')


def test_annotate_marks_the_article_and_escapes_the_words():
    out = annotate(ARTICLE, ["1+12+X"], ["岚皋", "<script>"])
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in out
    assert out.count("data-pagefind-body") == 1
    hidden = out[out.index('<div class="cb-search-terms"'):out.index("</article>")]
    assert hidden == ('<div class="cb-search-terms" hidden aria-hidden="true">cbz '
                      '<span data-pagefind-weight="10"> cbf1j12jx </span>'
                      '<span data-pagefind-weight="2"> 岚皋 cbwu5c9au768b &lt;script&gt; '
                      'cbwu3cscriptu3e </span></div>')
    assert "<nav>模式库</nav>" in out  # the header and navigation stay out of the body


def test_annotate_leaves_a_page_without_article_alone():
    page = "<html><body><p>1+12+X</p></body></html>"
    assert annotate(page, ["1+12+X"], ["岚皋"]) == page


def test_pagefind_runs_from_the_installed_wheel_offline():
    command = pagefind_command("unused")
    assert command[:3] == [sys.executable, "-m", "pagefind"]
    from pagefind.service import get_executable

    binary = get_executable()
    assert binary is not None and "pagefind_bin_extended" in str(binary)  # Chinese segmentation
    done = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True,
                          text=True, check=True, env={"PATH": "/usr/bin:/bin", "no_proxy": "*",
                                                      "http_proxy": "http://127.0.0.1:9",
                                                      "https_proxy": "http://127.0.0.1:9"})
    assert done.stdout.startswith("pagefind 1.5.")


def _tiny_site(root: Path) -> Path:
    """Two marked pages, one unmarked page (a list that repeats their words) and an asset."""
    page = ('<!doctype html><html lang="zh"><head><title>{0}</title></head><body><nav>导航</nav>'
            '<article class="md-content__inner md-typeset"{1}><h1>{0}</h1><p>{2}</p></article></body></html>')
    files = {"cases/a/index.html": page.format("岚皋县服务团", " data-pagefind-body", "县级服务团 cbf1j12jx"),
             "about/index.html": page.format("关于", " data-pagefind-body", "驻村工作队 两委一队"),
             "cases/index.html": page.format("案例", "", "岚皋县服务团 驻村工作队 只在列表"),
             "assets/x.js": "var x = 1;"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _bundle(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def test_indexed_pages_are_the_marked_html_files(tmp_path):
    site = _tiny_site(tmp_path / "site")
    (site / "pagefind").mkdir()
    (site / "pagefind/x.html").write_text("data-pagefind-body", encoding="utf-8")
    assert indexed_pages(site) == [Path("about/index.html"), Path("cases/a/index.html")]


def test_run_pagefind_gives_the_bundle_of_the_whole_site_from_the_marked_pages_only(tmp_path):
    whole = _tiny_site(tmp_path / "whole" / "site")
    subprocess.run(pagefind_command(whole), check=True, capture_output=True)  # Pagefind over every file
    site = _tiny_site(tmp_path / "ours" / "site")
    run_pagefind(site)
    assert _bundle(site) == _bundle(whole) and (site / "pagefind/pagefind.js").is_file()
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # the staging folder is gone
    assert not (site / "cases/index.html").read_text(encoding="utf-8").count("pagefind-body")
    run_pagefind(site, pages=["cases/a/index.html"])  # the plugin may name the pages itself
    assert len(list((site / "pagefind/fragment").glob("*.pf_fragment"))) == 1


def test_run_pagefind_removes_the_staging_a_killed_build_left(tmp_path):
    site = _tiny_site(tmp_path / "site")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # a finished process
    killed = tmp_path / f".site-pagefind-{gone}-k1ll3d"
    (killed / "cases/a").mkdir(parents=True)
    (killed / "cases/a/index.html").write_text("half", encoding="utf-8")
    running = tmp_path / f".site-pagefind-{os.getppid()}-busy"  # a build that still runs: kept
    running.mkdir()
    run_pagefind(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "site"]


def test_run_pagefind_indexes_every_page_when_none_is_marked(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text('<html lang="zh"><body><p>岚皋县服务团</p></body></html>',
                                       encoding="utf-8")
    run_pagefind(site)
    assert len(list((site / "pagefind/fragment").glob("*.pf_fragment"))) == 1


def test_run_pagefind_reports_pagefinds_failure(tmp_path):
    with pytest.raises(RuntimeError, match="pagefind failed"):
        run_pagefind(tmp_path)  # an empty site: Pagefind finds nothing to index and exits 1


def test_pagefind_env_asks_jemalloc_to_return_memory_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    assert pagefind_env()["_RJEM_MALLOC_CONF"] == "dirty_decay_ms:0,muzzy_decay_ms:0"
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "narenas:1")
    assert pagefind_env()["_RJEM_MALLOC_CONF"] == "narenas:1"


def test_model_section_is_a_hidden_heading_with_the_models_words():
    model = {"id": "langao-1-12-x", "name": "“1+12+X”服务模式", "formula": "1+12+X",
             "summary": "县级服务团+12个镇级服务团+X个工作组", "terms": [{"name": "县级服务团"}]}
    assert model_section(model, ["县级服务团", "岚皋"]) == (
        '<h2 id="cbm-langao-1-12-x">“1+12+X”服务模式</h2><p>县级服务团+12个镇级服务团+X个工作组</p> cbz '
        '<span data-pagefind-weight="10"> cbf1j12jx </span>'
        '<span data-pagefind-weight="2"> cbfu53bfu7ea7u670du52a1u56e2j12 cbfu4e2au9547u7ea7u670du52a1u56e2jx '
        "县级服务团 cbwu53bfu7ea7u670du52a1u56e2 </span>")


def test_build_indexes_case_and_hand_written_pages_only(tmp_path):
    site = build_site(tmp_path, sorted(VALID.glob("*.yaml")))
    case = (site / "cases/langao-fixture-mini/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in case
    section = case.split('<h2 id="cbm-langao-fixture-1-12-x">')[1].split("<h2")[0]
    assert '<span data-pagefind-weight="10"> cbf1j12jx' in section
    for listing in ["index.html", "cases/index.html", "models/index.html",
                    "models/langao-fixture-1-12-x/index.html"]:
        assert "data-pagefind-body" not in (site / listing).read_text(encoding="utf-8"), listing
    assert "data-pagefind-body" in (site / "about/index.html").read_text(encoding="utf-8")
    assert (site / "pagefind/pagefind.js").is_file()
    assert list((site / "pagefind").glob("pagefind.zh_*.pf_meta"))
    assert list((site / "pagefind/fragment").glob("*.pf_fragment"))
    assert (site / "assets/search/t2s.json").is_file()
    assert not (site / "search/search_index.json").exists()  # no lunr index any more


def test_model_section_escapes_case_text():
    model = {"id": "langao-x", "name": '<img src=x onerror="alert(1)">', "formula": None,
             "summary": "</h2><script>alert(2)</script>"}
    section = model_section(model, ["<b>"])
    assert "<img" not in section and "<script" not in section and "<b>" not in section
    assert section.startswith('<h2 id="cbm-langao-x">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</h2>')
