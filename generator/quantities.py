"""Read the quantities written in a Chinese sentence, and only what the words support.

`readings(quote)` returns every quantity written in a quote with the set of its TRUE
readings — (qualifier, value, value_max) triples a metric may record — and the digits
that are not quantities at all (ordinals, enumerations, dates, names). A metric is
right when its own (qualifier, value, value_max) is one of those readings.

Internally each quantity is a Wikidata-style quantity: the figure written plus a lower
and an upper bound, each inclusive or not, so that no reading claims more precision
than the words give.

Qualifier words (v2 vocabulary; PRC Civil Code art. 1259: 以上、以下、以内、届满 include
the number itself, 不满、超过、以外 exclude it):

=================  =========================================  ===========================
qualifier          words                                      bounds of the true value
=================  =========================================  ===========================
exact              no word (确数)                              [N, N]
at_least           以上 至少 最少 不少于 不低于 不下于           [N, ∞)
more_than          超过 超 逾 多于 高于 大于 以外 开外           (N, ∞)
plus               N余 N多 (400余万, 700多天, 一个多月)         (N, N + step), step = the
                                                              unit of N's last non-zero
                                                              digit (400余万: step 100万)
just_under         近 将近 接近 几乎                            [?, N)
approximately      约 大约 大概 左右 上下 N来                    about N
at_most            以下 以内 之内 最多 至多 不超过 不高于 不多于    (-∞, N]
less_than          不满 不到 不足 少于 低于 小于 未满             (-∞, N)
range              三到五 3至5 3—5 三五天 三四天 一两天          [a, b]
vague              数十万 几十 十几 上百 成千上万 数以万计 …       [lower, upper]
=================  =========================================  ===========================

Which readings are true:

- a plain cardinal with no bound word (97个村, 两年前) reads as `exact` and, because an
  article may round a figure (two years, elsewhere 700多天), as `approximately`; a figure
  with its own bound word never reads as `approximately` (400余万 is `plus` only);
- 近/将近/接近 N reads as `just_under` and also as `approximately` (it is close to N);
  近N年来 / 近N年以来 means "the last N years" and reads as a plain N;
- 满N / N…届满 / 期满 (a completed term) reads as `exact` and `at_least` (inclusive);
- a vague quantity reads ONLY as `vague`, with value = lower bound and value_max = upper
  bound. Convention: the bounds are the order of magnitude the words name, 数/几 + unit U
  → [U, 10U] (数十万 → 100000..1000000, 几十 → 10..100, 数百 → 100..1000), 十几 U →
  [10U, 20U], 二十几 → 20..30, 上百/上千/上万 → [U, 10U], 成百上千 → 100..10000,
  成千上万 → 1000..100000, 数以万计 → 10000..100000, 几个/数名 → 1..10.
  A vague quantity never backs `exact`, `at_least` or `plus`;
- ordinals (第一, 1号文件, 初一, 一等奖), enumerations (一是/二是, 一、), dates (2023年,
  9月, 20日), generations (90后), formulas (1+12+X), names and set phrases (一村一品,
  一人一资源, 五个一, 两优一先, 一线, 统一, 之一, 千方百计 …) and short quoted names
  (“五个一”) are not quantities: their digits back no reading.

Numerals: Arabic (1,000 with thousands commas, 4.57, full-width １２), Chinese (一百零八,
两, 廿/卅, 万/亿 compounds), mixed (4.57亿, 1.1万, 3千), percent (30%, 百分之三十 → 30).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {**SMALL_UNITS, **BIG_UNITS}

QUALIFIERS = ("exact", "at_least", "more_than", "plus", "just_under", "approximately",
              "at_most", "less_than", "range", "vague")

# Full-width digits and signs become ASCII one character for one, so positions stay.
_WIDE = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")


@dataclass(frozen=True)
class Reading:
    """One true way to record a written quantity: what a metric may say."""

    qualifier: str
    value: float
    value_max: float | None = None


@dataclass(frozen=True)
class Quantity:
    """A quantity written in a text, with its bounds and every true reading.

    `value`/`qualifier`/`value_max` are the first (preferred) reading; `text` is the
    number as written (with 余/多, without the words around it) at `start`; `word` is the
    word that qualifies it (余, 以上, 近, 数十万 …, "" for none); `lower`/`upper` bound
    the true value (None: unbounded or unknown), `lower_open`/`upper_open` say whether the
    bound itself is excluded.
    """

    value: float
    qualifier: str
    text: str
    start: int
    value_max: float | None = None
    word: str = ""
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    upper_open: bool = False
    readings: tuple[Reading, ...] = field(default=(), compare=False)

    @property
    def end(self) -> int:
        """Index just after the number as written."""
        return self.start + len(self.text)


@dataclass(frozen=True)
class NotQuantity:
    """Digits that do not count anything: an ordinal, an enumeration, a date or a name."""

    text: str  # the phrase, e.g. 第一 or 一村一品
    start: int
    kind: str  # ordinal | enumeration | date | name
    values: tuple[float, ...]  # the numbers its digits would read as


@dataclass(frozen=True)
class Read:
    """Everything `readings()` finds in a text."""

    quantities: tuple[Quantity, ...]
    not_quantities: tuple[NotQuantity, ...]


def chinese_to_number(text: str) -> float | None:
    """Convert a Chinese numeral such as `一百零八`, `两`, `廿三` or `十二万` to a number.

    Returns None for text that is not one numeral (`一二`, `二〇二三`).
    """
    text = text.replace("廿", "二十").replace("卅", "三十")
    if not text:
        return None
    total = 0.0
    section = 0.0  # the part below the current 万/亿
    digit: float | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None:  # "一二" is not a numeral we read
                return None
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            if section == 0:
                section = 1
            if BIG_UNITS[ch] == 100_000_000:
                total = (total + section) * BIG_UNITS[ch]
            else:
                total += section * BIG_UNITS[ch]
            section, digit = 0.0, None
        else:
            return None
        if ch in "零〇":
            digit = None
    return total + section + (digit or 0)


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", ""))
    return chinese_to_number(text)


def _scale(mult: str | None) -> float:
    factor = 1.0
    for ch in mult or "":
        factor *= MULTIPLIERS[ch]
    return factor


def _clean(value: float | None) -> float | None:
    # 4.57 * 1e8 is 456999999.99999994 in binary floating point; round off the noise.
    return None if value is None else round(value, 6)


def _step(value: float) -> float:
    """The unit of the last non-zero digit: 400 → 100, 1400 → 100, 15000 → 1000, 1.5 → 0.1."""
    if value == 0:
        return 1.0
    if float(value).is_integer():
        n, step = int(value), 1
        while n % 10 == 0:
            n //= 10
            step *= 10
        return float(step)
    decimals = len(repr(float(value)).split(".")[1].rstrip("0"))
    return 10.0 ** -decimals


# --- what is not a quantity -------------------------------------------------------------

_CN = "零〇一二两三四五六七八九十百千万亿廿卅"
_CND = "一二两三四五六七八九十"
_NUMERAL = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"

# Set phrases and names whose characters include a numeral (longest matched first).
_SET_PHRASES = sorted("""
统一 唯一 之一 一体 一体化 一站式 一线 一直 一定 一些 一般 一样 一切 一致 一律 一同 一道 一齐
一旦 一边 一方面 一系列 一度 一举 一心 一手 一把手 一肩挑 一对一 一盘棋 一张网 一条龙 一揽子
进一步 一一 一下 一番 一并 一流 一带一路 一张蓝图 一以贯之 一如既往 一视同仁 一心一意
一目了然 千方百计 千家万户 千军万马 万众一心 百姓 百花齐放 十足 十全十美 三农 三资 两委 两新
三会一课 两学一做 两优一先 两不愁三保障 四个意识 四个自信 两个维护 两个确立 四议两公开 五湖四海
四面八方 七上八下 三心二意 一年一度 如一日 百年大计 百里挑一 一分为二 一鼓作气 五位一体
四个全面 一批 一大批 一部分 一口气 一贯 一味 一阵 一时 一向 一再 一早 一概 一举两得 一石二鸟
三番五次 万无一失 千篇一律 一路 一行 一带 一环 一身 一生 一辈子 一次性 一键 一网通办 一网统管
一门式 一窗 一件事 零距离 零星 零散 一盘 一方 一并 一员 三五成群 十之八九 千千万万 万万 亿万
一号 一把 一点点 一肩 一家亲 一张 一桌 一码 一图 一本账 一张表 一览 万家 一如 一成不变
十二五 十三五 十四五 十五五 双十一 双十二 三十而立 一二三产业 二三产业 五彩 五颜六色 昙花一现
""".split(), key=len, reverse=True)

_NOT_QUANTITY = [
    # ordinals
    ("ordinal", rf"第{_NUMERAL}"),
    ("ordinal", r"初[一二三四五六七八九十]"),
    ("ordinal", rf"{_NUMERAL}(?:号|等奖)"),
    ("ordinal", r"(?:周|星期|礼拜)[一二三四五六日天]"),
    # enumerations: 一是…二是…, 一要…二要…, 一、二、, （一）, 其一
    ("enumeration", rf"(?<![{_CN}\d])[{_CND}](?:是|要|抓|靠|看)(?=[^\d{_CN}])"),
    ("enumeration", rf"(?:^|(?<=[。；;：:\s]))(?:[{_CND}]+|\d+)[、.．](?!\d)"),
    ("enumeration", rf"[（(][{_CND}\d]+[）)]"),
    ("enumeration", r"其[一二三四五]"),
    # dates: 2023年, 2022-2023年, 9月, 20日
    ("date", r"(?:19|20)\d{2}(?:[-—~～至到](?:19|20)?\d{2})?年(?!代)"),
    ("date", r"(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{1,2})?"),
    ("date", r"(?<![\d个])(?:1[0-2]|0?[1-9])\s*[-—~～至到]\s*(?:1[0-2]|0?[1-9])月"),
    ("date", r"(?<![\d个])(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份|初|底|中旬|上旬|下旬)?"
             r"(?:(?:[12]?\d|3[01]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?"),
    ("date", r"(?<![\d个])(?:[12]?\d|3[01])日(?!常)"),
    ("date", r"[〇零一二三四五六七八九]{4}年"),
    # names: generations, formulas (1+12+X), N个一 slogans, 一X一Y slogans
    ("name", r"\d0后"),
    ("name", rf"[\dXxNn{_CND}]+(?:\s*[+＋]\s*[\dXxNn{_CND}]+)+"),
    ("name", rf"[{_CND}]个一"),
    ("name", rf"一[^\d{_CN}\s，。,；;、！？“”]{{1,2}}一[^\d{_CN}\s，。,；;、！？“”]{{1,2}}"
             rf"(?<![年月周天日季次])"),
    ("name", rf"[两三四五][^\d{_CN}\s，。,；;、！？“”个名人次项年月天]一[^\d{_CN}\s，。,；;、！？“”]"),
    ("name", "|".join(map(re.escape, _SET_PHRASES)) + r"(?![钟])"),
    ("name", r"(?<![\d数几上一二两三四五六七八九十])千万(?![元人])"),
    ("name", r"十分(?!钟)"),
    ("name", r"\d{3,4}-\d{7,8}"),  # a phone number
    ("date", r"\d{1,2}:\d{2}(?::\d{2})?"),  # a time of day
    ("date", r"(?<=上午|下午|晚上|中午|凌晨|早上|傍晚)[一二三四五六七八九十\d]{1,3}点(?:钟|半)?"),
    ("name", r"(.)一\1"),  # 扫一扫, 听一听
    ("name", r"一[^\d\s，。,；;、！？“”]即"),  # 一扫即查, 一点即办
    ("name", r"\d[Gg](?![A-Za-z])"),  # 5G
    ("name", r"\d+\s*[×xX*]\s*\d+"),  # 7×24小时 service
    ("name", r"一起(?!纠纷|案|事故|事件|矛盾|诉讼|信访)"),  # 一起 "together"; 一起纠纷 is one dispute
]

# A pattern can only match a text holding one of its trigger characters; checking them first
# skips most regex scans (validation reads every quote of every case).
_TRIGGERS = ("第", "初", "号奖", "周期拜", "是要抓靠看", "、.．", "（(", "其", "年", "-/.", "月", "月",
             "日", "年", "后", "+＋", "个", "一", "一", None, "千", "十", "-", ":", "点", "一", "即",
             "Gg", "×xX*", "起")
assert len(_TRIGGERS) == len(_NOT_QUANTITY)
_NOT_RE = [(kind, re.compile(pattern), frozenset(trigger) if trigger else None)
           for (kind, pattern), trigger in zip(_NOT_QUANTITY, _TRIGGERS, strict=True)]
_ANY_NUMERAL = frozenset("0123456789" + _CN + "数几")
# A short quoted name: “五个一”, ‘两优一先’, “1+12+X” (at most 8 characters inside).
_QUOTED = re.compile(r"[“‘「『\"]([^“”‘’「」『』\"\n]{1,8})[”’」』\"]")
_NUMERAL_IN = re.compile(rf"\d+(?:\.\d+)?|[{_CN}]+")


def _not_quantities(text: str) -> list[NotQuantity]:
    found: list[NotQuantity] = []
    taken = [False] * len(text)

    def add(kind: str, start: int, end: int) -> None:
        if any(taken[start:end]):
            return
        phrase = text[start:end]
        values = tuple(v for m in _NUMERAL_IN.finditer(phrase)
                       if (v := _number(m.group(0)) if _number(m.group(0)) is not None
                           else _digit_string(m.group(0))) is not None)
        if not values:  # 十四五: no one numeral; each character's own value
            values = tuple(float(DIGITS.get(ch) or MULTIPLIERS[ch]) for ch in phrase
                           if ch in DIGITS or ch in MULTIPLIERS)
        for i in range(start, end):
            taken[i] = True
        found.append(NotQuantity(phrase, start, kind, values))

    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        if _NUMERAL_IN.search(inner) and not _looks_like_figure(inner):
            add("name", m.start(1), m.end(1))
    chars = set(text)
    for kind, pattern, trigger in _NOT_RE:
        if trigger is not None and trigger.isdisjoint(chars):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                add(kind, m.start(), m.end())
    return sorted(found, key=lambda n: n.start)


def _digit_string(text: str) -> float | None:
    """二〇二三 → 2023: digits written one by one, as in a year."""
    if all(ch in DIGITS for ch in text):
        return float("".join(str(DIGITS[ch]) for ch in text))
    return None


def _looks_like_figure(inner: str) -> bool:
    # “40余万元” quoted for emphasis is still a figure: a number followed by a unit word.
    return bool(re.fullmatch(rf"[约近超逾]?(?:\d+(?:\.\d+)?|[{_CN}]+)[余多]?[十百千万亿]*"
                             r"[余多]?(?:元|万元|亿元|人|人次|户|个|名|亩|次|天|年|%)", inner))


# --- quantities --------------------------------------------------------------------------

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?"
_NUM = rf"(?:{_ARABIC}|[{_CN}]+)"
_RANGE_SEP = r"(?:到|至|-|~|～|—|－|–)"
_MAIN = re.compile(
    rf"(?P<pct>百分之)?(?P<a>{_NUM})"
    rf"(?:(?P<amult>[十百千万亿]+)?{_RANGE_SEP}(?P<pct2>百分之)?(?P<b>{_NUM}))?"
    r"(?P<approx1>[余多来])?"
    r"(?P<mult>[十百千万亿]+)?"
    r"(?P<approx2>[余多])?"
    r"(?:(?P<cls>个|年|天|周|月|小时)(?P<approx3>[余多]))?"
)
_ADJACENT = re.compile(  # 三四天, 三五天, 一两天, 七八十, 十五六, 二十三四
    rf"(?P<tens>[一二三四五六七八九]?十)?(?P<d1>[一两二三四五六七八九])(?P<d2>[两二三四五六七八九])"
    rf"(?P<u>[十百千万亿]*)(?![{_CN}])"
)
_VAGUE = [  # (pattern, lower(match), upper(match))
    (re.compile(r"成百上千"), lambda m: 100.0, lambda m: 10_000.0),
    (re.compile(r"成千上万"), lambda m: 1000.0, lambda m: 100_000.0),
    (re.compile(r"成千上百|上百上千"), lambda m: 100.0, lambda m: 10_000.0),
    (re.compile(r"数以(?P<u>[十百千万亿]+)计"), lambda m: _scale(m["u"]), lambda m: 10 * _scale(m["u"])),
    (re.compile(r"上(?P<u>十万|百万|千万|百|千|万|亿)(?![余多])"),
     lambda m: _scale(m["u"]), lambda m: 10 * _scale(m["u"])),
    (re.compile(r"(?:数|几)(?P<u>[十百千万亿]+)(?![余多])"),
     lambda m: _scale(m["u"]), lambda m: 10 * _scale(m["u"])),
    (re.compile(r"(?P<t>[一二三四五六七八九]?十|[1-9]0)几(?P<u>[百千万亿]*)"),
     lambda m: _tens(m["t"]) * _scale(m["u"]), lambda m: (_tens(m["t"]) + 10) * _scale(m["u"])),
    (re.compile(r"(?<![人户次]|多)(?:好几|几|数)(?=[个名位人家户次项座所条支批天年届期处])"),
     lambda m: 1.0, lambda m: 10.0),
]
_VAGUE_START = frozenset("成数上几好十一二三四五六七八九123456789")
# Which vague patterns can start with a character (the 十几 one only when 几 follows soon).
_VAGUE_BY_FIRST = {ch: [v for v, firsts in zip(_VAGUE, ("成", "成", "成上", "数", "上", "数几",
                                                         "一二三四五六七八九十123456789", "好几数"),
                                              strict=True) if ch in firsts]
                   for ch in _VAGUE_START}
_START = re.compile(rf"\d|[{_CN}数几上成好]|百分之")


def _tens(t: str) -> float:
    return float(t) if t[0].isdigit() else chinese_to_number(t)


# Words before a number, longest first. 约 after 节/制/签… is not "about" (节约100万元).
_BEFORE = [
    ("不少于", "at_least"), ("不低于", "at_least"), ("不下于", "at_least"), ("至少", "at_least"),
    ("最少", "at_least"), ("不超过", "at_most"), ("不高于", "at_most"), ("不多于", "at_most"),
    ("最多", "at_most"), ("至多", "at_most"), ("超过", "more_than"), ("多于", "more_than"),
    ("高于", "more_than"), ("大于", "more_than"), ("逾", "more_than"), ("超", "more_than"),
    ("不满", "less_than"), ("未满", "less_than"), ("不到", "less_than"), ("不足", "less_than"),
    ("少于", "less_than"), ("低于", "less_than"), ("小于", "less_than"),
    ("将近", "just_under"), ("接近于", "just_under"), ("接近", "just_under"), ("几乎", "just_under"),
    ("近", "just_under"), ("大约", "approximately"), ("大概", "approximately"),
    ("约为", "approximately"), ("约", "approximately"), ("满", "complete"), ("届满", "complete"),
]
_BEFORE.sort(key=lambda pair: len(pair[0]), reverse=True)
_BEFORE_MAP = dict(_BEFORE)
_BEFORE_LAST = frozenset(word[-1] for word, _ in _BEFORE)
_ADVERB_FIRST = frozenset("至最不")
# Characters that turn 近/约/超/满 into another word: 最近, 临近, 节约, 高超, 充满 …
_NOT_BEFORE = {"近": "最就附临靠亲邻贴", "约": "节制契签邀预相婚简集履违特公条合",
               "超": "高赶", "满": "充饱圆美不未届期布丰"}
_AFTER = re.compile(r"[^\d，。,；;、！？\s]{0,3}?(以上|以下|以内|之内|左右|以外|开外|届满|期满)")
_AFTER_NEAR = re.compile(r"[^\d，。,；;、！？\s]?(上下)")
_AFTER_MAP = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "之内": "at_most",
              "左右": "approximately", "上下": "approximately", "以外": "more_than",
              "开外": "more_than", "届满": "complete", "期满": "complete"}
# 至少/最多 are adverbs: a verb phrase may stand between them and the number, within the
# same clause (每月至少到挂点联系村开展1次).
_ADVERB = re.compile(r"(至少|最少|最多|至多|不少于|不超过)[^\d，。,；;、！？\s]{0,10}$")
# 近两年来 / 近三年以来: "the last two years", not "nearly".
_RECENT = re.compile(r"(?:个)?(?:年|月|天|日|周|季度)(?:来|以来|内|里|中)")

_READINGS = {
    "exact": ("exact", "approximately"),
    "plus": ("plus",), "at_least": ("at_least",), "more_than": ("more_than",),
    "just_under": ("just_under", "approximately"), "approximately": ("approximately",),
    "at_most": ("at_most",), "less_than": ("less_than",), "complete": ("exact", "at_least"),
}


def _before_word(text: str, start: int) -> tuple[str, str] | None:
    """The qualifying word just before a number (超过100人), or an adverb earlier in the clause."""
    head = text[max(0, start - 5):start]
    head = head.removesuffix("了")  # 超过了100人
    for word, qualifier in (_BEFORE if head[-1:] in _BEFORE_LAST else ()):
        if head.endswith(word):
            prev = head[-len(word) - 1] if len(head) > len(word) else ""
            if prev and word in _NOT_BEFORE and prev in _NOT_BEFORE[word]:
                break  # 最近3年, 临近三个村, 节约100万元
            return word, qualifier
    adverb = _ADVERB.search(text, max(0, start - 16), start) if _ADVERB_FIRST.intersection(
        text[max(0, start - 16):start]) else None
    if adverb:
        return adverb.group(1), _BEFORE_MAP[adverb.group(1)]
    return None


@lru_cache(maxsize=8192)
def readings(text: str) -> Read:
    """Every quantity written in `text` with its true readings, and the non-quantities.

    Cached: the result is immutable, and copied corpora repeat their quotes.
    """
    norm = text.translate(_WIDE)
    if _ANY_NUMERAL.isdisjoint(norm):
        return Read((), ())
    nots = _not_quantities(norm)
    blocked = [False] * len(norm)
    for n in nots:
        for i in range(n.start, n.start + len(n.text)):
            blocked[i] = True
    found: list[Quantity] = []
    pos = 0
    while pos < len(norm):
        m = _START.search(norm, pos)
        if not m:
            break
        pos = m.start()
        if blocked[pos]:
            pos += 1
            continue
        q = _read_at(norm, pos, blocked)
        if q is None:
            pos += 1
            continue
        found.append(q)
        pos = max(q.end, pos + 1)
    if norm != text:  # echo the quote's own characters (１２, not 12)
        found = [replace(q, text=text[q.start:q.end]) for q in found]
        nots = [replace(n, text=text[n.start:n.start + len(n.text)]) for n in nots]
    return Read(tuple(found), tuple(nots))


def _free(blocked: list[bool], start: int, end: int) -> bool:
    return not any(blocked[start:end])


def _quantity(text: str, start: int, end: int, qualifier: str, value: float,
              value_max: float | None = None, word: str = "") -> Quantity:
    value, value_max = _clean(value), _clean(value_max)
    lower = upper = None
    lower_open = upper_open = False
    if qualifier in ("range", "vague"):
        lower, upper = value, value_max
        reads: tuple[Reading, ...] = (Reading(qualifier, value, value_max),)
    else:
        kinds = _READINGS[qualifier]
        reads = tuple(Reading(k, value) for k in kinds)
        if qualifier in ("exact", "complete"):
            lower = value
            upper = value if qualifier == "exact" else None
        elif qualifier == "plus":
            lower, upper, lower_open, upper_open = value, _clean(value + _step(value)), True, True
        elif qualifier == "at_least":
            lower = value
        elif qualifier == "more_than":
            lower, lower_open = value, True
        elif qualifier in ("at_most",):
            upper = value
        elif qualifier in ("less_than", "just_under"):
            upper, upper_open = value, True
        qualifier = kinds[0]
    return Quantity(value, qualifier, text[start:end], start, value_max, word, lower, upper,
                    lower_open, upper_open, reads)


def _read_at(text: str, pos: int, blocked: list[bool]) -> Quantity | None:
    # Vague words first: 数十万, 上百, 成千上万, 十几, 几个.
    first = text[pos]
    if first in _VAGUE_START and (first in "成数上几好" or "几" in text[pos + 1:pos + 4]):
        for pattern, low, high in _VAGUE_BY_FIRST[first]:
            m = pattern.match(text, pos)
            if m and m.end() > pos and _free(blocked, pos, m.end()):
                return _quantity(text, pos, m.end(), "vague", low(m), high(m), m.group(0))
    m = _ADJACENT.match(text, pos) if first in _ADJACENT_FIRST else None
    if m and _free(blocked, pos, m.end()):
        d1, d2 = DIGITS[m["d1"]], DIGITS[m["d2"]]
        if d2 == d1 + 1 or (d1, d2) == (3, 5):
            tens = chinese_to_number(m["tens"]) if m["tens"] else 0
            scale = _scale(m["u"])
            return _quantity(text, pos, m.end(), "range", (tens + d1) * scale, (tens + d2) * scale,
                             m.group(0))
    # A number never reaches into a phrase that is not a quantity (3个一村一品).
    limit = _first_blocked(blocked, pos) if True in blocked else len(text)
    m = _MAIN.match(text if limit == len(text) else text[:limit], pos)
    if not m:
        return None
    a_text = m["a"]
    if not a_text[0].isdigit() and not m["pct"]:
        # 零/〇 alone and a bare unit (百姓) are no numbers; 百余 / 十个 / 将近百人 are.
        if a_text in ("零", "〇"):
            return None
        if len(a_text) == 1 and a_text in "十百千万亿" and not (
                m["approx1"] or m["approx2"] or m["b"] or _classifier(text, m.end())):
            return None
    a = _number(a_text)
    if a is None:
        return None
    scale = _scale(m["mult"])
    if m["b"] is not None:
        b = _number(m["b"])
        if b is None:
            return None
        # 3万到5万 scales each end; 3到5万 scales both by the trailing 万.
        low = a * (_scale(m["amult"]) if m["amult"] else scale)
        return _quantity(text, pos, m.end(), "range", low, b * scale, m.group(0))
    return _read_plain(text, pos, m, a * scale)


_ADJACENT_FIRST = frozenset("一两二三四五六七八九十")


def _first_blocked(blocked: list[bool], pos: int) -> int:
    i = pos
    while i < len(blocked) and not blocked[i]:
        i += 1
    return i


_HALF = re.compile(r"(?:个半(?=小时|月|钟头)|(?:年|天|小时)半)")  # 一年半, 两个半月: + 0.5
_TENTHS = re.compile(r"成(?![员立为功效本果长熟绩交都型品就了])")  # 三成 = 30 (percent)


def _read_plain(text: str, pos: int, m: re.Match, value: float) -> Quantity:
    end = m.end()
    if not (m["approx1"] or m["approx2"] or m["approx3"]):
        half = _HALF.match(text, end) if "半" in text[end:end + 3] else None
        if half:
            value, end = value + 0.5, half.end()
            if text[end - 1] != "半":  # 两个半月: the unit stays after the number
                end = half.start() + 2
        elif text[end:end + 1] == "成" and _TENTHS.match(text, end):
            value, end = value * 10, end + 1
    marker = m["approx1"] or m["approx2"] or m["approx3"]
    if marker in ("余", "多"):
        return _quantity(text, pos, end, "plus", value, word=marker)
    if marker == "来":
        if _classifier(text, end):  # 十来个: about ten
            return _quantity(text, pos, end, "approximately", value, word="来")
        end -= 1
    after = (_AFTER.match(text, end) or _AFTER_NEAR.match(text, end)
             if _AFTER_CHARS.intersection(text[end:end + 6]) else None)
    before = _before_word(text, pos)
    if before and before[1] == "just_under" and _RECENT.match(text, end):
        before = None  # 近两年来: the last two years
    if after:
        word = after.group(1)
        if _AFTER_MAP[word] == "complete" and before and before[1] != "complete":
            return _quantity(text, pos, end, before[1], value, word=before[0])
        return _quantity(text, pos, end, _AFTER_MAP[word], value, word=word)
    if before:
        return _quantity(text, pos, end, before[1], value, word=before[0])
    return _quantity(text, pos, end, "exact", value)


_AFTER_CHARS = frozenset("以之左开届期上")
_CLASSIFIERS = set("个名位人户家次项座所条支批天年月周届期处亩元斤件场起场头只匹台辆套本间栋层"
                   "种类部门把张份笔岁%")


def _classifier(text: str, end: int) -> bool:
    return end < len(text) and text[end] in _CLASSIFIERS


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity written in `text`, in order of appearance (non-quantities left out)."""
    return list(readings(text).quantities)


def is_true_reading(quantity: Quantity, qualifier: str, value: float,
                    value_max: float | None = None) -> bool:
    """True when (qualifier, value, value_max) is one of the quantity's true readings.

    Non-finite values (inf, nan: YAML's 1e400) are never true.
    """
    if not _finite(value) or (value_max is not None and not _finite(value_max)):
        return False
    return any(r.qualifier == qualifier and _same(r.value, value)
               and ((r.value_max is None and value_max is None)
                    or (r.value_max is not None and value_max is not None
                        and _same(r.value_max, value_max)))
               for r in quantity.readings)


def agrees(quantity: Quantity, value: float, value_max: float | None = None) -> bool:
    """True when a metric's value (and upper value) equals what the quantity says."""
    if not _finite(value) or (value_max is not None and not _finite(value_max)):
        return False
    if not _same(quantity.value, value):
        return False
    if value_max is None or quantity.value_max is None:
        return value_max is None and quantity.value_max is None
    return _same(quantity.value_max, value_max)


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))
