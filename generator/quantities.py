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
                   过万 破亿 突破N (the figure has passed N)
plus               N余 N多 (400余万, 700多天, 一个多月)         (N, N + step), step = the
                                                              unit of N's last non-zero
                                                              digit (400余万: step 100万),
                                                              at most the unit 余 follows
                                                              (十万余: step 1万)
just_under         近 将近 接近 几乎                            [?, N)
approximately      约 大约 大概 左右 上下 N来 千把 万把 个把     about N
                   约合 约有 约占 约达 (约合人民币50万元), N人许,
                   N个来月
                   百八十 千儿八百 万儿八千 (about 100, 1000, 10000)
at_most            以下 以内 之内 最多 至多 不超过 不高于 不多于    (-∞, N]
less_than          不满 不到 不足 少于 低于 小于 未满             (-∞, N)
range              三到五 3至5 3—5 三五天 三四天 一两天 三两个   [a, b]
vague              数十万 几十 十几 上百 成千上万 数以万计 …       [lower, upper]
=================  =========================================  ===========================

Which readings are true:

- a plain cardinal with no bound word (97个村, 两年前) reads as `exact` and, because an
  article may round a figure (two years, elsewhere 700多天), as `approximately`; a figure
  with its own bound word never reads as `approximately` (400余万 is `plus` only);
- 近/将近/接近 N reads as `just_under` and also as `approximately` (it is close to N);
  近N年来 / 近N年以来 means "the last N years" and reads as a plain N, and so does 近N年
  heading a clause (近3年累计投入…), not after a verb of duration (驻村近两年) nor at the end;
- 满N / N…届满 / 期满 (a completed term) reads as `exact` and `at_least` (inclusive);
- a vague quantity reads ONLY as `vague`, with value = lower bound and value_max = upper
  bound. Convention: the bounds are the order of magnitude the words name, 数/几 + unit U
  → [U, 10U] (数十万 → 100000..1000000, 几十 → 10..100, 数百 → 100..1000), 十几 U →
  [10U, 20U], 二十几 → 20..30, 上百/上千/上万 → [U, 10U], 成百上千 → 100..10000,
  成千上万 → 1000..100000, 数以万计 → 10000..100000, 几个/数名 → 1..10, 数百上千 → 100..10000,
  数十上百 → 10..1000, 十数 → 10..20 (十数万 → 100000..200000), 大几十 → 50..100.
  A vague quantity never backs `exact`, `at_least` or `plus`;
- ordinals (第一, 1号文件, 初一, 一等奖), enumerations (一是/二是, 一、), dates (2023年,
  9月, 20日), generations (90后), formulas (1+12+X), names and set phrases (一村一品,
  一人一资源, 五个一, 两优一先, 一线, 统一, 之一, 千方百计 …) and short quoted names
  (“五个一”) are not quantities: their digits back no reading.

Numerals: Arabic (1,000 with thousands commas, 1 200 and 400 余万 spaced as in PDF text, 4.57,
full-width １２), Chinese (一百零八,
两, 廿/卅, 万/亿 compounds, 万亿), colloquial short forms (一万二 = 12000, 三千五 = 3500),
mixed (4.57亿, 1.1万, 3千, 3万5千, 1亿2000万), 点 decimals (四点五七亿), financial numerals
(壹佰万), percent (30%, 百分之三十 → 30; per mille in percent: 5‰ → 0.5; 成 is tenths:
三成 → 30, 七成五 → 75, 九成九 → 99, 七八成 → range 70..80, 两成多 → plus 20, below 30).
Fractions and halves are shares in percent: 五分之一 → 20, 千分之五 → 0.5, 一半/半数 → 50;
三分之一 has no exact decimal and reads only as `approximately` 33.33, 33.3 or 33 (rounded
down for a lower bound, up for an upper one).
A range's unit written once after its upper end belongs to both ends (五到十万 → 50000..100000)
unless the lower end is then above the upper one (5000至2万 → 5000..20000); a lower end with
its own unit word reads as the range too (5000元至2万元, 3个村至5个村, 3%-5%, 三成至五成).

Each quantity also carries `unit`, the unit word written right after it (元, 户, 人次, 亩, %,
倍, 个百分点 …); `UNIT_WORDS` maps it to the metric units it can be counted in (200户 is
`household`; 3倍 and 5个百分点 fit none). A point in time (3年前, 两年后) is a NotQuantity of
kind `ago`, not a length, and a discount (打八折: 80% of the price) one of kind `discount`;
so are phone, hotline, road and version numbers, quarters
(一季度), decades (80年代), congresses (二十大), holidays (五一期间) and set names (八项规定,
两会, 双11, 4A级, 万元户, 万亩茶园).

Second review (figures2): traditional characters read through OpenCC's character table,
one for one (5萬元 = 50000; readings echo the quote's own characters); a negated "one"
(未发生1起, 没有1户, 无一人) reads as 0 exact, a larger negated count or 并非N as a NotQuantity
of kind `negated`, 无一不 (every one) as written; 未超过/不超 = at_most, 未达到 = less_than;
不下 = at_least, 不止/远不止 = more_than, N有余/出头/挂零 = plus, 差不多/大致/大体/小N
(round N) = approximately; 最多时/最少时/最多的一天 name the peak itself (exact);
（含）以上 includes N, （不含）以上 and 以上（不含N） exclude it, 200元内/三年内 = at_most;
money below the yuan in yuan (5毛 = 0.5, 2元5角 = 2.5, 3块5 = 3.5, 3分钱 = 0.03); the 千 of
千克/千瓦/12千米 belongs to the unit word; foreign money (美元 …) and measures no metric unit
counts (公顷, 担, 公里, 米, 千瓦时, 夜 …) are unit words that fit no metric unit; 百分之三十几
is vague 30..40, 百八十万 about 1000000, ‱ per ten thousand (3‱ = 0.03 percent);
2年零3个月 = 27 months; lunar dates (腊月二十三) are dates; 五、六十 = range 50..60;
1米8 = 1.8 metres; 百十来 about 100.
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
    unit: str = ""  # the unit word written after the number (元, 户, 人次, %), "" for none
    parts: tuple[float, ...] = ()  # a fraction's numerator and denominator (三分之一: 1, 3)

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

    Also reads the colloquial short forms (一万二 = 12000, 两万五 = 25000, 三千五 = 3500:
    a last digit after a unit counts in the next lower unit), Arabic digits inside a
    compound (3万5千 = 35000, 1亿2000万 = 120000000), a decimal point written 点
    (四点五七 = 4.57) and 万亿 (10**12). Returns None for text that is not one numeral
    (`一二`, `二〇二三`, `一万亿亿`) or that reads above 10**15 (一千万亿).
    """
    text = text.replace("廿", "二十").replace("卅", "三十")
    if not text:
        return None
    if "点" in text:  # 四点五七: an integer part, 点, then digits one by one
        whole, _, tenths = text.partition("点")
        head = chinese_to_number(whole) if whole else None
        if head is None or not tenths or any(ch not in DIGITS or ch == "两" for ch in tenths):
            return None
        return float(f"{int(head)}.{''.join(str(DIGITS[ch]) for ch in tenths)}")
    total = 0.0
    section = 0.0  # the part below the current 万/亿
    digit: float | None = None
    single = False  # the pending digit is one character (三, 5), so 一万二 can mean 12000
    last: float | None = None  # the unit just before the pending digit, None after 零
    previous = ""
    for token in _TOKEN.findall(text):
        if token[0].isdigit():
            if digit is not None:
                return None
            digit, single = float(token), len(token) == 1
        elif token in "零〇":
            if digit is not None:
                return None
            last = None
        elif token in DIGITS:
            if digit is not None:  # "一二" is not a numeral we read
                return None
            digit, single = float(DIGITS[token]), True
        elif token in SMALL_UNITS:
            if digit is None and previous in SMALL_UNITS:
                return None  # 百十
            section += (1 if digit is None else digit) * SMALL_UNITS[token]
            digit, last = None, SMALL_UNITS[token]
        elif token in BIG_UNITS:
            part = section + (digit or 0)
            if token == "亿":
                if part == 0 and total > 0:
                    if previous != "万":  # 亿亿, 亿万亿
                        return None
                    total *= BIG_UNITS[token]  # 万亿 = 10**12
                else:
                    total = (total + (part or 1)) * BIG_UNITS[token]
            else:
                if part == 0 and total > 0:
                    return None  # 亿万, 万万
                total += (part or 1) * BIG_UNITS[token]
            section, digit, last = 0.0, None, BIG_UNITS[token]
        else:
            return None
        previous = token
    if digit is not None and last is not None and single and last >= 100:
        digit *= last / 10  # 一万二 = 12000, 三千五 = 3500, 一百五 = 150
    value = total + section + (digit or 0)
    return value if value <= 1e15 else None


_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")
# Financial numerals (大写数字, on cheques and budgets): 壹佰万元 = 1000000. Read only in a
# run of two or more numeral characters, so 陆续 and 大陆 stay words.
_FORMAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩", "一二二三三四五六六七八九十百千万亿两")
_FORMAL_CHARS = "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩"
_FORMAL_RUN = re.compile(f"[{_FORMAL_CHARS}零〇一二两三四五六七八九十百千万亿]{{2,}}")


_FORMAL_SET = frozenset(_FORMAL_CHARS)


def _formal(text: str) -> str:
    if _FORMAL_SET.isdisjoint(text):
        return text
    return _FORMAL_RUN.sub(lambda m: m.group(0).translate(_FORMAL)
                           if not _FORMAL_SET.isdisjoint(m.group(0)) else m.group(0), text)


_PLAIN_ARABIC = re.compile(r"[\d,.]+")


def _number(text: str) -> float | None:
    if text[0].isdigit() and _PLAIN_ARABIC.fullmatch(text):
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
统一 唯一 一体 一体化 一站式 一线 一直 一定 一些 一般 一样 一切 一致 一律 一同 一道 一齐
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
八项规定 三变改革 三变 两会 万元户 四下基层 三严三实 三个代表 两个百年 两山 两点一线 四风 六稳 六保
三治融合 两个责任 五级书记 三级书记 四个不摘 两不愁 三保障
无一例外 一个都不能少 一个也不能少 一户都不能少 一个不落 一户不落 一人不落 三天两头 七嘴八舌 一日三餐 一年四季
三下乡 一年到头 三天打鱼两天晒网 七手八脚 五花八门 一干二净 九牛一毛 说一不二 独一无二 一穷二白
""".split(), key=len, reverse=True)

