"""Stage 1: read case files safely and strictly into plain JSON-compatible data.

The loader is deliberately stricter than PyYAML's defaults: it resolves only the
YAML 1.2 core scalars (so `no`, `2024-08-20`, `1:30` and `012` stay strings as
written), rejects duplicate keys and aliases, and refuses files that are empty,
too large, not UTF-8, start with a BOM or indent with tabs.

Case files come from strangers, so every way a file can fail to read is a located
`Problem`, never an exception (see `read_case`): files that are not regular files
(symbolic links, FIFOs, devices, sockets: refused without being opened), names that are
not `.yaml`/`.yml`, unreadable files, UTF-16, control characters, noncharacters and the
Unicode line separators (U+0085, U+2028, U+2029, which YAML 1.1 counts as line breaks
while editors do not), also when written as escapes in double-quoted text; nesting
deeper than `MAX_DEPTH`; integers longer than `MAX_DIGITS`; floats that overflow to
infinity or underflow to 0; floats of more than 15 significant digits; NaN and infinity;
YAML 1.1 number forms under explicit tags. Invisible characters inside text (a BOM, a
zero-width space) are warnings at their place.

`read_regular` is the one safe reader of files from contributors: case files and the
source snapshots of provenance.py are both read with it (never through a link, never
blocking, with a size limit checked before reading).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .folding import unfold_cjk
from .problems import ERROR, WARNING, Problem

MAX_BYTES = 1_000_000
# Lists and mappings nested inside each other: a case needs about 6 levels. Checked before
# anything recurses over the document (PyYAML's composer and this constructor do).
MAX_DEPTH = 64
# Items of one list, keys of one mapping. The schema's limits (maxItems) are a few hundred at
# most; a longer one is refused while the data is built, before the schema's explanation walks
# every item (a 1 MB file of 316,000 wrong items took 44 s and 1.4 GB to explain, item by item).
MAX_ITEMS = 1000
# Digits of an integer: above 15, spreadsheets (Excel keeps 15 significant digits) and
# JavaScript (exact to 2**53) change the number. Python refuses to convert above 4,300.
MAX_DIGITS = 15
CASE_SUFFIXES = (".yaml", ".yml")  # compared case-insensitively


class _PyParser(Reader, Scanner, Parser, Composer):
    """PyYAML's pure-Python parser: the reference wording for syntax errors."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


try:  # libyaml parses about nine times faster. CParser lives in yaml.cyaml, not in yaml.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = _PyParser


class CoreResolver(BaseResolver):
    """Resolve plain scalars by the YAML 1.2 core schema, minus its octal/hex/inf forms."""

    # The parser calls these once per node. BaseResolver's versions also serve path
    # resolvers and wildcard first characters, which this resolver never has.
    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
# No leading zeros: `012` is octal in YAML 1.1 and decimal in 1.2; keeping it a string
# lets the schema ask the author what was meant instead of guessing.
CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$|^[-+]?\.[0-9]+$"),
    list("-+0123456789."),
)


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
# libyaml's composer asks `self.resolve(kind, value, implicit)` for every node without an
# explicit tag, and `descend_resolver`/`ascend_resolver` around every node: three Python
# calls per node (60% of a case file's nodes are scalars). StrictLoader answers them with
# C callables instead: `slice` records (kind, value, implicit) as the node's tag, and
# StrictConstructor._build resolves that deferred tag inline, running the core-schema
# patterns only on plain scalars whose first character can start a number, true/false or
# null (`_IMPLICIT_FIRST`); keys are never resolved (they stay text as written).
_DEFERRED = slice
_NO_PATHS: dict = {}  # descend_resolver(node, index) → None: no path resolvers
_IMPLICIT_FIRST = CoreResolver.yaml_implicit_resolvers
_SCALARS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float"))


_ALIAS_MESSAGE = ("YAML aliases (*name) and anchors (&name) are not allowed in case files; "
                  "write the value out in full")


def _alias_error(node) -> ConstructorError:
    return ConstructorError(None, None, _ALIAS_MESSAGE, node.start_mark)


# Characters a case file may not contain, raw or written as an escape in double quotes:
# C0 controls except tab, LF and CR; DEL; C1 controls (U+0085 NEL among them); the line
# and paragraph separators U+2028/U+2029; surrogates; Unicode noncharacters. YAML 1.1
# (PyYAML) counts U+0085, U+2028 and U+2029 as line breaks and editors do not: left in,
# every later line number would be off and text after one inside a `#` comment would be
# read as YAML.
_BAD_CHARS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
)
_BAD_IN_FILE = re.compile(f"[{_BAD_CHARS}]")
# The same search on the file's UTF-8 bytes, for the fast path: a character class with
# astral members is slow in `re` (no bitmap), so the check is one `bytes.translate` for the
# single-byte controls and a few searches that start with a fixed byte for the rest.
_BAD_BYTES = frozenset(range(0x00, 0x09)) | {0x0B, 0x0C} | frozenset(range(0x0E, 0x20)) | {0x7F}
_ASTRAL_LEADS = bytes(range(0xF0, 0xF5))  # first bytes of U+10000 and above
_GOOD_BYTES = bytes(b for b in range(256) if b not in _BAD_BYTES and b not in _ASTRAL_LEADS)
_BAD_SEQUENCES = tuple(re.compile(p) for p in (
    rb"\xc2[\x80-\x9f]",  # C1 controls, NEL among them
    rb"\xe2\x80[\xa8\xa9]",  # U+2028, U+2029
    rb"\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])",  # U+FDD0..U+FDEF, U+FFFE, U+FFFF
))
_ASTRAL_NONCHARACTER = re.compile(rb"[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]")


def has_bad_chars(raw: bytes) -> bool:
    """True if UTF-8 `raw` holds a character `_BAD_IN_FILE` refuses (fast, in C)."""
    kept = raw.translate(None, _GOOD_BYTES)  # the controls and astral first bytes, if any
    if kept and (kept.translate(None, _ASTRAL_LEADS) or _ASTRAL_NONCHARACTER.search(raw)):
        return True
    return any(p.search(raw) for p in _BAD_SEQUENCES)

