"""Stage 3c: the Chinese search dictionary. No MkDocs import here.

Material's search plugin segments page text with jieba; the client then looks the typed
query up in those segments. jieba does not know the collection's own words: it cuts
`1+12+X` into `1/+/12/+/X` and `一宣六帮` may fall apart, so a practitioner typing them
finds nothing. `search_terms` collects the words to keep whole, `user_dict` writes them
in jieba's user-dictionary format for the search plugin's `jieba_dict_user`, and
`fix_query_segmentation` lets the browser look a typed query up whole.

Only short, atomic words go in: a long phrase kept whole (驻村第一书记联盟, a term's full
description) would hide the words inside it, because the client matches the beginning of
a segment (searching 第一书记 would miss 驻村第一书记).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# A word jieba can keep whole: Han characters, ASCII letters and digits, and the `+` of
# formulas (jieba's own block pattern also splits at punctuation such as “ or 、).
_ATOM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+]+")
# Named mechanisms are printed in quotes: “五个一”系列活动, 驻村第一书记“组团服务”.
_QUOTED = re.compile(r"[“‘「《\"']([^“”‘’「」《》\"']{2,16})[”’」》\"']")
MAX_LEN = 8  # names printed as names: formulas, quoted mechanisms, short model names
TERM_LEN = 5  # a term's name is often a phrase (人身意外伤害保险): keep only short ones whole
# Words practitioners type that are not names in the data.
COMMON = ("第一书记", "驻村工作队", "工作队", "组团服务", "消费帮扶")
# Short forms of place names: 岚皋县 → 岚皋, 高州市 → 高州, 黔南布依族苗族自治州 → 黔南.
_AUTONOMOUS = re.compile(r"^(.+?)(?:(?:布依|土家|哈尼|景颇|朝鲜|蒙古|哈萨克|柯尔克孜|傈僳|拉祜|"
                         r"[苗侗藏彝傣白壮回羌瑶黎畲水佤纳])族)+自治[州县旗]$")
_PLACE_END = re.compile(r"[省市县区镇乡州村]$")  # 马郢村 → 马郢
FREQ = 2_000_000  # high enough that jieba prefers these words to any split


def _atoms(text: str) -> list[str]:
    """The pieces of a name that jieba could keep whole, short enough to be words."""
    return [a for a in _ATOM.findall(text) if 2 <= len(a) <= MAX_LEN or "+" in a]


def search_terms(cases) -> list[str]:
    """Words the segmenter must keep whole: formulas, quoted names, short model and term names, places."""
    words = set(COMMON)
    for c in (x.data for x in cases):
        for key in ("province", "prefecture", "county", "town", "village"):
            name = c["place"].get(key)
            if name:
                words.add(name)
                autonomous = _AUTONOMOUS.match(name)
                short = autonomous.group(1) if autonomous else _PLACE_END.sub("", name)
                if len(short) >= 2:
                    words.add(short)
        texts = [c["title"]]
        for m in c.get("models", []):
            texts.append(m["name"])
            if m.get("formula"):
                words.update(_atoms(m["formula"]))
            words.update(t["name"] for t in m.get("terms", []) if _ATOM.fullmatch(t["name"])
                         and len(t["name"]) <= TERM_LEN)
        for text in texts:
            for quoted in _QUOTED.findall(text):
                words.update(_atoms(quoted))
            if _ATOM.fullmatch(text) and len(text) <= MAX_LEN:
                words.add(text)
    return sorted(w for w in words if len(w) >= 2)


WORD_CAP = 20  # characters: longer "words" are phrases, and are left to jieba to split


def dict_word(word: str) -> str | None:
    """`word` as one safe user-dictionary entry, or None when it cannot be one.

    Case text reaches the dictionary (place names, model names), and jieba reads the file
    line by line as `word [frequency] [tag]` split at spaces: a newline in a word would add
    lines (with a frequency of the writer's choosing), a space would make part of the word a
    frequency. So every character that is whitespace, a control, a format or a separator
    character (Unicode categories Z* and C*) is removed, and words longer than WORD_CAP are
    dropped. The frequency is never read from case text: it is always FREQ.
    """
    cleaned = "".join(ch for ch in str(word) if unicodedata.category(ch)[0] not in "CZ")
    if not 2 <= len(cleaned) <= WORD_CAP:
        return None
    return cleaned


def user_dict(words) -> str:
    """jieba's user-dictionary format: one `word frequency` line per word (see dict_word)."""
    safe = sorted({w for w in map(dict_word, words) if w})
    return "".join(f"{w} {FREQ}\n" for w in safe)


# Material's search worker segments a Chinese query greedily into tokens of the index, but
# its loop stops one character short (`j < query.length`, in segment/index.ts of Material
# 9.x), so a query that is itself a token (一宣六帮, 两委一队, 第一书记) is never looked up
# whole: it is cut to a shorter prefix such as 一 and ranks every page full of 一 first.
# The fix is one character, applied to the built copy (never to the installed theme).
_SEGMENT_LOOP = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
_SEGMENT_FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def fix_query_segmentation(site_dir) -> list[str]:
    """Let the built search worker match a whole Chinese query; returns the files changed."""
    changed = []
    for worker in sorted(Path(site_dir).glob("assets/javascripts/workers/search.*.min.js")):
        text = worker.read_text(encoding="utf-8")
        if _SEGMENT_LOOP in text:
            worker.write_text(text.replace(_SEGMENT_LOOP, _SEGMENT_FIXED, 1), encoding="utf-8")
            changed.append(worker.name)
    return changed