_NOT_QUANTITY = [
    # ordinals
    ("ordinal", rf"第{_NUMERAL}"),
    ("ordinal", r"初[一二三四五六七八九十]"),
    ("ordinal", rf"{_NUMERAL}(?:号(?!人)|等奖)"),  # 几十号人, 百十号人: people, counted
    ("ordinal", r"(?:周|星期|礼拜)[一二三四五六日天]"),
    # enumerations: 一是…二是…, 一要…二要…, 一、二、, （一）, 其一
    ("enumeration", rf"(?<![{_CN}\d])[{_CND}](?:是|要|抓|靠|看)(?=[^\d{_CN}])"),
    ("enumeration", rf"(?:^|(?<=[。；;：:\s]))(?:[{_CND}]+|\d+)[、.．](?!\d|[二三四五六七八九][十百千万成])"),
    ("enumeration", rf"[（(][{_CND}\d]+[）)]"),
    ("enumeration", r"其[一二三四五]"),
    # dates: 2023年, 2022-2023年, 9月, 20日
    ("date", r"(?:19|20)\d{2}(?:[-—~～至到](?:19|20)?\d{2})?年(?!代)"),
    ("date", r"(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{1,2})?"),
    ("date", r"(?<![\d个])(?:1[0-2]|0?[1-9])\s*[-—~～至到、]\s*(?:1[0-2]|0?[1-9])月"),
    ("date", rf"(?<![\d{_CN}个])(?:十[一二]?|[一二三四五六七八九])、"  # 三、四月
             r"(?:十[一二]?|[一二三四五六七八九])月"),
    # 腊月二十三, 农历八月十五, 正月初五: a (lunar) date written without 日, not a count of days
    ("date", rf"(?<![\d{_CN}个])(?:[腊正冬]|十[一二]?|[一二三四五六七八九])月(?:初[一二三四五六七八九十]"
             rf"|廿[一二三四五六七八九]?|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
             rf"(?![多余几来个万千百亿\d{_CN}天年月人户名位次元项家所座日号村镇乡])"),
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
    ("name", r"\d{3,4}-\d{7,8}"),  # a phone number
    ("date", r"\d{1,2}:\d{2}(?::\d{2})?"),  # a time of day
    ("date", r"(?<=上午|下午|晚上|中午|凌晨|早上|傍晚)[一二三四五六七八九十\d]{1,3}点"
             r"(?:钟|半|[零〇一二三四五六七八九十\d]{1,3}分)?"),
    ("name", r"(.)一\1"),  # 扫一扫, 听一听
    ("name", r"一[^\d\s，。,；;、！？“”]即"),  # 一扫即查, 一点即办
    ("name", r"\d[Gg](?![A-Za-z])"),  # 5G
    ("name", r"\d+\s*[×xX*]\s*\d+"),  # 7×24小时 service
    ("name", r"一起(?!纠纷|案|事故|事件|矛盾|诉讼|信访)"),  # 一起 "together"; 一起纠纷 is one dispute
    # phone numbers, hotlines, road and version numbers, ratios, grades, shopping days
    ("name", r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # a mobile number
    ("name", r"(?:拨打|致电|热线|电话|报警|号码)\s*[:：]?\s*\d{3,}(?:-\d+)?"),  # 拨打110
    ("name", r"(?<!\d)\d{3,5}"
             r"(?=\s*(?:服务|便民|政务|政府|举报|投诉|咨询|求助){0,2}(?:热线|专线|平台|报警))"),
    ("name", r"(?<![A-Za-z])[GSXgsx]\d{1,4}(?!\d)|\d{1,4}(?=\s*(?:国道|省道|县道|乡道))"),
    ("name", r"[Vv]\d+(?:\.\d+)*"
             r"|(?<![\d.])\d+(?:\.\d+)+(?=\s*(?:版|时代|模式|升级))"),
    ("date", r"\d{1,2}\s*[·•]\s*\d{1,2}"),  # 12·5事件
    ("date", r"(?<![\d.])\d{1,2}\.\d{1,2}"
             r"(?=\s*(?:晚会|事件|活动|消费者|国际|期间|当天|维权|纪念日))"),  # 3.15晚会
    ("name", r"(?<!分)之一"),  # 之一 "one of" (三分之一 is a fraction)
    ("name", r"(?<![\d.])\d+(?:\.\d+)?\s*[:：比]\s*\d+(?:\.\d+)?(?=\s*的?比例)"
             r"|(?<!\d)\d+\s*[:：]\s*\d+(?!\d)"),
    ("name", r"\d\s*[Aa](?![A-Za-z])|A{3,5}"),  # 4A级景区
    ("name", r"双\s*(?:11|12|十一|十二)"),  # 双11 shopping day
    # quarters, decades, centuries, congresses and plenums, holidays
    ("date", rf"(?<![\d{_CN}个第])前?[一二三四1-4]季度"),
    ("date", rf"(?:\d{{1,2}}|[{_CND}]{{1,3}})世纪(?:\d0|[一二三四五六七八九]十)?(?:年代)?"),
    ("date", rf"(?<![\d{_CN}])(?:(?:19|20)?\d0|[一二三四五六七八九]十)年代"),
    ("name", rf"(?<![\d{_CN}第])(?:十[一二三四五六七八九]|[二三]十[一二三四五六七八九]?|1\d|[23]\d)"
             r"(?:大(?!型|量|批|多|小|类|项|行动|工程|项目|产业|任务|举措|板块|品牌|重点|方面|领域|体系)"
             r"|届[一二三四五六七八九]中全会)"),
    ("date", rf"(?<![\d{_CN}第])(?:五一|七一|十一|六一|八一|五四|三八)"
             r"(?=期间|表彰|儿童节|劳动节|妇女节|建军节|青年节|建党|国庆|节|前后"
             r"|假期|小长假|长假|黄金周|前夕|当天|之际|晚会|慰问|前|后)"),
    # 3年前, 两年前, 三天后: a point in time, dated from the article; not a length
    ("ago", rf"(?<![\d{_CN}第])(?:\d+|[{_CN}]+|几|数|半)[多余]?个?[多余半]?(?:年|月|星期|周|天)[多余半]?"
            r"(?:之|以)?[前后]"
            r"(?![往进行来列茅续面排期台端])"),
    ("name", r"翻[一两二三四五六七八九十]番"),  # 翻两番: a multiple
    ("name", r"[这那每同某另哪]一(?![十百千万亿])"),  # 这一幕, 同一天: a determiner, not one
    # 万亩茶园, 千亩基地: a class of estate named by its size, not a measured area
    ("name", rf"(?<![\d{_CN}数几上余多])[百千万]亩(?=[\u4e00-\u9fff])(?!以上|以下|左右|上下|多|余)"),
    ("name", r"十分(?![钟之])"),  # 十分 "very" (after the clock times: 三点五十分)
    # 沿国道318线, 省道S312: a road's number; 五星支部, 三星级: a rating; 五年规划: a plan's name
    ("name", r"(?:国道|省道|县道|乡道)\s*[GSXYgsxy]?\d{1,4}线?|(?<![\d.])\d{3}线(?![路索条])"),
    ("name", rf"(?<![\d{_CN}])[一二三四五1-5]星(?:级)?(?![期球座系河际])"),
    ("name", r"五年(?:规划|计划)"),
    # 打八折, 七五折, 8.5折: a price ratio (八折 = 80% of the price), not a count or a share
    ("discount", r"打?(?:\d+(?:\.\d+)?|[一二三四五六七八九]{1,2}(?:点[一二三四五六七八九])?)折"
                 r"(?![合算旧腾叠射返服磨中])"),
    # 200元以上（不含200元）, 以下（含60岁）: the bound restated in brackets, not another figure
    ("restated", rf"(?<=[以之][上下内外])[（(]\s*不?包?(?:含|括)\s*{_NUMERAL}[^\d（）()，。]{{0,4}}[）)]"
                 rf"|[（(]\s*不?包?(?:含|括)\s*{_NUMERAL}[^\d（）()，。]{{0,4}}[）)](?=[以之][上下内外])"),
]

# A pattern can only match a text holding one of its trigger characters; checking them first
# skips most regex scans (validation reads every quote of every case).
_TRIGGERS = ("第", "初", "号奖", "周期拜", "是要抓靠看", "、.．", "（(", "其", "年", "-/.", "月", "月", "月",
             "月", "日", "年", "后", "+＋", "个", "一", "一", None, "千", "-", ":", "点", "一", "即",
             "Gg", "×xX*", "起", "1", "拨致热电报号", "热专平报", "GSXgsx道", "Vv版代式级", "·•",
             "晚事活消国期当维纪", "之", ":：比", "Aa", "双", "季", "世", "代", "大届", "一四八", "前后",
             "番", "这那每同某另哪", "亩", "十", "线", "星", "规计", "折", "含括")
assert len(_TRIGGERS) == len(_NOT_QUANTITY)
_NOT_RE = [(kind, re.compile(pattern), frozenset(trigger) if trigger else None)
           for (kind, pattern), trigger in zip(_NOT_QUANTITY, _TRIGGERS, strict=True)]
_ANY_NUMERAL = frozenset("0123456789" + _CN + "数几半把壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億")
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
        # and each character's own value: 十四五 (no one numeral), 五一 (51, but also 5 and 1)
        values = tuple(dict.fromkeys(values + tuple(
            float(DIGITS[ch] if ch in DIGITS else MULTIPLIERS[ch]) for ch in phrase.translate(_FORMAL)
            if ch in DIGITS or ch in MULTIPLIERS)))
        if kind == "discount":  # 八折 may be mistaken for 80 (percent), 七五折 for 75
            digits = phrase.strip("打折")
            share = (float(digits) * 10 if digits[0].isdigit() and float(digits) < 10
                     else float(digits) if digits[0].isdigit()
                     else _digit_string(digits) * (10 if len(digits) == 1 else 1)
                     if _digit_string(digits) is not None else None)
            values += (share,) if share is not None else ()
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
# 3万5千, 1亿2000万, 1万2千: Arabic digits with units inside one compound number.
_MIXED = r"\d+(?:\.\d+)?[千万亿](?:\d+[十百千万]+)+"
# 四点五七, 三点五: 点 as the decimal point (never 三点五十分, a clock time).
_POINT = rf"[{_CND}零〇百千]+点[零〇一二三四五六七八九]++(?![十百千分钟点])"
_NUM = rf"(?:{_MIXED}|{_ARABIC}|{_POINT}|[{_CN}]+)"
_RANGE_SEP = r"(?:到|至|-|~|～|—|－|–)"
_MAIN = re.compile(
    rf"(?P<pct>百分之)?(?P<a>{_NUM})"
    rf"(?:(?P<amult>[十百千万亿]+)?{_RANGE_SEP}(?P<pct2>百分之)?(?P<b>{_NUM}))?"
    r"(?P<approx1>[余多来])?"
    r"(?P<mult>[十百千万亿]+)?"
    r"(?P<approx2>[余多])?"
    r"(?:(?P<cls>个|年|天|周|月|小时)(?P<approx3>[余多])|个(?P<approx4>来)(?=月|小时|星期|钟头))?"
)
_ADJACENT = re.compile(  # 三四天, 三五天, 一两天, 七八十, 十五六, 二十三四
    rf"(?P<tens>[一二三四五六七八九]?十)?(?P<d1>[一两二三四五六七八九])(?P<d2>[两二三四五六七八九])"
    rf"(?P<u>[十百千万亿]*)(?![{_CN}])"
)
_VAGUE = [  # (pattern, lower(match), upper(match))
    # 数百上千, 几十上百: from the first order of magnitude to ten times the second
    (re.compile(r"(?:数|几)(?P<u>[十百千万])上(?P<v>[百千万亿])(?P<w>[万亿]?)"),  # 数百上千万
     lambda m: _scale(m["u"]) * _scale(m["w"]), lambda m: 10 * _scale(m["v"]) * _scale(m["w"])),
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
    # 十数个, 十数万: "ten-odd", 10 to 20 (not 数 alone, 1 to 10)
    (re.compile(r"十数(?P<u>[万亿]*)(?=[个名位人家户次项座所条支批天年届期处万亿元]|$)"),
     lambda m: 10 * _scale(m["u"]), lambda m: 20 * _scale(m["u"])),
    # 大几十, 大几百: the upper half of the order of magnitude, 50 to 100
    (re.compile(r"大几(?P<u>[十百千万]+)"), lambda m: 5 * _scale(m["u"]), lambda m: 10 * _scale(m["u"])),
]
_VAGUE_START = frozenset("成数上几好大十一二三四五六七八九123456789")
# Which vague patterns can start with a character (the 十几 one only when 几 follows soon).
_VAGUE_BY_FIRST = {ch: [v for v, firsts in zip(_VAGUE, ("数几", "成", "成", "成上", "数", "上", "数几",
                                                         "一二三四五六七八九十123456789", "好几数",
                                                         "十", "大"),
                                              strict=True) if ch in firsts]
                   for ch in _VAGUE_START}
_START = re.compile(rf"\d|[{_CN}数几上成好半]|个把|大几")


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
    ("近", "just_under"), ("突破", "more_than"), ("破", "more_than"), ("过", "more_than"),
    ("大约", "approximately"), ("大概", "approximately"),
    ("约为", "approximately"), ("约合", "approximately"), ("约有", "approximately"),
    ("约占", "approximately"), ("约达", "approximately"), ("约计", "approximately"),
    ("约莫", "approximately"), ("大约有", "approximately"), ("大概有", "approximately"),
    ("约在", "approximately"), ("大约在", "approximately"), ("估计有", "approximately"),
    ("约", "approximately"), ("满", "complete"), ("届满", "complete"),
    # a negated bound: 未超过100人 is at most 100, 未达到100人 fewer than 100
    ("未超过", "at_most"), ("没有超过", "at_most"), ("没超过", "at_most"), ("不超", "at_most"),
    ("未超", "at_most"), ("未超出", "at_most"), ("不超出", "at_most"), ("没有超出", "at_most"),
    ("未高于", "at_most"), ("不大于", "at_most"), ("未多于", "at_most"),
    ("未低于", "at_least"), ("未少于", "at_least"), ("不小于", "at_least"),
    ("未达到", "less_than"), ("没有达到", "less_than"), ("没达到", "less_than"), ("未达", "less_than"),
    ("达不到", "less_than"), ("不够", "less_than"), ("未能达到", "less_than"),
    ("没能达到", "less_than"),
    ("未能超过", "at_most"), ("没能超过", "at_most"), ("大体上", "approximately"),
    ("大致上", "approximately"),
    # 不下200户 (no fewer than), 不止/远不止200户 (more than), 差不多/大致/大体/小200户 (about)
    ("不下", "at_least"), ("不止", "more_than"), ("远不止", "more_than"), ("远远不止", "more_than"),
    ("差不多", "approximately"), ("大致", "approximately"), ("大体", "approximately"),
    ("大致有", "approximately"), ("差不多有", "approximately"), ("小", "approximately"),
]
_BEFORE.sort(key=lambda pair: len(pair[0]), reverse=True)
_BEFORE_MAP = dict(_BEFORE)
_BEFORE_LAST = frozenset(word[-1] for word, _ in _BEFORE)
_ADVERB_FIRST = frozenset("至最不未没约")  # 约占全县的30%: about a share
# A count a negation governs (未发生1起事故, 没有1户返贫, 无一人违纪, 从未缺席过1次): "not one"
# is none, 0; a larger count (没有300户, 未发生3起) or 并非N (not N) states no figure.
_NEGATORS = frozenset("未没无非曾")
_ALL_OF = re.compile(r"[个名位户人家村例起次]{0,2}不")  # a double negation: 没有一个人不知道
_NEGATED = re.compile(r"(?:并非|从未|从没有|从没|不曾|未曾|并未|尚未|均未|没有|没|未|无)"
                      r"(?:(?:发生|出现|产生|发现|存在|有|缺席|落下|拖欠|掉队|漏掉|遗漏)[过了]?)?$")