# In a constructed string a CR can only come from the escape "\r" (line breaks in the file
# become "\n"): it moves a terminal's cursor and no title or quote needs it.
_BAD_IN_TEXT = re.compile(f"[{_BAD_CHARS}\r]")

_C0_NAMES = (
    "null", "start of heading", "start of text", "end of text", "end of transmission",
    "enquiry", "acknowledge", "bell", "backspace", "tab", "line feed", "vertical tab",
    "form feed", "carriage return", "shift out", "shift in", "data link escape",
    "device control one", "device control two", "device control three",
    "device control four", "negative acknowledge", "synchronous idle",
    "end of transmission block", "cancel", "end of medium", "substitute", "escape",
    "file separator", "group separator", "record separator", "unit separator",
)
_C1_NAMES = (
    "padding character", "high octet preset", "break permitted here", "no break here",
    "index", "next line, NEL", "start of selected area", "end of selected area",
    "character tabulation set", "character tabulation with justification",
    "line tabulation set", "partial line forward", "partial line backward",
    "reverse line feed", "single shift two", "single shift three", "device control string",
    "private use one", "private use two", "set transmit state", "cancel character",
    "message waiting", "start of guarded area", "end of guarded area", "start of string",
    "single graphic character introducer", "single character introducer",
    "control sequence introducer", "string terminator", "operating system command",
    "privacy message", "application program command",
)
_LINE_BREAKS = {0x85: "next line, NEL", 0x2028: "line separator", 0x2029: "paragraph separator"}


def describe_char(char: str) -> str:
    """Name a refused character: `U+000B (vertical tab)`, `U+2028 (line separator)`."""
    cp = ord(char)
    if cp < 0x20:
        name = _C0_NAMES[cp]
    elif cp == 0x7F:
        name = "delete"
    elif 0x80 <= cp <= 0x9F:
        name = _C1_NAMES[cp - 0x80]
    elif cp in _LINE_BREAKS:
        name = _LINE_BREAKS[cp]
    elif 0xD800 <= cp <= 0xDFFF:
        name = "a lone surrogate, half of a UTF-16 pair"
    else:
        name = "a Unicode noncharacter"
    return f"U+{cp:04X} ({name})"


def char_message(char: str) -> str:
    """Why a character is refused and how to fix it (for the file's raw text)."""
    cp = ord(char)
    if cp in _LINE_BREAKS:
        return (f"{describe_char(char)} is not allowed: YAML 1.1 reads it as a line break but "
                "editors do not, so lines (and comments) would be read wrongly; replace it with a "
                "normal line break or delete it (it usually comes from text pasted from a web page)")
    if cp < 0x20 or cp == 0x7F:
        return (f"control character {describe_char(char)} is not allowed in a case file; "
                "delete it (it is invisible, and usually comes from copied text)")
    if cp <= 0x9F:
        return (f"control character {describe_char(char)} is not allowed in a case file; "
                "it is often a Windows-1252 quote or dash that was converted wrongly: retype "
                "that character")
    return f"{describe_char(char)} is not text; delete it"


class BadEscape(ConstructorError):
    """An escape in double-quoted text ("\\0", "\\e", "\\x1b", "\\L") that writes a refused character."""

    def __init__(self, node):
        self.char = _BAD_IN_TEXT.search(node.value).group()
        super().__init__(
            None, None,
            f"double-quoted text writes {describe_char(self.char)} with an escape; "
            "that character is not allowed in a case file: delete the escape",
            node.start_mark,
        )


def _short(value: str) -> str:
    return value if len(value) <= 24 else f"{value[:12]}…{value[-6:]} ({len(value):,} characters)"


_CORE = {
    "int": re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z"),
    "float": re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+)\Z"),
    "bool": re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"),
    "null": re.compile(r"(?:~|null|Null|NULL|)\Z"),
}
_NON_FINITE = re.compile(r"[-+]?\.?(?:nan|inf|infinity)\Z", re.IGNORECASE)


def _tag_error(node, kind: str) -> ConstructorError:
    """An explicit `!!int`/`!!float`/`!!bool`/`!!null` on text that is not its YAML 1.2 core form."""
    shown = f"`!!{kind} {_short(node.value)}`"
    if kind == "float" and _NON_FINITE.match(node.value):
        problem = (f"{shown}: NaN and infinity are not data; write the number the source gives, "
                   "or leave the field out")
    elif kind in ("int", "float"):
        problem = (f"{shown} is not a plain decimal number; YAML 1.1 forms (base 60 such as "
                   "1:30, hex 0x1F, octal 012 or 0o17, 1_000) are not converted: write the "
                   "number in decimal digits without the tag, or drop the tag to keep it as text")
    elif kind == "bool":
        problem = f"{shown} is not converted (YAML 1.1 spelling); write true or false without the tag"
    else:
        problem = (f"{shown} would silently drop the text; remove the tag (or write `~` or "
                   "`null` for an empty value)")
    return ConstructorError(None, None, problem, node.start_mark)


def _build_int(node):
    value = node.value
    if not _CORE["int"].match(value):
        raise _tag_error(node, "int")
    digits = len(value) - (value[:1] in "+-")
    if digits > MAX_DIGITS:
        raise ConstructorError(
            None, None,
            f"this whole number has {digits:,} digits, more than the {MAX_DIGITS} a case allows "
            "(spreadsheets keep no more); check the value",
            node.start_mark,
        )
    return int(value)


