"""Stage 4b: the site's search, Pagefind (extended build, for Chinese). No MkDocs import here.

Material's lunr search ships the whole index to the browser before the first result (39 MB
at 200 real-shaped cases); Pagefind splits it into fragments and a query fetches only the
ones it needs (benchmarks/README.md). The pieces, all written into the site, no outside host:

- `annotate(html, terms)`: marks a page's article as the part Pagefind indexes
  (`data-pagefind-body`) and appends a hidden, weighted block of the page's own search
  words: formula tokens (below) and the collection's words from `search.search_terms`
  (1+12+X, 岚皋, 五个一 …, the jieba dictionary of the Material search), each set apart
  by spaces so Pagefind's segmenter sees each word on its own, as it sees a typed query.
- Formula tokens. Pagefind splits `1+12+X` at `+` into 1 / 12 / x, which half the site
  contains, and drops the `+` of `文体+`. `formulas(text)` finds formulas (items of ASCII
  letters and digits, or of Han characters, joined by `+`, with an optional trailing `+`)
  and `formula_token` spells each as one ASCII word (`1+12+X` → `cbf1j12jx`, `文体+` →
  `cbfu6587u4f53j`). The browser (site/assets/search.js) turns formulas in a query into
  the same tokens before Pagefind sees it, so `1+12+X模式`, `岚皋1+12+X` and `１＋１２＋Ｘ`
  find the model page.
- `normalise(text)`: the query normalisation the browser applies, mirrored in Python for
  tests and for the indexing side: Unicode NFKC (full-width １＋Ｘ → half-width 1+X),
  lower case, traditional → simplified (OpenCC's data), formulas → tokens, and a trailing
  模式/做法/经验 dropped from a query that says more than that word.
- `t2s_map(chars, words)`: the part of OpenCC's traditional → simplified data this site
  needs, as `{"chars": {繁: 简}, "phrases": {繁體詞: 简体词}}`, written to
  assets/search/t2s.json: only characters whose simplified form occurs in the site.
- `run_pagefind(site_dir)`: runs the Pagefind binary that ships inside the
  `pagefind-bin-extended` wheel (no download, works offline), forcing language zh, over
  the marked pages only (`indexed_pages`).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

# Must match site/assets/search.js (FORMULA, SUFFIX) and the token spelling below.
_HAN = r"\u3400-\u9fff"
_ITEM = rf"(?:[0-9a-z]+|[{_HAN}]+)"
FORMULA = re.compile(rf"{_ITEM}(?:\+{_ITEM})+\+?|{_ITEM}\+")
SUFFIX = re.compile(r"(?<=.)(?:模式|做法|经验)$")
TOKEN_PREFIX = "cbf"  # formula tokens
WORD_PREFIX = "cbw"  # word tokens
END_MARK = "cbz"  # first word of the hidden block
MODEL_ANCHOR = "cbm-"  # id prefix of a model's hidden section in its case page
MODEL_MARK = "cby"  # word before each model's hidden section (its name and summary follow, then cbz)
# The selector of the part of a page Pagefind indexes: Material's article.
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_BODY_MARK = b"data-pagefind-body"


def _spell(text: str) -> str:
    """ASCII letters and digits kept, `+` → j, any other character → u + its code point in hex."""
    out = []
    for ch in text:
        if ch == "+":
            out.append("j")
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append(f"u{ord(ch):x}")
    return "".join(out)


def formula_token(formula: str) -> str:
    """One ASCII word for a formula: `1+12+X` → cbf1j12jx, `文体+` → cbfu6587u4f53j.

    The formula is normalised first (NFKC, lower case), so １＋１２＋Ｘ and 1+12+x give the
    same token as 1+12+X.
    """
    return TOKEN_PREFIX + _spell(unicodedata.normalize("NFKC", formula).lower())


def word_token(word: str) -> str:
    """One ASCII word for a search word (岚皋 → cbwu5c9au768b), normalised like formula_token.

    Pagefind segments Chinese differently when indexing (charabia, jieba's dictionary) and
    when searching (the browser's Intl.Segmenter), so 两委一队 typed may not meet 两委一队
    indexed; the collection's own words are therefore also indexed as these tokens, and the
    browser searches the token of a typed word beside the text (search.js).
    """
    return WORD_PREFIX + _spell(unicodedata.normalize("NFKC", word).lower())


def formulas(text: str) -> list[str]:
    """The formulas in already NFKC-normalised, lower-case text, each once, in order.

    An item is a run of ASCII letters/digits or a run of Han characters, never both, so
    岚皋1+12+x gives 1+12+x and 1+12+x服务模式 gives 1+12+x.
    """
    return list(dict.fromkeys(FORMULA.findall(text)))


@functools.lru_cache(maxsize=1)
def _opencc_chars() -> dict[str, str]:
    """OpenCC's t2s conversion of every single CJK character that changes (≈ 4,200)."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    found = {}
    for cp in [*range(0x3400, 0xA000), *range(0xF900, 0xFB00)]:
        ch = chr(cp)
        simple = convert(ch)
        if simple != ch:
            found[ch] = simple
    return found


def t2s_map(chars, words=()) -> dict:
    """The site's slice of OpenCC traditional → simplified data.

    chars: characters that occur in the site; a traditional character is kept when its
    simplified form is made of them. words: simplified words of the collection (the search
    terms); a phrase entry is kept where OpenCC converts the word's traditional spelling
    differently from character by character (乾隆 stays 乾隆, 乾淨 becomes 干净).
    Returns {"chars": {...}, "phrases": {...}}, sorted, for assets/search/t2s.json.
    """
    import opencc

    present = set(chars)
    table = {t: s for t, s in _opencc_chars().items() if set(s) <= present}
    phrases = {}
    s2t, t2s = opencc.OpenCC("s2t").convert, opencc.OpenCC("t2s").convert
    for word in words:
        trad = s2t(word)
        if trad != word and t2s(trad) == word and "".join(table.get(c, c) for c in trad) != word:
            phrases[trad] = word
    return {"chars": dict(sorted(table.items())), "phrases": dict(sorted(phrases.items()))}


def to_simplified(text: str, table: dict) -> str:
    """Apply a t2s_map: the longest phrase at each position first, else the character map."""
    phrases, chars = table.get("phrases", {}), table.get("chars", {})
    longest = max(map(len, phrases), default=0)
    out, i = [], 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 1, -1):
            if text[i:i + n] in phrases:
                out.append(phrases[text[i:i + n]])
                i += n
                break
        else:
            out.append(chars.get(text[i], text[i]))
            i += 1
    return "".join(out)


def normalise(query: str, table: dict | None = None) -> str:
    """The query Pagefind is given for what the reader typed (mirror of search.js `normalise`).

    NFKC (full-width → half-width), lower case, traditional → simplified with `table`
    (a t2s_map), formulas → tokens set apart by spaces, a trailing 模式/做法/经验 dropped
    when something is left, and runs of spaces collapsed.
    """
    text = unicodedata.normalize("NFKC", query).lower()
    if table:
        text = to_simplified(text, table)
    text = " ".join(text.split())
    parts = []
    for word in text.split(" "):
        word = SUFFIX.sub("", word)
        word = FORMULA.sub(lambda m: f" {formula_token(m.group(0))} ", word)
        parts.append(word)
    return " ".join(" ".join(parts).split())


_HAN_RUN = re.compile(rf"[{_HAN}]{{2,}}")


def token_query(normalised: str) -> str | None:
    """The word-token query beside a normalised query (mirror of search.js `tokenQuery`).

    Each run of two or more Han characters becomes its word_token; formula tokens and
    other words stay. None when the query has no such run.
    """
    if not _HAN_RUN.search(normalised):
        return None
    return _HAN_RUN.sub(lambda m: word_token(m.group(0)), normalised)


def page_terms(text: str, formula_fields=(), words=(), title: str = "") -> dict[str, list[str]]:
    """The hidden search words of one page.

    text: the page's own text; formula_fields: the `formula` of the models the page is
    about; words: the collection's words (search.search_terms) of the case the page shows,
    kept where they occur in the text; title: the page's title.
    Returns {"strong": the formula fields (a formula with `+` as its token, any other as
    itself and its word token) and the word tokens of words in the title, "plain": the
    other formulas' tokens, the words and their word tokens}.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    heading = unicodedata.normalize("NFKC", title).lower()
    strong = []
    for formula in filter(None, formula_fields):
        strong += [formula_token(formula)] if "+" in formula else [formula, word_token(formula)]
    plain = [formula_token(f) for f in formulas(folded)]
    for word in words:
        folded_word = unicodedata.normalize("NFKC", word).lower()
        if folded_word in heading:
            strong.append(word_token(word))
            plain.append(word)
        elif folded_word in folded:
            plain += [word, word_token(word)]
    strong = list(dict.fromkeys(strong))
    return {"strong": strong, "plain": [w for w in dict.fromkeys(plain) if w not in strong]}


def _spans(terms: dict[str, list[str]]) -> str:
    blocks = []
    for key, weight in (("strong", "10"), ("plain", "2")):
        if terms[key]:
            listed = " ".join(html.escape(w) for w in terms[key])
            blocks.append(f'<span data-pagefind-weight="{weight}"> {listed} </span>')
    return "".join(blocks)


def model_section(model: dict, words=()) -> str:
    """A model's hidden section inside its case page: a heading Pagefind makes a sub-result of.

    model: the case's model (id, name, formula, summary, terms). The heading's id is
    `cbm-<model id>`; search.js turns a hit in the section into a result that links to the
    model's own page. The section holds the model's summary and its search words: the
    formula (strong), the words of `words` found in its name (strong) or text (plain).
    `cbz` after the summary marks where the model's own words end: search.js shows the
    name and summary as the result's excerpt, never the search words (review rv12 #8).
    """
    text = " ".join([model.get("name", ""), model.get("formula") or "", model.get("summary") or "",
                     *(t.get("name", "") for t in model.get("terms") or [])])
    terms = page_terms(text, [model.get("formula")], words, title=model.get("name", ""))
    return (f'<h2 id="{MODEL_ANCHOR}{html.escape(model["id"])}">{html.escape(model.get("name", ""))}</h2>'
            f"<p>{html.escape(model.get('summary') or '')}</p> {END_MARK} {_spans(terms)}")


def annotate(page_html: str, formula_fields=(), words=(), models=()) -> str:
    """Mark Material's article as Pagefind's body and append the page's hidden search words.

    formula_fields and words are as for `page_terms`, which reads the article's text;
    models (a case page's models) each add a `model_section`. A page without Material's
    article is returned unchanged, and so stays out of the index once any page has a body.
    The words are HTML-escaped; the block is `hidden` and `aria-hidden` (not shown, not read
    aloud), weighted with `data-pagefind-weight`.
    """
    match = _ARTICLE.search(page_html)
    end = page_html.rfind("</article>")
    if not match or end < match.end():
        return page_html
    article = page_html[match.end():end]
    heading = _H1.search(article)
    title = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))) if heading else ""
    text = html.unescape(re.sub(r"<[^>]+>", " ", article))
    blocks = _spans(page_terms(text, formula_fields, words, title))
    # `cby` starts each model's section (search.js: a model's text runs from cby to cbz).
    blocks += "".join(f" {MODEL_MARK} {model_section(m, words)}" for m in models)
    # `cbz` marks where the page's own text ends (search.js cuts result snippets there).
    hidden = (f'<div class="cb-search-terms" hidden aria-hidden="true">{END_MARK} {blocks}</div>'
              if blocks else "")
    return (page_html[:match.end()] + " data-pagefind-body" + page_html[match.end():end] + hidden
            + page_html[end:])


def pagefind_command(site_dir, output=None) -> list[str]:
    """The Pagefind command line: the binary of the `pagefind-bin-extended` wheel.

    site_dir: the folder Pagefind reads; output: where it writes the bundle (default
    site_dir/pagefind).
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--force-language", "zh",
               "--exclude-selectors", EXCLUDED, "--quiet"]
    return command + (["--output-path", str(output)] if output is not None else [])


# Left out of the index: the English glosses (the site is read in Chinese; at 2,000 cases
# they cost Pagefind ~360 MB of its ~2 GB, and `casebook build` must stay under 2 GB in all).
# Case pages' figures are left out by their template (data-pagefind-ignore).
EXCLUDED = '[lang="en"]'


def indexed_pages(site_dir) -> list[Path]:
    """The HTML files of the built site that carry `data-pagefind-body`, relative to site_dir, sorted.

    Pagefind's own bundle (site_dir/pagefind/) is skipped. Reads each file's bytes (≈ 2 s
    for the ≈ 24,000 pages of a 2,000-case site).
    """
    site = Path(site_dir)
    found = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site)
        if rel.parts[0] != "pagefind" and _BODY_MARK in path.read_bytes():
            found.append(rel)
    return sorted(found)