# Characters that turn 近/约/超/满 into another word: 最近, 临近, 节约, 高超, 充满 …
_NOT_BEFORE = {"近": "最就附临靠亲邻贴", "约": "节制契签邀预相婚简集履违特公条合",
               "超": "高赶", "满": "充饱圆美不未届期布丰", "破": "打击攻爆识看冲点道说揭残",
               "过": "通经超不越度跨错难路闯走看想做说跑去来放飞穿透闪胜略滤",
               "小": "缩减变大较最渺微弱矮短细窄狭从老矮",
               "不下": "放丢撂舍停拿咽吃容住坐睡装写落留搁"}  # 放不下, 容不下: not "no fewer than"
# 小 is "about" only before a round figure of hundreds and more (小200户, 小两万元), not 小3班.
_SMALL_ROUND = re.compile(r"\d{3,}|\d+(?:\.\d+)?[百千万亿]|[一二两三四五六七八九十]+[百千万亿]")
# 200元（含）以上 includes 200, 200元（不含）以上 and 200元以上（不含200元） exclude it; 200元内 and
# 三年内 are within (at most), after a unit word (not 室内, 县内, 内部).
_AFTER = re.compile(r"[^\d，。,；;、！？\s]{0,3}?"
                    rf"(?:[（(](?P<inc>不?包?含|不?包括)(?:本数|{_NUMERAL}[^\d（）()，。]{{0,4}})?[)）])?"
                    r"(?P<w>以上|以下|以内|之内|左右|以外|开外|届满|期满|(?<!绰)有余|出头|挂零"
                    r"|(?<=[元人户个年月天日周次名位亩米里斤项])内(?![部容外涵地陆蒙科核存需在政])"
                    r"|(?<![允也或容准特少些期赞几称默应嘉如])许(?![多可诺愿久配下]))")  # 300人许: about