def _build_float(node):
    value = node.value
    if not _CORE["float"].match(value):
        raise _tag_error(node, "float")
    number = float(value)
    if math.isinf(number):
        raise ConstructorError(
            None, None,
            f"the number {_short(value)} is too large: it overflows to infinity (the largest "
            "number is about 1.8e308); check the value",
            node.start_mark,
        )
    if number == 0 and re.search(r"[1-9]", re.split(r"[eE]", value)[0]):
        raise ConstructorError(
            None, None,
            f"the number {_short(value)} is too close to 0: it would silently become 0 "
            "(the smallest is about 5e-324); check the value",
            node.start_mark,
        )
    mantissa = re.split(r"[eE]", value)[0].lstrip("+-").replace(".", "")
    significant = len(mantissa.lstrip("0").rstrip("0"))
    if significant > MAX_DIGITS:  # a double keeps 15 exactly: 2.99999999999999999 would be 3
        raise ConstructorError(
            None, None,
            f"the number {_short(value)} has {significant:,} significant digits, more than the "
            f"{MAX_DIGITS} a case allows (spreadsheets keep no more; it would silently be stored "
            f"as {_short(repr(number))}); check the value",
            node.start_mark,
        )
    return number


def _build_bool(node):
    if not _CORE["bool"].match(node.value):
        raise _tag_error(node, "bool")
    return node.value[0] in "tT"


def _build_null(node):
    if not _CORE["null"].match(node.value):
        raise _tag_error(node, "null")
    return None


_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:int": _build_int,
    "tag:yaml.org,2002:float": _build_float,
    "tag:yaml.org,2002:bool": _build_bool,
    "tag:yaml.org,2002:null": _build_null,
}


class StrictConstructor(SafeConstructor):
    """Build only JSON types; collect duplicate keys; refuse aliases and exotic tags."""

    def __init__(self):
        super().__init__()
        self.duplicates: list[tuple[str, object, object]] = []
        self.invisible: list = []  # double-quoted scalars whose escapes write an invisible character
        self._seen: set[int] = set()
        self._escapes = True  # the text may hold a `\` escape (the loaders look)
        self._verbatim = False  # building a `quote` value
        self._lines: list[str] | None = None  # the file's lines, split when first needed

    def _unfold(self, node) -> str:
        """A `>` scalar without the spaces its folds put between CJK characters (folding.py)."""
        text = getattr(self, "_source_text", None)
        if not isinstance(text, str):
            return node.value
        if self._lines is None:
            self._lines = text.split("\n")
        return unfold_cjk(node.value, self._lines, node.start_mark.line, node.start_mark.column,
                          node.end_mark.line)

    def construct_document(self, node):
        # One direct recursive pass: about three times faster than PyYAML's generic,
        # generator-based construction, which dominates the load once libyaml parses.
        self._seen = set()
        self.root = node  # the node tree of this parse: positions for locating problems
        return self._build(node)

    def _build(self, node):
        if id(node) in self._seen:
            raise _alias_error(node)
        self._seen.add(id(node))
        cls, tag = node.__class__, node.tag
        if tag.__class__ is _DEFERRED:  # resolved here, inline (see _DEFERRED)
            if cls is ScalarNode:
                plain, tag = tag.step[0], _STR
                if plain:  # a number, true/false or null is written plain
                    for resolved, regexp in _IMPLICIT_FIRST.get(node.value[:1], ()):
                        if regexp.match(node.value):
                            tag = resolved
                            break
            else:
                tag = _SEQ if cls is SequenceNode else _MAP
        if cls is ScalarNode:
            if tag == _STR:
                # Only double-quoted text has escapes ("\0", "\e"); the raw text of the file
                # was checked for the same characters before parsing.
                if node.style == '"' and self._escapes and _BAD_IN_TEXT.search(node.value):
                    raise BadEscape(node)
                if node.style == '"' and self._escapes and _INVISIBLE_CHAR.search(node.value):
                    self.invisible.append(node)
                if node.style == ">" and not self._verbatim:  # folded: no spaces between CJK
                    return self._unfold(node)
                return node.value
            if tag in _SCALARS:
                return _SCALAR_BUILDERS[tag](node)
        elif cls is MappingNode and tag == _MAP:
            if len(node.value) > MAX_ITEMS:
                raise ConstructorError(
                    None, None, f"this mapping has {len(node.value):,} keys; no part of a case needs more "
                    f"than a few dozen (the limit is {MAX_ITEMS:,}): check the indentation", node.start_mark)
            result: dict = {}
            first: dict = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode:
                    raise ConstructorError(
                        None, None, "a key must be plain text, not a list or mapping",
                        key_node.start_mark,
                    )
                # Keys stay text as written (`1:` is the key "1"); interned, so the many
                # copies of `quote` or `source` share one string in memory and in pickles.
                if key_node.style == '"' and self._escapes and _BAD_IN_TEXT.search(key_node.value):
                    raise BadEscape(key_node)
                key = sys.intern(key_node.value)
                if key in first:
                    self.duplicates.append((key, first[key].start_mark, key_node.start_mark))
                    continue
                first[key] = key_node
                # A quote keeps its spaces exactly as folded (it must match the source).
                self._verbatim = key == "quote"
                result[key] = self._build(value_node)
                self._verbatim = False
            return result
        elif cls is SequenceNode and tag == _SEQ:
            if len(node.value) > MAX_ITEMS:
                raise ConstructorError(
                    None, None, f"this list has {len(node.value):,} items; no list of a case needs more "
                    f"than a few hundred (the limit is {MAX_ITEMS:,}): check the brackets, or split "
                    "the program into several cases", node.start_mark)
            return [self._build(child) for child in node.value]
        self._seen.discard(id(node))
        return self.construct_object(node, deep=True)  # unusual tags: PyYAML's path and errors

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            # Aliases are the only way a node is reached twice. They can expand
            # exponentially ("billion laughs"), and case files never need them.
            raise _alias_error(node)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        result: dict = {}
        first: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(
                    None, None, "a key must be plain text, not a list or mapping",
                    key_node.start_mark,
                )
            key = key_node.value  # keys stay text as written: `1:` is the key "1"
            if key in first:
                self.duplicates.append((key, first[key], key_node.start_mark))
                continue
            first[key] = key_node.start_mark
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_yaml_map(self, node):
        yield self.construct_mapping(node)

    def construct_yaml_seq(self, node):
        yield [self.construct_object(child, deep=True) for child in node.value]

    def construct_unsupported(self, node):
        raise ConstructorError(
            None, None,
            f"the YAML tag {node.tag} is not allowed; remove the tag and write plain text, "
            "a number, true/false, a list or a mapping",
            node.start_mark,
        )


