"""The collection's search words: which are kept whole, jieba's file format, the words Pagefind indexes."""

from __future__ import annotations

import copy
import dataclasses
import re

import jieba
import pytest

from generator.search import search_terms, user_dict
from generator.site_search import annotate, word_token
from generator.validate import validate_paths

from .conftest import VALID


@pytest.fixture(scope="module")
def cases():
    return validate_paths([VALID]).cases


def test_terms_hold_formulas_quoted_names_places_and_short_term_names(cases):
    words = search_terms(cases)
    for word in ["1+12+X", "组团服务", "岚皋", "岚皋县", "安康", "陕西", "县级服务团", "第一书记"]:
        assert word in words, word
    # A long compound kept whole would hide 第一书记 inside it from the search.
    assert "驻村第一书记" not in words
    assert all(len(w) >= 2 and not re.search(r"[“”‘’、，（）\s]", w) for w in words)


def test_autonomous_prefecture_gets_its_short_name(cases):
    data = copy.deepcopy(cases[0].data)
    data["place"].update(province="贵州省", prefecture="黔南布依族苗族自治州")
    words = search_terms([dataclasses.replace(cases[0], data=data)])
    assert "黔南" in words and "黔南布依族苗族自治州" in words


def test_long_term_names_are_left_to_the_segmenter(cases):
    data = copy.deepcopy(cases[0].data)
    data["models"][0]["terms"][0]["name"] = "人身意外伤害保险"
    data["models"][0]["name"] = "“五个一”系列活动"
    words = search_terms([dataclasses.replace(cases[0], data=data)])
    assert "人身意外伤害保险" not in words and "五个一" in words


def test_dictionary_keeps_the_words_whole(cases, tmp_path):
    path = tmp_path / "user.txt"
    path.write_text(user_dict(search_terms(cases)), encoding="utf-8")
    assert path.read_text(encoding="utf-8").splitlines()[0].endswith(" 2000000")
    plain, taught = jieba.Tokenizer(), jieba.Tokenizer()
    with path.open("rb") as words:  # a path would leave the file open (ResourceWarning)
        taught.load_userdict(words)
    text = "如今,这种“1+12+X”服务模式在岚皋全县铺开"
    assert "1+12+X" not in plain.lcut(text)  # without the dictionary the formula falls apart
    assert {"1+12+X", "岚皋"} <= set(taught.lcut(text))


def test_dictionary_words_become_the_pages_search_words(cases):
    """The same words, kept whole for Pagefind: as words and as tokens in the page's hidden block."""
    page = ('<article class="md-content__inner md-typeset"><h1>“1+12+X”服务模式</h1>'
            "<p>如今,这种“1+12+X”服务模式在岚皋全县铺开</p></article>")
    out = annotate(page, ["1+12+X"], search_terms(cases))
    strong, plain = re.findall(r'<span data-pagefind-weight="\d+">([^<]*)</span>', out)
    assert "cbf1j12jx" in strong.split()
    assert {"岚皋", word_token("岚皋"), "1+12+X"} <= set(plain.split())