_AFTER_NEAR = re.compile(r"[^\d，。,；;、！？\s]?(?P<w>上下)")
_EXCLUDED = re.compile(r"\s*[（(]\s*(?:不含|不包含|不包括)")
_FLIP = {"at_least": "more_than", "at_most": "less_than"}
_AFTER_MAP = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "之内": "at_most",
              "左右": "approximately", "上下": "approximately", "以外": "more_than",
              "开外": "more_than", "届满": "complete", "期满": "complete", "许": "approximately",
              # 5万有余/出头/挂零: a little above; 200元内: within
              "有余": "plus", "出头": "plus", "挂零": "plus", "内": "at_most"}
# 至少/最多 are adverbs: a verb phrase may stand between them and the number, within the
# same clause (每月至少到挂点联系村开展1次).
_ADVERB = re.compile(r"(至少|最少|最多|至多|不少于|不超过|未超过|没有超过|约占|大约占|约为)"
                     r"[^\d，。,；;、！？\s]{0,10}$")
# 最多时/最多的一天/最少的时候 name the peak (trough) itself: the figure then is exact.
_PEAK = re.compile(r"的?(?:时候?|那[一天年月次回]|一[天日年月周次回]|当天|当日|日子|月份|年份|年|月|天)")
# 近两年来 / 近三年以来: "the last two years", not "nearly".
_RECENT = re.compile(r"(?:个)?(?:年|月|天|日|周|季度)(?:来|以来|内|里|中)")
# 近3年累计投入…, 近三年全县…: 近N年 heading a clause names the period too ("in the last three
# years"), unless the phrase ends there or a verb of duration precedes it (驻村近两年, 已近3年).
_RECENT_HEAD = re.compile(r"(?:个)?(?:年|月|周|季度)(?=[^\s，。,；;、！？的了之时多余半后前])")
_DURATION_VERB = frozenset("村作守根务职住待干时达已长持续过满")

_READINGS = {
    "exact": ("exact", "approximately"),
    "plus": ("plus",), "at_least": ("at_least",), "more_than": ("more_than",),
    "just_under": ("just_under", "approximately"), "approximately": ("approximately",),
    "at_most": ("at_most",), "less_than": ("less_than",), "complete": ("exact", "at_least"),
}


def _before_word(text: str, start: int) -> tuple[str, str] | None:
    """The qualifying word just before a number (超过100人), or an adverb earlier in the clause."""
    raw = text[max(0, start - 8):start]
    head = raw.removesuffix("了").removesuffix("人民币")  # 超过了100人, 约合人民币50万元
    for word, qualifier in (_BEFORE if head[-1:] in _BEFORE_LAST else ()):
        if head.endswith(word):
            prev = head[-len(word) - 1] if len(head) > len(word) else ""
            if prev and word in _NOT_BEFORE and prev in _NOT_BEFORE[word]:
                break  # 最近3年, 临近三个村, 节约100万元
            if word == "过" and (text[start] not in "百千万亿半" or head != raw):
                break  # 过万人 (passed ten thousand); not 过了3年, 过3天
            if word == "小" and (head != raw or not _SMALL_ROUND.match(text, start)):
                break
            return word, qualifier
    adverb = _ADVERB.search(text, max(0, start - 16), start) if _ADVERB_FIRST.intersection(
        text[max(0, start - 16):start]) else None
    if adverb and not (adverb.group(1)[0] == "最" and _PEAK.match(text, adverb.end(1))):
        return adverb.group(1), _BEFORE_MAP[adverb.group(1)]
    return None


# Traditional characters GB2312 also encodes (於, 後 …): with any character outside GB2312, the
# gate below for loading OpenCC's table. tests check this string against OpenCC's own data.
_GB_TRADITIONAL = frozenset("乾吒夥後徵拚捱摺於榘菸薹袷醣麴麽")


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """OpenCC's traditional → simplified character table (萬 → 万, 餘 → 余, 戶 → 户), for
    str.translate. One character to one character, so positions in the quote stay the same."""
    from .site_search import _opencc_chars

    try:
        return str.maketrans(_opencc_chars())
    except ImportError:  # OpenCC is a project dependency; without it, text reads as written
        return {}