StrictConstructor.yaml_constructors = {}
for _tag, _fn in [
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", SafeConstructor.construct_yaml_bool),
    ("tag:yaml.org,2002:int", SafeConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", SafeConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", StrictConstructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", StrictConstructor.construct_yaml_map),
    (None, StrictConstructor.construct_unsupported),
]:
    StrictConstructor.add_constructor(_tag, _fn)


class StrictLoader(_Parser, StrictConstructor, CoreResolver):
    """PyYAML loader (C parser when available) with the strict constructor and core resolver."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        StrictConstructor.__init__(self)
        CoreResolver.__init__(self)
        self._escapes = not isinstance(stream, str) or "\\" in stream  # none: skip the check
        self._source_text = stream  # folded scalars are rebuilt from their lines
        if _Parser is not _PyParser:  # libyaml: C callables instead of three Python calls per node
            self.resolve, self.descend_resolver, self.ascend_resolver = _DEFERRED, _NO_PATHS.get, tuple


class ExplainingLoader(_PyParser, StrictConstructor, CoreResolver):
    """The same loader on the pure-Python parser, re-run only on files with a syntax error.

    libyaml words some errors differently ("not allowed in this context"); re-parsing the
    broken file in Python gives the same message whether or not libyaml is installed.
    """

    def __init__(self, stream):
        _PyParser.__init__(self, stream)
        StrictConstructor.__init__(self)
        CoreResolver.__init__(self)
        self._escapes = not isinstance(stream, str) or "\\" in stream


@dataclass
class CaseFile:
    """One case file: its path, text, content digest and parsed data (None if unreadable)."""

    path: Path
    text: str = ""
    digest: str = ""
    data: object = None
    problems: list[Problem] = field(default_factory=list)
    # What a caller's `derive(data)` computed where the file was validated (a worker
    # process): e.g. the export's CSV rows, so the data need not travel back.
    derived: object = None
    # The YAML node tree of the parse that built `data` (`read_case(..., keep_nodes=True)`):
    # every node's position, so problems are located without composing the file again
    # (locate.Locator). Large (about 30× the text): never pickled, and dropped once located.
    nodes: object = field(default=None, repr=False, compare=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["nodes"] = None
        return state

    @property
    def display(self) -> str:
        """The path as printed in messages."""
        return display_path(self.path)


def display_path(path: Path) -> str:
    """Path relative to the working directory when possible, for short messages.

    The folders are resolved, the file name is not: a symbolic link is shown under its own
    name, never its target's.
    """
    return _relative(os.getcwd(), os.fspath(path))


# Resolving symlinks costs a few system calls per path component; the cross-file rules
# ask for every file's name (10,000 at scale), often twice. Keyed by the working
# directory, so a chdir (tests do) never returns a stale answer.
@lru_cache(maxsize=65_536)
def _relative(cwd: str, path: str) -> str:
    folder, name = os.path.split(path)
    try:
        return str((Path(os.path.realpath(folder or ".")) / name).relative_to(_real(cwd)))
    except ValueError:
        return path


@lru_cache(maxsize=64)
def _real(cwd: str) -> str:
    return os.path.realpath(cwd)


def _problem(path: Path, line: int, col: int, message: str, rule: str,
             severity: str = ERROR) -> Problem:
    return Problem(display_path(path), line, col, message, "", severity, rule)


# ---------------------------------------------------------------------------------------
# Reading bytes: only regular files with a case file's name, never following a link.

class Refused(Exception):
    """A path that is not read: `message` says why (and how to fix it); `rule` names the check."""

    def __init__(self, message: str, rule: str, severity: str = ERROR):
        super().__init__(message)
        self.message, self.rule, self.severity = message, rule, severity


def is_case_name(name: str) -> bool:
    """True for `x.yaml` and `x.yml`, in any letter case (`x.YAML`)."""
    return name.lower().endswith(CASE_SUFFIXES)


def _leftover(name: str) -> bool:
    # Hidden files (.DS_Store, vim's .x.yaml.swp, emacs's .#x.yaml) and backups (x.yaml~,
    # #x.yaml#): an editor or the system makes them next to the file being edited.
    return name.startswith((".", "#")) or name.endswith(("~", "#"))


_KINDS = (
    (stat.S_ISDIR, "a folder that could not be listed (is it readable?)"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class FileKind:
    """What `read_regular` reads, for its messages: the file's name in them, its folder and
    its size limit with the advice for a file over it."""

    noun: str  # "case file"
    folder: str  # "cases"
    limit: int  # bytes
    too_big: str  # how to get under the limit


CASE_FILE = FileKind("case file", "cases", MAX_BYTES, "for one case; split it or shorten long texts")


def kind_name(mode: int) -> str | None:
    """What a non-regular file is, in words ("a named pipe (FIFO)"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _kind_refused(mode: int, kind: FileKind = CASE_FILE) -> Refused:
    if stat.S_ISLNK(mode):
        return Refused(
            f"is a symbolic link; a {kind.noun} must be a regular file in the repository (links "
            "are not followed): put the file itself here", "file-kind")
    what = "a folder" if stat.S_ISDIR(mode) and kind is not CASE_FILE else kind_name(mode)
    return Refused(f"is {what}, not a regular file, and was not opened; "
                   f"a {kind.noun} must be a regular file", "file-kind")


def _os_refused(exc: OSError, kind: FileKind = CASE_FILE) -> Refused:
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return Refused("cannot read the file: permission denied; make it readable "
                       f"(e.g. `chmod a+r`) or move it out of the {kind.folder} folder", "io")
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link that replaced the file
        return _kind_refused(stat.S_IFLNK, kind)
    if exc.errno == errno.ENOENT:
        return Refused("cannot read the file: it does not exist (any more)", "io")
    return Refused(f"cannot read the file: {(exc.strerror or str(exc)).lower()}", "io")


def _size_refused(size: int, kind: FileKind = CASE_FILE) -> Refused:
    return Refused(f"file is {size:,} bytes, over the {kind.limit:,}-byte limit {kind.too_big}",
                   "size")


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def read_bytes(path) -> bytes:
    """The bytes of one case file (at most MAX_BYTES): `read_regular(path, CASE_FILE)`."""
    return read_regular(path, CASE_FILE)


def read_regular(path, kind: FileKind = CASE_FILE) -> bytes:
    """The bytes of one file from a contributor, read without ever following a link or blocking.

    The one safe reader of the tool: case files (`read_bytes`) and source snapshots
    (provenance.py) are both read here. The path is `lstat`ed first: a symbolic link, FIFO,
    device, socket or folder is refused without being opened (so a FIFO cannot hang the
    run, and a link's target is never read or shown); a file over `kind.limit` bytes is
    refused before reading. A regular file is opened with O_NOFOLLOW | O_NONBLOCK and checked
    again on the open descriptor, in case it was swapped in between. At most `kind.limit` + 1
    bytes are read. Raises `Refused` (message, rule) for every failure, OSError included.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise _os_refused(exc, kind) from None
    if not stat.S_ISREG(info.st_mode):
        raise _kind_refused(info.st_mode, kind)
    if info.st_size > kind.limit:
        raise _size_refused(info.st_size, kind)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_refused(exc, kind) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _kind_refused(info.st_mode, kind)
        chunks, left = [], kind.limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _os_refused(exc, kind) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > kind.limit:
        raise _size_refused(len(raw), kind)
    return raw


def linked_folder(path) -> str | None:
    """The first folder on `path` that is a symbolic link, or None.

    Only the folders below the working directory (the repository) are looked at, and not
    the last component (`read_regular` refuses a link there itself): `cases/` or a folder
    inside it replaced by a link to elsewhere is never followed.
    """
    given = os.fspath(path)
    if os.path.isabs(given):
        rel = os.path.relpath(given, os.getcwd())
        if rel == ".." or rel.startswith(".." + os.sep):
            return None
    else:
        rel = given
    current = "" if not os.path.isabs(given) else os.getcwd()
    for part in Path(rel).parts[:-1]:
        current = os.path.join(current, part)
        if part not in (".", "..") and os.path.islink(current):
            return current
    return None


def _refuse_name(path: Path) -> Refused | None:
    name = path.name
    link = linked_folder(path)
    if link is not None:
        return Refused(f"its folder {display_path(Path(link))} is a symbolic link; folders in the "
                       "repository must be real folders (links are not followed), so the file was "
                       "not read", "file-kind")
    if os.path.islink(path) and name.lower() in (CASES_FOLDER, "sources"):
        return Refused(f"is a symbolic link to a folder; the {name} folder must be a real folder "
                       "in the repository (links are not followed): put the files themselves here",
                       "file-kind")
    if (is_case_name(name) and os.path.isdir(path) and not os.path.islink(path)
            and os.access(path, os.R_OK | os.X_OK)):
        return Refused("is a folder named like a case file, not a case file; a case file must be "
                       "a regular file: rename the folder (the files in it are checked on their own)",
                       "file-kind")
    if is_case_name(name) or (os.path.isdir(path) and not os.path.islink(path)):
        return None  # a folder that could not be listed: read_bytes says so
    if _leftover(name):
        return Refused("not a case file (an editor's or the system's hidden or backup file?); "
                       "it is not read", "file-name", WARNING)
    return Refused("not a case file: case files end in .yaml or .yml; rename it if it is a "
                   "case, otherwise move it out of the cases folder (it was not read)", "file-name")


# ---------------------------------------------------------------------------------------
# Decoding and checking the text before the YAML parser sees it.

_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte-order mark)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte-order mark)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """Name the encoding of a UTF-16/UTF-32 file (by BOM, or by the NUL bytes of its ASCII)."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    # Without a BOM, YAML 1.2 (5.2) detects the encoding from the NULs of the first character.
    for test, codec, name in (
        (raw[:3] == b"\x00\x00\x00", "utf-32-be", "UTF-32 (big-endian)"),
        (raw[1:4] == b"\x00\x00\x00", "utf-32-le", "UTF-32 (little-endian)"),
        (raw[:1] == b"\x00", "utf-16-be", "UTF-16 (big-endian)"),
        (raw[1:2] == b"\x00", "utf-16-le", "UTF-16 (little-endian)"),
    ):
        if test and len(raw) >= 2:
            try:
                decoded = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            # A YAML mapping has a `:`; a NUL left over means a UTF-8 file that starts with one.
            if ":" in decoded and "\x00" not in decoded:
                return f"{name}, without a byte-order mark"
    return None


def _decode_error(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, int, str]:
    """(line, col, message) for bytes that are not UTF-8; col counts characters."""
    at = exc.start
    start = raw.rfind(b"\n", 0, at) + 1
    line = raw.count(b"\n", 0, at) + 1
    col = len(raw[start:at].decode("utf-8", errors="replace")) + 1
    b = raw[at:at + 3]
    if len(b) == 3 and b[0] == 0xED and 0xA0 <= b[1] <= 0xBF and 0x80 <= b[2] <= 0xBF:
        cp = (b[0] & 0x0F) << 12 | (b[1] & 0x3F) << 6 | (b[2] & 0x3F)
        return line, col, (f"file holds U+{cp:04X} (a lone surrogate, half of a UTF-16 pair), "
                           "which UTF-8 does not allow; delete it or retype the character")
    return line, col, (f"file is not valid UTF-8 (byte 0x{raw[at]:02x}); "
                       "save it with UTF-8 encoding (GBK/GB2312 files must be converted)")


_BREAK = re.compile(r"\r\n|\r|\n")


def text_position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, col) of a character index, counting lines as editors and YAML 1.2 do.

    LF, CRLF and a lone CR end a line (so a CRLF file gives the same positions as LF);
    U+0085, U+2028 and U+2029 do not. Columns count characters (code points).
    """
    crlf = text.count("\r\n", 0, index)
    line = text.count("\n", 0, index) + text.count("\r", 0, index) - crlf + 1
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return line, index - start + 1


def _line_start(text: str, line: int) -> int:
    """Character index where 1-based `line` starts (the inverse of `text_position`)."""
    if line <= 1:
        return 0
    for number, match in enumerate(_BREAK.finditer(text), 2):
        if number == line:
            return match.end()
    return len(text)


MAX_CHAR_PROBLEMS = 50


def _char_problems(path: Path, text: str, raw: bytes) -> list[Problem]:
    """Every refused character of the raw text at its line and column (fast when none)."""
    if not has_bad_chars(raw):  # almost every file
        return []
    found = []
    matches = [(m.start(), m.group()) for m in _BAD_IN_FILE.finditer(text)]
    for index, char in matches[:MAX_CHAR_PROBLEMS]:
        line, col = text_position(text, index)
        found.append(_problem(path, line, col, char_message(char), "character"))
    if len(matches) > MAX_CHAR_PROBLEMS:
        line, col = text_position(text, matches[MAX_CHAR_PROBLEMS][0])
        found.append(_problem(
            path, line, col,
            f"and {len(matches) - MAX_CHAR_PROBLEMS:,} more such characters from here on; "
            "was the file saved in another encoding?", "character"))
    return found


_SIMPLE_ESCAPES = {
    "0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b",
    "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _escape_at(text: str, line: int, col: int) -> tuple[int, int, str] | None:
    """Find the first escape writing a refused character in the double-quoted scalar that
    starts at (line, col): its own (line, col) and how it is written, e.g. `\\e`."""
    i = _line_start(text, line) + col - 1
    if text[i:i + 1] != '"':
        return None
    i, col = i + 1, col + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return None
        if c == "\\":
            kind = text[i + 1:i + 2]
            size = 2 + _HEX_ESCAPES.get(kind, 0)
            if kind in _HEX_ESCAPES:
                try:
                    char = chr(int(text[i + 2:i + size], 16))
                except ValueError:
                    char = ""
            else:
                char = _SIMPLE_ESCAPES.get(kind, "")
            if char and _BAD_IN_TEXT.match(char):
                return line, col, text[i:i + size]
            if kind in ("\n", "\r"):  # an escaped line break: count it below
                i += 1
                col += 1
                continue
            i, col = i + size, col + size
            continue
        if c == "\n" or (c == "\r" and text[i + 1:i + 2] != "\n"):
            line, col = line + 1, 1
        elif c != "\r":
            col += 1
        i += 1
    return None


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where lists and mappings first nest deeper than MAX_DEPTH, or None.

    Must run before anything recurses over the document (PyYAML's composer and the
    constructor do, and a Python RecursionError or a C stack overflow must never happen).
    Cheap bound first: a block level needs one more column of indentation (or of `- `,
    `? `, `: ` before the node), a flow level a `[` or `{` (a `[a: b]` pair adds a mapping
    too). Only a file that could be too deep is walked event by event, and libyaml's
    parser keeps its own stack, so that walk does not recurse.
    """
    budget = MAX_DEPTH - 2 - 2 * text.count("[") - text.count("{")
    if budget > 0:
        first = text[:budget]
        if (len(first) < budget or first.strip(" ?:-")) and not _indent_at_least(budget).search(text):
            return None
    try:
        return _deepest(StrictLoader(text))
    except yaml.YAMLError:
        # libyaml's scanner looks ahead for keys and stops at its own limit (1,000 levels)
        # before handing over a single event; PyYAML's scanner looks ahead too, without a limit.
        try:
            return _deepest(ExplainingLoader(text))
        except yaml.YAMLError:
            return None  # a syntax error comes first; the parse reports it


def _deepest(loader) -> tuple[int, int] | None:
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = event.__class__
            if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
    finally:
        loader.dispose()
    return None


@lru_cache(maxsize=128)
def _indent_at_least(width: int) -> re.Pattern:
    # Lines after the first, found by their "\n": a fixed first character makes the search
    # fast, where a multiline `^` would be tried at every position.
    return re.compile(f"\n[ ?:-]{{{width}}}")


# ---------------------------------------------------------------------------------------
# The one entry point.

def read_case(path: Path, raw: bytes | None = None, keep_nodes: bool = False) -> CaseFile:
    """Read and parse one case file; every failure becomes a Problem, never an exception.

    `raw`, when given, is the file's content (nothing is read from disk). Without it the
    path must have a case file's name and be a regular file (see `read_bytes`). Problems
    are located at their line and column; a file with any is returned without data.
    `keep_nodes` keeps the parse's node tree as `CaseFile.nodes` (positions for locating).
    """
    path = Path(path)
    case = CaseFile(path)
    if raw is None:
        try:
            refused = _refuse_name(path)
            if refused:
                raise refused
            raw = read_bytes(path)
        except Refused as exc:
            case.problems.append(_problem(path, 1, 1, exc.message, exc.rule, exc.severity))
            return case
    elif len(raw) > MAX_BYTES:
        case.problems.append(_problem(path, 1, 1, f"file is over the {MAX_BYTES:,}-byte limit", "size"))
        return case
    case.digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"\xef\xbb\xbf"):
        case.problems.append(_problem(
            path, 1, 1,
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
            "encoding",
        ))
        return case
    wide = _wide_encoding(raw)
    if wide:
        case.problems.append(_problem(
            path, 1, 1, f"file is encoded as {wide}; save it as UTF-8 (without BOM)", "encoding"))
        return case
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col, message = _decode_error(raw, exc)
        case.problems.append(_problem(path, line, col, message, "encoding"))
        return case
    case.text = text
    try:
        _parse(case, path, text, raw)
    except RecursionError:  # not expected after _too_deep; never a traceback
        case.problems.append(_problem(
            path, 1, 1, f"lists and mappings are nested too deep to read (the limit is {MAX_DEPTH})",
            "depth"))
    except MemoryError:
        case.problems.append(_problem(
            path, 1, 1, "the file needs more memory to read than is available", "size"))
    except (ValueError, OverflowError) as exc:
        case.problems.append(_problem(path, 1, 1, f"a value cannot be read: {exc}", "yaml"))
    except yaml.YAMLError as exc:  # ReaderError and any other error without a mark
        index = getattr(exc, "position", 0) or 0
        line, col = text_position(text, index)
        case.problems.append(_problem(path, line, col, f"cannot read the file: {exc}", "yaml"))
    if case.problems and any(p.is_error for p in case.problems):
        case.data = None
    if not keep_nodes or case.data is None:
        case.nodes = None
    return case


