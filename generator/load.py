"""Stage 1: read case files safely and strictly into plain JSON-compatible data.

The loader is deliberately stricter than PyYAML's defaults: it resolves only the
YAML 1.2 core scalars (so `no`, `2024-08-20`, `1:30` and `012` stay strings as
written), rejects duplicate keys and aliases, and refuses files that are empty,
too large, not UTF-8, start with a BOM or indent with tabs.
"""

from __future__ import annotations

import hashlib
import os
import re
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

from .problems import Problem

MAX_BYTES = 1_000_000



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
_SCALARS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float"))


def _alias_error(node) -> ConstructorError:
    return ConstructorError(
        None, None,
        "YAML aliases (*name) and anchors (&name) are not allowed in case files; "
        "write the value out in full",
        node.start_mark,
    )


class StrictConstructor(SafeConstructor):
    """Build only JSON types; collect duplicate keys; refuse aliases and exotic tags."""

    def __init__(self):
        super().__init__()
        self.duplicates: list[tuple[str, object, object]] = []
        self._seen: set[int] = set()

    def construct_document(self, node):
        # One direct recursive pass: about three times faster than PyYAML's generic,
        # generator-based construction, which dominates the load once libyaml parses.
        self._seen = set()
        return self._build(node)

    def _build(self, node):
        if id(node) in self._seen:
            raise _alias_error(node)
        self._seen.add(id(node))
        cls, tag = node.__class__, node.tag
        if cls is ScalarNode:
            if tag == _STR:
                return node.value
            if tag in _SCALARS:
                return self.yaml_constructors[tag](self, node)
        elif cls is MappingNode and tag == _MAP:
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
                key = sys.intern(key_node.value)
                if key in first:
                    self.duplicates.append((key, first[key].start_mark, key_node.start_mark))
                    continue
                first[key] = key_node
                result[key] = self._build(value_node)
            return result
        elif cls is SequenceNode and tag == _SEQ:
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


class ExplainingLoader(_PyParser, StrictConstructor, CoreResolver):
    """The same loader on the pure-Python parser, re-run only on files with a syntax error.

    libyaml words some errors differently ("not allowed in this context"); re-parsing the
    broken file in Python gives the same message whether or not libyaml is installed.
    """

    def __init__(self, stream):
        _PyParser.__init__(self, stream)
        StrictConstructor.__init__(self)
        CoreResolver.__init__(self)


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

    @property
    def display(self) -> str:
        """The path as printed in messages."""
        return display_path(self.path)


def display_path(path: Path) -> str:
    """Path relative to the working directory when possible, for short messages."""
    return _relative(os.getcwd(), os.fspath(path))


# Resolving symlinks costs a few system calls per path component; the cross-file rules
# ask for every file's name (10,000 at scale), often twice. Keyed by the working
# directory, so a chdir (tests do) never returns a stale answer.
@lru_cache(maxsize=65_536)
def _relative(cwd: str, path: str) -> str:
    try:
        return str(Path(os.path.realpath(path)).relative_to(_real(cwd)))
    except ValueError:
        return path


@lru_cache(maxsize=64)
def _real(cwd: str) -> str:
    return os.path.realpath(cwd)


def _problem(path: Path, line: int, col: int, message: str, rule: str) -> Problem:
    return Problem(display_path(path), line, col, message, "", "error", rule)


def read_case(path: Path, raw: bytes | None = None) -> CaseFile:
    """Read and parse one case file; every failure becomes a Problem, never an exception."""
    path = Path(path)
    case = CaseFile(path)
    if raw is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            case.problems.append(_problem(path, 1, 1, f"cannot read the file: {exc.strerror}", "io"))
            return case
        if size > MAX_BYTES:
            case.problems.append(_problem(
                path, 1, 1,
                f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for one case; "
                "split it or shorten long texts",
                "size",
            ))
            return case
        raw = path.read_bytes()
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        case.problems.append(_problem(
            path, line, col,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save it with UTF-8 encoding (GBK/GB2312 files must be converted)",
            "encoding",
        ))
        return case
    case.text = text
    tabs = _tab_indents(text)
    if tabs:
        case.problems.extend(
            _problem(path, line, col, "tab character in indentation; indent with spaces", "tabs")
            for line, col in tabs
        )
        return case
    loader = StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        if not isinstance(exc, ConstructorError) and _Parser is not _PyParser:
            exc = _python_error(text) or exc
        mark = exc.problem_mark or exc.context_mark
        if isinstance(exc, ConstructorError):
            message = exc.problem
        else:
            what = f"{exc.context}: {exc.problem}" if exc.context else exc.problem
            message = f"YAML syntax error: {what}; check quoting and indentation here"
        case.problems.append(_problem(
            path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message, "yaml",
        ))
        return case
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
        return case
    if data is None:
        case.problems.append(_problem(
            path, 1, 1, "file is empty; start from `casebook new <id>` for a filled-in skeleton",
            "empty",
        ))
        return case
    case.data = data
    return case


def _python_error(text: str) -> yaml.MarkedYAMLError | None:
    explainer = ExplainingLoader(text)
    try:
        explainer.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return exc
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


def discover(paths) -> list[Path]:
    """Expand files and folders to a sorted list of `.yaml`/`.yml` files."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
        else:
            found.append(p)
    return sorted(set(found))