def simplified(text: str) -> str:
    """`text` in simplified characters, character by character (same length and positions):
    the seed articles were machine-converted from traditional, and contributors paste either.
    Text all in GB2312 (simplified) is returned as is without loading OpenCC."""
    if text.isascii():
        return text
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return text.translate(_t2s_table())
    if _GB_TRADITIONAL.isdisjoint(text):
        return text
    return text.translate(_t2s_table())


@lru_cache(maxsize=8192)
def readings(text: str) -> Read:
    """Every quantity written in `text` with its true readings, and the non-quantities.

    Traditional characters read as their simplified forms (5萬元 is 50000 yuan); the
    readings keep the quote's own characters. Cached: the result is immutable, and copied
    corpora repeat their quotes.
    """
    norm = _formal(simplified(text).translate(_WIDE))
    if _ANY_NUMERAL.isdisjoint(norm):
        return Read((), ())
    if "千" in norm:  # 50千克, 12千米, 12万千瓦时: the 千 belongs to the unit word, not the number
        norm = _KILO.sub(_KILO_MARK, norm)
    index: list[int] | None = None  # position in `norm` of each character read, when squeezed
    if not _SPACES.isdisjoint(norm):
        norm, index = _squeeze(norm)
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
        if q is None:  # 一万亿亿: no numeral, and none of its tail (亿) is one either
            pos = _NUMERAL_RUN.match(norm, pos).end() if norm[pos] in _RUN_CHARS else pos + 1
            continue
        q = _upper_end(norm, q, blocked)
        pos = max(q.end, pos + 1)
        negated = (not q.word and q.qualifier == "exact"
                   and not _NEGATORS.isdisjoint(norm[max(0, q.start - 6):q.start])
                   and not _ALL_OF.match(norm, q.end)  # 无一不, 没有一户不: every one
                   and _NEGATED.search(norm, max(0, q.start - 8), q.start))
        if negated:
            if q.value == 1 and not negated.group().startswith("并非"):
                q = _none(q, negated.group())
            else:
                nots.append(NotQuantity(norm[negated.start():q.end], negated.start(), "negated",
                                        (q.value,)))
                continue
        found.append(q)
    for n in nots:  # 未发生一起事故: 一起 is "one (incident)" here, not "together"
        if n.text == "一起" and _NEGATORS.intersection(norm[max(0, n.start - 6):n.start]):
            negated = _NEGATED.search(norm, max(0, n.start - 8), n.start)
            if negated:
                found.append(_none(_quantity(norm, n.start, n.start + 1, "exact", 1.0, unit=""),
                                   negated.group()))
                found.sort(key=lambda q: q.start)
    nots = [n for n in nots if not (n.text == "一起" and any(q.start == n.start for q in found))]
    nots.sort(key=lambda n: n.start)
    if index is not None:  # back to the quote's positions: 400 余万 spans the space again
        found = [replace(q, start=index[q.start], text=text[index[q.start]:index[q.end - 1] + 1])
                 for q in found]
        nots = [replace(n, start=index[n.start],
                        text=text[index[n.start]:index[n.start + len(n.text) - 1] + 1]) for n in nots]
    elif norm != text:  # echo the quote's own characters (１２, not 12)
        found = [replace(q, text=text[q.start:q.end]) for q in found]
        nots = [replace(n, text=text[n.start:n.start + len(n.text)]) for n in nots]
    return Read(tuple(found), tuple(nots))


def _none(q: Quantity, negation: str) -> Quantity:
    """"Not one" (没有1户, 无一人, 未发生1起): none, so 0 exact and nothing else."""
    return replace(q, value=0.0, word=negation, lower=0.0, upper=0.0, readings=(Reading("exact", 0.0),))


# 千克, 千瓦(时), 千卡, 千伏, 千帕, 千焦, 千兆 are unit words (kilo-), as 千米 is after an Arabic digit
# or 万/亿 (12千米; 三千米 is 3000 metres). Their 千 becomes a private-use mark, one character
# for one, so no number reads it; _UNIT_AFTER reads the mark with 克 as 千克.
_KILO_MARK = "\ue000"
_KILO = re.compile(r"千(?=[克瓦卡伏帕焦兆])|(?<=[\d万亿])千(?=米)")


# Text copied from a PDF or a web page may space a figure: 400 余万元, 1 200人, 4.57 亿元, 3 个村.
_SPACES = frozenset(" \u00a0\u2009\u202f\u3000")
_SPACED = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f\u3000]+(?=[余多十百千万亿个元人户名位亩次年天%％‰‱\ue000])"
                     r"|(?<=\d[ \u00a0\u2009\u202f\u3000][余多])[ \u00a0\u2009\u202f\u3000]+(?=[万亿])"
                     r"|(?<![\d.,])\d{1,3}(?:[ \u00a0\u2009\u202f\u3000]\d{3})+(?![\d.])")


def _squeeze(text: str) -> tuple[str, list[int]]:
    """`text` without the spaces inside a figure, and the original position of each character
    kept. Returns the text unchanged (and every position) when no figure is spaced."""
    drop: set[int] = set()
    for m in _SPACED.finditer(text):
        drop.update(i for i in range(m.start(), m.end()) if text[i] in _SPACES)
    if not drop:
        return text, list(range(len(text)))
    keep = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in keep), keep


_SEP_AFTER = re.compile(rf"\s*{_RANGE_SEP}\s*")


def _upper_end(text: str, q: Quantity, blocked: list[bool]) -> Quantity:
    """A range whose lower end carries its own unit word: 5000元至2万元 (5000 to 20000 yuan),
    3万元至5万元, 3%-5%, 三成至五成, 三五千元至1万元. The two ends must be plain figures in the
    same unit word, the upper one larger; anything else is left as two quantities."""
    if q.word and q.qualifier != "range" or q.qualifier not in ("exact", "range"):
        return q
    at = q.end
    if not q.text.endswith(("成", "‰", "‱")):
        unit = _UNIT_AFTER.match(text, at) if q.unit else None
        if unit is None or _unit_after(text, at) != q.unit:
            return q
        at = unit.end()
    sep = _SEP_AFTER.match(text, at)
    if not sep or sep.end() >= len(text) or not _START.match(text, sep.end()):
        return q
    upper = _read_at(text, sep.end(), blocked)
    if (upper is None or upper.qualifier != "exact" or upper.word or upper.unit != q.unit
            or _before_word(text, sep.end())):
        return q
    low = q.value
    if upper.value <= (q.value_max if q.value_max is not None else low):
        return q
    return _quantity(text, q.start, upper.end, "range", low, upper.value, q.word, unit=q.unit)


_RUN_CHARS = frozenset("0123456789" + _CN)
_NUMERAL_RUN = re.compile(rf"[\d{_CN}]+|.")


def _free(blocked: list[bool], start: int, end: int) -> bool:
    return not any(blocked[start:end])


def _quantity(text: str, start: int, end: int, qualifier: str, value: float,
              value_max: float | None = None, word: str = "", unit: str | None = None,
              step: float | None = None) -> Quantity:
    value, value_max = _clean(value), _clean(value_max)
    if unit is None:
        written = text[start:end]
        unit = "%" if written.startswith("百分之") or written.endswith("成") else _unit_after(text, end)
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
            lower, upper, lower_open, upper_open = value, _clean(value + (step or _step(value))), True, True
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
                    lower_open, upper_open, reads, unit)