def _parse(case: CaseFile, path: Path, text: str, raw: bytes) -> None:
    """Check the text, parse it and set `case.data`, or add the problems found."""
    chars = _char_problems(path, text, raw)
    if chars:
        case.problems.extend(chars)
        return
    tabs = _tab_indents(text)
    if tabs:
        case.problems.extend(
            _problem(path, line, col, "tab character in indentation; indent with spaces", "tabs")
            for line, col in tabs
        )
        return
    deep = _too_deep(text)
    if deep:
        case.problems.append(_problem(
            path, *deep,
            f"lists and mappings are nested more than {MAX_DEPTH} deep here; a case needs only "
            "a few levels: check the brackets and indentation", "depth"))
        return
    loader = StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        if not isinstance(exc, ConstructorError) and _Parser is not _PyParser:
            exc = _python_error(text) or exc
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        rule = "yaml"
        if isinstance(exc, BadEscape):
            found = _escape_at(text, line, col)
            written = found[2] if found else "an escape"
            line, col = found[:2] if found else (line, col)
            message = (f"the escape `{written}` in double-quoted text writes "
                       f"{describe_char(exc.char)}, which is not allowed in a case file; "
                       "delete it")
            rule = "character"
        elif isinstance(exc, ConstructorError):
            message = exc.problem
        elif _only_markers(text):
            message, rule = ("file is empty (only document markers `---`/`...` and comments); start "
                             "from `casebook new <id>` for a filled-in skeleton"), "empty"
            line, col = 1, 1
        elif (long_key := _long_key(text, line)) is not None:
            col, message = long_key, (
                "YAML syntax error: a key longer than 1,024 characters (YAML does not read a longer "
                "plain key); field names are short words: check for a missing line break or `:`")
        elif (ime := _ime_character(text, line)) is not None:
            line, col, message = ime
            rule = "character"
        elif exc.context in _OPENED and exc.context_mark and (
                "end of stream" in (exc.problem or "") or "<stream end>" in (exc.problem or "")):
            opened = exc.context_mark
            what = _OPENED[exc.context]
            message = (f"YAML syntax error: {what} opened here is not closed: the file ends "
                       f"(line {line}) before its "
                       f"closing {_CLOSER.get(text[opened.index:opened.index + 1], 'mark')}")
            line, col = opened.line + 1, opened.column + 1
        else:
            what = f"{exc.context}: {exc.problem}" if exc.context else exc.problem
            message = f"YAML syntax error: {what}; check quoting and indentation here"
        case.problems.append(_problem(path, line, col, message, rule))
        return
    finally:
        loader.dispose()
    for key, first, mark in loader.duplicates:
        case.problems.append(_problem(
            path, mark.line + 1, mark.column + 1,
            f"duplicate key '{key}' (first at line {first.line + 1}); "
            "keep one of them, a second one would silently replace the first",
            "duplicate-key",
        ))
    if case.problems:
        return
    anchor = _first_anchor(text) if b"&" in raw else None  # fast: most files have no `&` at all
    if anchor is not None:
        case.problems.append(_problem(path, *anchor, _ALIAS_MESSAGE, "alias"))
        return
    if data is None:
        case.problems.append(_problem(
            path, 1, 1, "file is empty; start from `casebook new <id>` for a filled-in skeleton",
            "empty",
        ))
        return
    case.data = data
    case.nodes = loader.root  # read_case keeps it only when asked
    case.problems.extend(_invisible_problems(path, text, raw))
    for node in loader.invisible:  # written as an escape ("\u200b"): at the quoted text
        char = _INVISIBLE_CHAR.search(node.value).group()
        if (char not in text[node.start_mark.index:node.end_mark.index]
                and not _ID_LINE.match(text, _line_start(text, node.start_mark.line + 1))):
            case.problems.append(_problem(
                path, node.start_mark.line + 1, node.start_mark.column + 1,
                f"an escape in this double-quoted text writes {_INVISIBLE[char]}, which is "
                "invisible: the text looks the same without it, but a search or a quote check does "
                "not match; delete the escape", "invisible", WARNING))