def pagefind_env() -> dict[str, str]:
    """The environment for Pagefind: ours, with its allocator told to hand freed memory back.

    Pagefind's binary uses jemalloc (prefixed, read from `_RJEM_MALLOC_CONF`); without decay,
    memory freed between its phases stays resident and adds to the next phase's peak
    (2,000 real-shaped cases: peak RSS 2.56 → 2.29 GB, CPU within noise). A value already
    set in the environment wins.
    """
    env = dict(os.environ)
    env.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
    return env


def run_pagefind(site_dir, pages=None) -> None:
    """Index the built site into site_dir/pagefind/.

    pages: the HTML files (relative to site_dir) to index; None finds them with
    `indexed_pages`. Pagefind reads and keeps every HTML file it is given, indexed or not
    (a page without `data-pagefind-body` is dropped only after all are parsed), and a
    2,000-case site has ≈ 24,000 pages of which ≈ 2,000 are indexed; so Pagefind reads a
    temporary folder next to the site holding hard links (copies where links fail) to just
    these pages, at their paths in the site, and writes its bundle into site_dir/pagefind/:
    the same bundle, byte for byte (2,000-case clone, 24,424 pages, 2,002 indexed: 104 s CPU,
    3.6 GB peak → 50 s, 2.3 GB). With no page marked, the whole site is indexed, as Pagefind does.
    An earlier site_dir/pagefind/ is removed first (Pagefind adds to it: a rebuild kept every
    old fragment and index chunk), and so is a staging folder a killed build left beside the
    site (named for a process that no longer runs).
    Raises RuntimeError with Pagefind's output when it fails (or is not installed).
    """
    site = Path(site_dir).resolve()
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    pages = indexed_pages(site) if pages is None else [Path(p) for p in pages]
    if not pages:
        return _pagefind(pagefind_command(site))
    # Next to the site, so on its file system (hard links), and never inside it; named with
    # this process's id, so that the next run removes what a killed build left there.
    from .export import remove_stale_staging

    prefix = f".{site.name}-pagefind-"
    remove_stale_staging(site.parent, re.compile(rf"^{re.escape(prefix)}(\d+)-"))
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=site.parent) as staging:
        for rel in pages:
            target = Path(staging) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / rel, target)
            except OSError:
                shutil.copyfile(site / rel, target)
        _pagefind(pagefind_command(staging, site / "pagefind"))


def _pagefind(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=pagefind_env())
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed ({done.returncode}): {done.stdout}{done.stderr}".strip())


def write_t2s(site_dir, table: dict) -> Path:
    """Write assets/search/t2s.json (compact JSON) and return its path."""
    path = Path(site_dir) / "assets" / "search" / "t2s.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