def _read_at(text: str, pos: int, blocked: list[bool]) -> Quantity | None:
    first = text[pos]
    special = _special(text, pos, blocked)
    if special is not None:
        return special
    # Vague words first: 数十万, 上百, 成千上万, 十几, 几个.
    if first in _VAGUE_START and (first in "成数上几好大" or "几" in text[pos + 1:pos + 4]
                                  or text[pos:pos + 2] == "十数"):
        for pattern, low, high in _VAGUE_BY_FIRST[first]:
            m = pattern.match(text, pos)
            if m and m.end() > pos and _free(blocked, pos, m.end()):
                return _quantity(text, pos, m.end(), "vague", low(m), high(m), m.group(0))
    m = _ADJACENT.match(text, pos) if first in _ADJACENT_FIRST else None
    if m and _free(blocked, pos, m.end()):
        d1, d2 = DIGITS[m["d1"]], DIGITS[m["d2"]]
        if d2 == d1 + 1 or (d1, d2) == (3, 5) or (
                (d1, d2) == (3, 2) and not m["u"] and _classifier(text, m.end())):  # 三两个: 2 to 3
            if d1 > d2:
                d1, d2 = d2, d1
            tens = chinese_to_number(m["tens"]) if m["tens"] else 0
            scale, end, unit, start = _scale(m["u"]), m.end(), None, pos
            if not m["u"] and text[end:end + 1] == "成" and _TENTHS.match(text, end):
                scale, end = 10.0, end + 1  # 七八成: 70 to 80 percent
            elif text[max(0, pos - 3):pos] == "百分之":
                start, unit = pos - 3, "%"  # 百分之七八十
            return _quantity(text, start, end, "range", (tens + d1) * scale, (tens + d2) * scale,
                             text[start:end], unit=unit)
    # A number never reaches into a phrase that is not a quantity (3个一村一品).
    limit = _first_blocked(blocked, pos) if True in blocked else len(text)
    m = _MAIN.match(text if limit == len(text) else text[:limit], pos)
    if not m:
        return None
    a_text = m["a"]
    if not a_text[0].isdigit() and not m["pct"]:
        # 零/〇 alone and a bare unit (百姓) are no numbers; 百余 / 十个 / 将近百人 are.
        if a_text in ("零", "〇"):  # 零元, 零事故 is no count; 零元 and 零户 are 0
            return _qualified(text, pos, m.end(), 0.0) if _ZERO_COUNT.match(text, m.end()) else None
        if len(a_text) == 1 and a_text in "十百千万亿" and pos and blocked[pos - 1]:
            return None  # 3·5万人: the 万 of a figure a date pattern took is no 10000 of its own
        if len(a_text) == 1 and a_text in "十百千万亿" and not (
                m["approx1"] or m["approx2"] or m["b"] or _classifier(text, m.end())
                or _before_word(text, pos)):  # 销售额过万
            return None
    a = _number(a_text)
    if a is None:
        return None
    scale = _scale(m["mult"])
    if m["mult"] and a * scale > 1e15:  # 123…万亿亿亿: past what chinese_to_number reads
        return None
    if m["b"] is not None:
        b = _number(m["b"])
        if b is None:
            return None
        # 3万到5万 scales each end; 3到5万 scales both by the trailing 万, and so does
        # 五到十万 (b read 十万 whole: its trailing 万 belongs to both ends).
        low = a * (_scale(m["amult"]) if m["amult"] else scale)
        shared = _shared_unit(a_text, m["b"]) if not (m["amult"] or m["mult"]) else 1.0
        if low * shared <= b * scale:  # 五千到两万: the 万 is the upper end's own
            low *= shared
        if m["mult"] and not m["amult"] and a > b:  # 5000至2万: the 万 is the upper end's own
            low = a
        if not m["mult"] and text[m.end():m.end() + 1] == "成" and _TENTHS.match(text, m.end()):
            return _quantity(text, pos, m.end() + 1, "range", low * 10, b * 10, m.group(0) + "成",
                             unit="%")  # 三至五成: 30 to 50 percent
        if text[m.end():m.end() + 1] in _PER_MILLE:  # 3-5‰: per mille, recorded in percent
            div = _PER_MILLE[text[m.end()]]
            return _quantity(text, pos, m.end() + 1, "range", low / div, b * scale / div,
                             m.group(0) + text[m.end()], unit="%")
        return _quantity(text, pos, m.end(), "range", low, b * scale, m.group(0))
    return _read_plain(text, pos, m, a * scale)


_ZERO_COUNT = re.compile(r"(?:元|人|户|例|起|件|个|家|次)(?![\u4e00-\u9fff]?[化式型])")


def _shared_unit(a_text: str, b_text: str) -> float:
    """The unit a Chinese range's upper end shares with its lower end: 五到十万 → 10000
    (5万..10万), 三至五千 → 1000; none for 五到十 (5..10) or 一百到二百万 … (see below)."""
    if b_text[0].isdigit() or any(ch in "万亿" for ch in a_text):
        return 1.0
    big = len(b_text) - len(b_text.rstrip("万亿"))
    if big and b_text[:-big] and chinese_to_number(b_text[:-big]) is not None:
        return _scale(b_text[-big:])  # 五到十万, 十到二十万, 一百到二百万
    small = b_text[-1] if b_text[-1] in "百千" else ""
    if small and len(b_text) == 2 and b_text[0] in DIGITS and a_text in DIGITS:
        return _scale(small)  # 三至五千
    return 1.0


# 百八十, 百儿八十, 千八百, 千儿八百, 万儿八千: "a hundred or eighty", colloquial for about 100
# (1000, 10000); never 180, 800 or 8000.
# 百八十, 千儿八百, 百十来个 (about 100, 1000); 百八十万: about 1e6
_ROUGHLY = re.compile(rf"(?:百儿?八十|千儿?八百|万儿?八千|百十来?)(?P<m>[万亿])?(?![\d{_CN}])")
# 百分之三十几 (30 to 40 percent), 百分之十几, 百分之几 (1 to 10), 百分之几十 (10 to 100): vague
_PCT_VAGUE = re.compile(r"百分之(?:(?P<t>[二三四五六七八九]?十)几|几(?P<ten>十)?)(?![十百千万\d])")
_LISTED_PAIR = re.compile(r"(?P<d1>[一二三四五六七八])、(?P<d2>[二三四五六七八九])(?P<u>十|百|千|万|成)"
                          r"(?![一二三四五六七八九十百千万亿])")  # 五、六十: the neighbours 50-60
_METRE_TENTHS = re.compile(r"(?P<m>\d)米(?P<d>\d{1,2})(?![\d.])")  # 1米8 = 1.8 m, 1米75 = 1.75 m
_HALF_LENGTH = re.compile(r"半(?=年|个月|天|小时)")
_NOT_HALF = frozenset("上下前后每多大" + _CN + "个")


def _special(text: str, pos: int, blocked: list[bool]) -> Quantity | None:
    """Fractions (三分之一, 2/3), halves (一半, 半数) and 个把 (one or so)."""
    first = text[pos]
    if first in "百千万":
        m = _ROUGHLY.match(text, pos)
        if m and _free(blocked, pos, m.end()):  # 百八十, 千儿八百: about 100, about 1000
            scale = MULTIPLIERS[m["m"]] if m["m"] else 1
            return _quantity(text, pos, m.end(), "approximately", float(MULTIPLIERS[first] * scale),
                             word=m.group(0))
        m = _PCT_VAGUE.match(text, pos) if first == "百" else None
        if m and _free(blocked, pos, m.end()):
            low = chinese_to_number(m["t"]) if m["t"] else 10.0 if m["ten"] else 1.0
            high = low + 10 if m["t"] else low * 10
            return _quantity(text, pos, m.end(), "vague", low, high, m.group(0), unit="%")
    if first in "一半" and text.startswith(("一半", "半数"), pos) and _free(blocked, pos, pos + 2):
        return _qualified(text, pos, pos + 2, 50.0, unit="%")  # 一半村民: 50 percent
    if first == "半" and pos and text[pos - 1] in "过近" and _free(blocked, pos, pos + 1) and not (
            text[pos - 1] == "近" and _HALF_LENGTH.match(text, pos)):
        return _qualified(text, pos, pos + 1, 50.0, unit="%")  # 过半村民: more than half; 近半: nearly
    if first in _CND and text[pos + 1:pos + 2] == "、":
        m = _LISTED_PAIR.match(text, pos)
        if m and DIGITS[m["d2"]] == DIGITS[m["d1"]] + 1 and _free(blocked, pos, m.end()):
            scale = MULTIPLIERS.get(m["u"], 10)  # 五、六十户: 50 to 60 households; 八、九成: 80-90%
            return _quantity(text, pos, m.end(), "range", DIGITS[m["d1"]] * scale,
                             DIGITS[m["d2"]] * scale, m.group(0), unit="%" if m["u"] == "成" else None)
    if first.isdigit() and text[pos + 1:pos + 2] == "米":
        m = _METRE_TENTHS.match(text, pos)
        if m and _free(blocked, pos, m.end()):  # 1米8: 1.8 metres
            return _qualified(text, pos, m.end(), int(m["m"]) + int(m["d"]) / 10 ** len(m["d"]), unit="米")
    if first == "半" and _HALF_LENGTH.match(text, pos) and (
            not pos or text[pos - 1] not in _NOT_HALF) and _free(blocked, pos, pos + 1):
        return _qualified(text, pos, pos + 1, 0.5)  # 半年 = 0.5 year; not 上半年 (a date)
    if "个月" in text[pos + 2:pos + 12]:
        m = _YEAR_MONTH.match(text, pos)
        if m and _free(blocked, pos, m.end()):  # 2年零3个月 = 27 months
            years, months = _number(m["y"]), _number(m["m"])
            if years is not None and months is not None and months < 12:
                return _qualified(text, pos, m.end(), years * 12 + months, unit="个月")
    if not _SUBUNIT_CHARS.isdisjoint(text[pos + 1:pos + 9]):
        m = _SUBUNIT.match(text, pos)
        if m and _free(blocked, pos, m.end()):  # 5毛钱 = 0.5 yuan, 2元5角 = 2.5, 3块5 = 3.5
            return _money(text, pos, m)
    if first == "个" and text.startswith("个把", pos):
        return _quantity(text, pos, pos + 2, "approximately", 1.0, word="个把")  # 个把月
    if "分" in text[pos + 1:pos + 4] or "/" in text[pos + 1:pos + 5]:
        m = _FRACTION.match(text, pos) or (_SLASH.match(text, pos) if first.isdigit() else None)
        if m and _free(blocked, pos, m.end()) and not (m.re is _FRACTION and m["den"] == "百"):
            if m.re is _SLASH and (pos and text[pos - 1].isdigit() or
                                   int(m["num"]) >= int(m["den"])):
                return None
            return _fraction(text, pos, m)
    return None