def _first_anchor(text: str) -> tuple[int, int] | None:
    """(line, column) of the first anchor (`&name`) in the text, or None.

    An anchor that no alias uses parses and builds like plain YAML, so the constructor never
    sees it; the README refuses anchors and aliases alike (nothing in a case needs them). The
    parser's events carry the anchor: a second parse in C, only for a file holding a `&`.
    """
    for event in yaml.parse(text, Loader=_EventLoader):
        if getattr(event, "anchor", None) is not None:
            return event.start_mark.line + 1, event.start_mark.column + 1
    return None


_EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Invisible characters that are not refused (a source could print one) but are almost always
# pasted by accident: warned at their place. (Bidi controls: advice.bidi_findings; in ids
# the slug pattern refuses all of them; a BOM at the start of the file is an error.)
_INVISIBLE = {
    "\ufeff": "U+FEFF (byte-order mark, zero width no-break space)",
    "\u200b": "U+200B (zero width space)",
    "\u2060": "U+2060 (word joiner)",
    "\u180e": "U+180E (Mongolian vowel separator)",
}
_INVISIBLE_BYTES = tuple(c.encode() for c in _INVISIBLE)
_INVISIBLE_CHAR = re.compile(f"[{''.join(_INVISIBLE)}]")
_ID_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?(?:id|[A-Za-z_]+_id|part_of|source|model)[ \t]*:")