_ADJACENT_FIRST = frozenset("一两二三四五六七八九十")
# Money below the yuan: 角/毛 are tenths, 分 hundredths; 3块5 is 3.5 (the tenths after 块 left
# unsaid). A Chinese numeral before 角/毛 needs 钱 (三角 is a triangle, 一毛不拔 an idiom), 分 always
# does (3分 is points or minutes); 2000元5户 is two figures, so 元 needs 角/毛 after its tenths.
_SUBUNIT_CHARS = frozenset("角毛块分")
# 2年零3个月, 两年又三个月, 1年6个月: one length in months (27), not 2 years and 3 months apart.
_YEAR_MONTH = re.compile(rf"(?P<y>\d{{1,2}}|[{_CND}]+)年[零又]?(?P<m>\d{{1,2}}|[{_CND}]+)(?=个月)")
_D1 = "[一二两三四五六七八九]"
_SUBUNIT = re.compile(
    rf"(?P<y>\d+|[{_CND}百千万]+)(?:(?:元|块)(?P<j>\d|{_D1})(?P<jw>角|毛)(?:(?P<f>\d|{_D1})分)?"
    rf"|块(?P<jb>\d|{_D1})(?![\d十百千万亿角毛分个名位人户家次项元块斤亩米平吨村镇乡县年月天周岁场间栋座台辆多余%]))"
    rf"|(?P<j2>\d+|[{_CND}]+)(?P<jw2>角|毛)(?:(?P<f2>\d|{_D1})分?(?![\d{_CN}个名位人户元块斤%])"
    rf"|(?=钱)|(?<=\d[角毛]))"
    rf"|(?P<f3>\d+|[{_CND}]+)分(?=钱)")


def _money(text: str, pos: int, m: re.Match) -> Quantity | None:
    """A sum in 元/块 with 角/毛/分, in yuan (2元5角3分 = 2.53), qualified as usual."""
    yuan = _number(m["y"]) if m["y"] else 0.0
    tenths = m["j"] or m["jb"] or m["j2"]
    cents = m["f"] or m["f2"] or m["f3"]
    parts = [_number(x) if x else 0.0 for x in (tenths, cents)]
    if yuan is None or None in parts:
        return None
    return _qualified(text, pos, m.end(), round(yuan + parts[0] / 10 + parts[1] / 100, 6), unit="元")


def _first_blocked(blocked: list[bool], pos: int) -> int:
    try:
        return blocked.index(True, pos)
    except ValueError:
        return len(blocked)


_PER_MILLE = {"‰": 10, "‱": 100}  # 5‰ = 0.5 percent, 3‱ (per ten thousand) = 0.03 percent
_HALF = re.compile(r"(?:个半(?=小时|月|钟头)|(?:年|天|小时)半)")  # 一年半, 两个半月: + 0.5
_TENTHS = re.compile(r"成(?![员立为功效本果长熟绩交都型品就了])")  # 三成 = 30 (percent)


def _read_plain(text: str, pos: int, m: re.Match, value: float) -> Quantity:
    end = m.end()
    if text[end:end + 1] in _PER_MILLE and not (m["approx1"] or m["approx2"] or m["approx3"] or m["approx4"]):
        return _qualified(text, pos, end + 1, value / _PER_MILLE[text[end]], unit="%")  # 5‰ = 0.5 percent
    if not (m["approx1"] or m["approx2"] or m["approx3"] or m["approx4"]):
        half = _HALF.match(text, end) if "半" in text[end:end + 3] else None
        if half:
            value, end = value + 0.5, half.end()
            if text[end - 1] != "半":  # 两个半月: the unit stays after the number
                end = half.start() + 2
        elif text[end:end + 1] == "成" and _TENTHS.match(text, end):
            return _tenths(text, pos, end + 1, value * 10)
    marker = m["approx1"] or m["approx2"] or m["approx3"]
    if marker in ("余", "多"):
        # 十万余, 10万余: the 余 comes after the unit 万, so what is more is less than one 万
        # (100000 to 110000, as 1.5万余 is 15000 to 16000); 400余万 is 400万 to 500万.
        at = m.start("approx1") if m["approx1"] else m.start("approx2") if m["approx2"] else 0
        unit = MULTIPLIERS.get(text[at - 1]) if at else None
        if unit and m["approx1"] and m["mult"]:  # 二十多万: the 多 counts in 十万
            unit *= _scale(m["mult"])
        step = min(_step(value), unit) if unit else None
        return _quantity(text, pos, end, "plus", value, word=marker, step=step)
    if marker == "来":
        if _classifier(text, end):  # 十来个: about ten
            return _quantity(text, pos, end, "approximately", value, word="来")
        end -= 1
    if m["approx4"]:  # 3个来月, 两个来小时: about
        unit = "个月" if text[end] == "月" else _unit_after(text, end)
        return _quantity(text, pos, end, "approximately", value, word="来", unit=unit)
    if not marker and text[end:end + 1] == "把" and m["a"] in ("百", "千", "万") and not m["mult"]:
        return _quantity(text, pos, end + 1, "approximately", value, word="把")  # 千把人: about
    return _qualified(text, pos, end, value)


def _tenths(text: str, pos: int, end: int, value: float) -> Quantity:
    """N成 (tenths, in percent) and what may follow it: 两成多 (more than 20, below 30), 七成五
    and 九成九 (a second digit counts in percent: 75, 99), 两成半 (25)."""
    after = text[end:end + 1]
    if after in ("多", "余"):
        return _quantity(text, pos, end + 1, "plus", value, word=after, unit="%")
    if after == "半":
        return _qualified(text, pos, end + 1, value + 5, unit="%")
    if (after in DIGITS and after not in "零〇两" and text[end + 1:end + 2] not in _DIGIT_OR_UNIT
            and not _classifier(text, end + 1)):
        return _qualified(text, pos, end + 1, value + DIGITS[after], unit="%")
    return _qualified(text, pos, end, value, unit="%")


_DIGIT_OR_UNIT = frozenset("0123456789" + _CN + "成")


def _qualified(text: str, pos: int, end: int, value: float, unit: str | None = None) -> Quantity:
    """The quantity `text[pos:end]` of `value`, qualified by the words before or after it."""
    after = (_AFTER.match(text, end) or _AFTER_NEAR.match(text, end)
             if _AFTER_CHARS.intersection(text[end:end + 8]) else None)
    before = _before_word(text, pos)
    period = ""
    if before and before[1] == "just_under":
        recent = _RECENT.match(text, end) or (
            _RECENT_HEAD.match(text, end) if before[0] == "近"
            and text[pos - 2:pos - 1] not in _DURATION_VERB else None)
        if recent:  # 近两年来, 近3年累计: the last two (three) years, a period
            before, period = None, "近" + text[pos:recent.end()]
            if after and after["w"] == "内":  # 近三年内: the period, not "within"
                after = None
    if after:
        word = after["w"]
        kind = _AFTER_MAP[word]
        if kind == "complete" and before and before[1] != "complete":
            return _quantity(text, pos, end, before[1], value, word=before[0], unit=unit)
        if kind in _FLIP and ((after.groupdict().get("inc") or "").startswith("不")
                              or _EXCLUDED.match(text, after.end())):
            kind, word = _FLIP[kind], f"{word}（不含本数）"  # 200元（不含）以上: more than 200
        return _quantity(text, pos, end, kind, value, word=word, unit=unit)
    if before:
        return _quantity(text, pos, end, before[1], value, word=before[0], unit=unit)
    return _quantity(text, pos, end, "exact", value, word=period, unit=unit)


# A fraction: 三分之一, 千分之五 (百分之 is read with the numbers), 2/3. Read as a percent.
_FRACTION = re.compile(rf"(?P<den>[{_CN}]+|\d+)分之(?P<num>[{_CN}]+|\d+(?:\.\d+)?)")
_SLASH = re.compile(r"(?P<num>\d{1,3})\s*/\s*(?P<den>\d{1,3})(?![\d/.])")
_LOWER_BOUND = ("more_than", "at_least", "plus")
_UPPER_BOUND = ("less_than", "at_most", "just_under")


def _fraction(text: str, pos: int, m: re.Match) -> Quantity | None:
    num, den = _number(m["num"]), _number(m["den"])
    if num is None or not den:
        return None
    share = num / den * 100
    q = _qualified(text, pos, m.end(), share, unit="%")
    q = replace(q, parts=(num, den))
    if abs(share - round(share, 2)) < 1e-9:
        return q  # 五分之一 = 20, 千分之五 = 0.5: written exactly
    # 三分之一 = 33.333…: never exact; rounded to 2, 1 or 0 decimals, down for a lower
    # bound (超过三分之一 → more_than 33.33), up for an upper one, to the nearest for about.
    reads: list[Reading] = []
    for r in q.readings:
        kind = "approximately" if r.qualifier == "exact" else r.qualifier
        for digits in (2, 1, 0):
            scaled = share * 10 ** digits
            rounded = (math.floor(scaled) if kind in _LOWER_BOUND else math.ceil(scaled)
                       if kind in _UPPER_BOUND else round(scaled)) / 10 ** digits
            if Reading(kind, rounded) not in reads:
                reads.append(Reading(kind, rounded))
    first = reads[0]
    lower = first.value if first.qualifier in _LOWER_BOUND else None  # rounded down: still below
    upper = first.value if first.qualifier in _UPPER_BOUND else None  # rounded up: still above
    return replace(q, value=first.value, qualifier=first.qualifier, readings=tuple(reads),
                   lower=lower, upper=upper)


_AFTER_CHARS = frozenset("以之左开届期上许有出挂内（(")
# The unit word right after a number, and the metric units it can be counted in: 200户 is
# households and 50万元 yuan, so a metric reading 200 from 帮助200户增收50万元 must have
# `unit: household`. A multiple (3倍, 翻两番) and percentage points (5个百分点) fit no unit.
UNIT_WORDS = {
    "个百分点": (), "百分点": (), "倍": (), "人次": ("person_time",), "元": ("cny",),
    "块钱": ("cny",), "人": ("person",), "名": ("person",), "位": ("person",),
    "户": ("household",), "亩": ("mu",), "平方米": ("square_metre",), "平米": ("square_metre",),
    "㎡": ("square_metre",), "村": ("village",), "镇": ("town",), "乡": ("town",),
    "县": ("county",), "支": ("team",), "项目": ("project",), "场": ("event",),
    "次": ("time", "event"), "天": ("day",), "小时": ("hour",), "周": ("week",),
    "星期": ("week",), "个月": ("month",), "年": ("year",), "公斤": ("kilogram",),
    "千克": ("kilogram",), "斤": ("jin",), "吨": ("ton",), "%": ("percent",),
    "夜": (),  # 5天4夜: nights, which no metric unit counts (the 5天 is the length in days)
}
# Foreign money: `unit: cny` is yuan only, and no metric unit counts another currency.
FOREIGN_CURRENCIES = ("美元", "美金", "欧元", "港元", "港币", "日元", "英镑", "韩元", "澳元", "加元",
                      "卢布", "新台币", "台币", "澳门元", "新加坡元", "泰铢")
# Measures no metric unit counts, with what they count: 1200公顷 is not 1200 mu, nor 50担 50 jin.
OTHER_MEASURES = {"公顷": "hectares (1 公顷 = 15 亩)", "顷": "qing (1 顷 = 100 亩)",
                  "担": "dan (1 担 = 100 斤)", "平方公里": "square kilometres", "公里": "kilometres",
                  "千米": "kilometres", "立方米": "cubic metres", "千瓦时": "kilowatt-hours",
                  "千瓦": "kilowatts", "米": "metres"}
UNIT_WORDS.update(dict.fromkeys(FOREIGN_CURRENCIES + tuple(OTHER_MEASURES), ()))
# The metric units of the schema's `unit` vocabulary.
METRIC_UNITS = frozenset((
    "cny", "person", "person_time", "team", "village", "town", "county", "organisation",
    "household", "mu", "square_metre", "project", "item", "event", "time", "percent", "hour",
    "day", "week", "month", "year", "jin", "kilogram", "ton"))
_UNIT_AFTER = re.compile(
    r"(?:个(?=百分点|项目|月|星期|行政村|自然村|村|乡镇|镇|乡|县))?"
    r"(?:行政|自然)?(个百分点|百分点|倍|人次|元|块钱|人|名|位|户|亩|平方米|平米|㎡"
    r"|美元|美金|欧元|港元|港币|日元|英镑|韩元|澳元|加元|卢布|新台币|台币|澳门元|新加坡元|泰铢"
    r"|公顷|顷(?![刻])|担(?![任当负心子保])|平方公里|公里|\ue000米|立方米|\ue000瓦时|\ue000瓦"
    r"|米(?![饭粉面线酒业\d])"
    r"|(?:村|乡镇|镇|乡|县)(?![级直委属域民干部里内庄集])"
    r"|支|项目|场|次|天|小时|周(?![年岁边围末])|星期|月|年(?![级代])|公斤|[千\ue000]克|斤|吨|%"
    r"|(?<=天\d)夜|(?<=天[一二两三四五六七八九])夜)")


def _unit_after(text: str, end: int) -> str:
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return ""
    word = m.group(1)
    if word in ("月", "百分点"):  # 3个月; 5个百分点 (3月 is a date, not a length)
        return "个" + word if m.group(0).startswith("个") else "" if word == "月" else word
    if word == "乡镇":
        return "镇"
    return word.replace("\ue000", "千")
_CLASSIFIERS = set("个名位人户家次项座所条支批天年月周届期处亩元斤件场起场头只匹台辆套本间栋层"
                   "种类部门把张份笔岁%")


def _classifier(text: str, end: int) -> bool:
    return end < len(text) and text[end] in _CLASSIFIERS


def bounds(qualifier: str, value: float, value_max: float | None = None
           ) -> tuple[float | None, bool, float | None, bool]:
    """(lower, lower_open, upper, upper_open) a recorded figure gives the true value; None is
    unbounded. `approximately` and `just_under` give no firm lower bound (about 100 may be 98).
    400余万 (plus) → (4000000, open, 5000000, open); 以上 (at_least) → (N, closed, None)."""
    if qualifier == "exact":
        return value, False, value, False
    if qualifier in ("range", "vague"):
        return value, False, value_max, False
    if qualifier == "plus":
        return value, True, _clean(value + _step(value)), True
    if qualifier == "at_least":
        return value, False, None, False
    if qualifier == "more_than":
        return value, True, None, False
    if qualifier == "at_most":
        return None, False, value, False
    if qualifier in ("less_than", "just_under"):
        return None, False, value, True
    return None, False, None, False  # approximately


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