def _invisible_problems(path: Path, text: str, raw: bytes) -> list[Problem]:
    """A warning at each invisible character in the text (fast when there is none)."""
    if not any(b in raw for b in _INVISIBLE_BYTES):
        return []
    found = []
    for match in list(_INVISIBLE_CHAR.finditer(text))[:MAX_CHAR_PROBLEMS]:
        line, col = text_position(text, match.start())
        start = _line_start(text, line)
        if _ID_LINE.match(text, start):
            continue  # an id or reference: its slug pattern refuses the character (an error)
        found.append(_problem(
            path, line, col, f"{_INVISIBLE[match.group()]} here is invisible: the text looks the "
            "same without it, but a search or a quote check does not match; delete it", "invisible",
            WARNING))
    return found


_OPENED = {
    "while scanning a quoted scalar": "the quoted text",
    "while parsing a flow sequence": "the list in brackets [ ]",
    "while parsing a flow mapping": "the mapping in braces { }",
}
_CLOSER = {'"': 'quote "', "'": "quote '", "[": "bracket ]", "{": "brace }"}
# What a Chinese input method types instead of ASCII: a full-width space or a no-break space
# in the indentation, a full-width colon after a key. YAML reports them lines later ("mapping
# values are not allowed here"), so they are looked for on the lines up to a syntax error.
_IME_INDENT = re.compile(r"^ *([\u3000\u00a0])", re.M)
_IME_COLON = re.compile(r"^ *(?:- +)?([A-Za-z_][A-Za-z0-9_]*) *(：)", re.M)
_IME_NAMES = {"\u3000": "U+3000 (ideographic space, a full-width space)", "\u00a0": "U+00A0 (no-break space)"}


_MARKERS_ONLY = re.compile(r"(?:[ \t]*(?:---|\.\.\.)?[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z))*\Z")


def _only_markers(text: str) -> bool:
    """True for a file of nothing but `---`, `...`, comments and blank lines."""
    return bool(_MARKERS_ONLY.match(text))


def _long_key(text: str, line: int) -> int | None:
    """The column of a plain key over 1,024 characters on `line` (PyYAML's limit), or None."""
    start = _line_start(text, line)
    end = text.find("\n", start)
    row = text[start:end if end >= 0 else len(text)]
    key = row.lstrip(" -").split(": ", 1)[0] if ": " in row or row.endswith(":") else ""
    return row.index(key) + 1 if len(key.rstrip(":")) > 1024 else None


def _ime_character(text: str, line: int) -> tuple[int, int, str] | None:
    """(line, col, message) for the first IME character on lines 1..`line`, or None."""
    end = _line_start(text, line + 1)
    found = []
    hit = _IME_INDENT.search(text, 0, end)
    if hit:
        found.append((hit.start(1), f"{_IME_NAMES[hit.group(1)]} in the indentation; indent with "
                                    "ASCII spaces"))
    hit = _IME_COLON.search(text, 0, end)
    if hit:
        found.append((hit.start(2), f"a full-width colon ： after `{hit.group(1)}`; use an ASCII "
                                    "colon : followed by a space"))
    if not found:
        return None
    index, message = min(found)
    return (*text_position(text, index), message)


def _python_error(text: str) -> yaml.MarkedYAMLError | None:
    explainer = ExplainingLoader(text)
    try:
        explainer.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return exc
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return None  # keep libyaml's wording
    finally:
        explainer.dispose()
    return None


def _tab_indents(text: str) -> list[tuple[int, int]]:
    found = []
    if "\t" not in text:  # fast path: almost every file
        return found
    for number, line in enumerate(text.split("\n"), 1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            found.append((number, line.index("\t") + 1))
    return found


def compose(text: str):
    """Compose the YAML node tree (with positions) for locating problems."""
    return yaml.compose(text, Loader=StrictLoader)


CASES_FOLDER = "cases"


def discover(paths) -> list[Path]:
    """Everything `validate` must look at under the given files or folders, sorted.

    Folders are walked without following symbolic links; `.yaml`/`.yml` files count in any
    letter case (`x.YAML` too). In a cases folder (one named `cases`, or inside one) every
    other entry that is not a folder is listed too (other files, links, FIFOs, devices,
    sockets), so that `read_case` reports it, without opening it, instead of skipping it
    silently: a case saved as `x.json` or `x.yml.txt` would otherwise never be checked or
    published. Other folders (test fixtures keep an `expected.txt` next to their cases)
    contribute only their case files. A path given explicitly is kept as given; a folder
    that is a symbolic link, or lies below one (inside the working directory), is not
    walked but listed itself, so that `read_case` refuses it.
    """
    found: list[Path] = []
    for p in map(Path, paths):
        if os.path.islink(p) or linked_folder(p / "x") is not None:
            found.append(p)  # a linked folder is not followed: read_case says so
        elif p.is_dir():
            strict = CASES_FOLDER in {part.lower() for part in p.parts} or (
                p.resolve().name.lower() == CASES_FOLDER)
            found.extend(_walk(p, strict))
        else:
            found.append(p)
    # One file named by two paths (cases/x.yaml and cases/../cases/x.yaml) is read once, or
    # it would clash with itself ("id already used"). The folders are resolved, the name is not.
    real: dict[Path, str] = {}
    unique: dict[str, Path] = {}
    for p in sorted(set(found)):
        if p.parent not in real:
            real[p.parent] = os.path.realpath(p.parent)
        unique.setdefault(os.path.join(real[p.parent], p.name), p)
    return sorted(unique.values())


def _walk(folder: Path, strict: bool):
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError:
            yield current  # an unreadable folder: read_case says so
            continue
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
                if is_case_name(entry.name):  # `x.yaml/`: a case saved as a folder, reported
                    yield Path(entry.path)
            elif strict or is_case_name(entry.name):
                yield Path(entry.path)
