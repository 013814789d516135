"""Read YAML files into plain values plus the source position of every value.

The loader never constructs Python objects from tags and never guesses types:
every scalar is a string (or ``None`` for an empty/``null`` plain scalar), so
``no``, ``on``, ``1.10`` and ``2025-01-01`` reach the schema exactly as typed.
The schema decides what each string means.  Duplicate keys, anchors/aliases,
explicit tags, tabs used for indentation, over-deep nesting and oversize input
are refused with a located message.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .problems import Problem
from .schema import describe, visible

#: Largest course or data file accepted, in bytes.
MAX_FILE_BYTES = 256 * 1024
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH = 12
#: Most values (scalars, list items and mapping entries together) in one file.
MAX_NODES = 20_000

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")


class LoadError(Exception):
    """A file that cannot be read at all; carries one located problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


# libyaml's parser gives the same events as PyYAML's pure-Python one, about ten
# times faster: a hostile 256 KiB file is refused well within a second.
try:
    from yaml.cyaml import CParser as _FastParser
except ImportError:  # pragma: no cover - the pinned PyYAML wheel includes libyaml
    _FastParser = None


class _PyParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python parser (events only, no composer, no constructor)."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


def _parser(text: str):
    return (_FastParser or _PyParser)(text)


# What YAML accepts in a stream (the same set as PyYAML's Reader), less the
# three characters YAML 1.1 reads as line breaks but editors do not (NEL, LS,
# PS): they would shift every line number after them.  Anything else is refused
# before parsing, with its line and column.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD"
                            "\U00010000-\U0010FFFF]")
_SEPARATORS = {"\u2028": "the line separator", "\u2029": "the paragraph separator"}


class _Located(Exception):
    def __init__(self, mark, found: str, expected: str):
        super().__init__(found)
        self.mark, self.found, self.expected = mark, found, expected


Path_ = tuple  # a field path such as ("modules", 0, "hours")


@dataclass
class Document:
    """One loaded file: its data and where each value (and key) came from."""

    path: str
    data: object
    #: Field path -> line and column, packed into one int (see _packed):
    #: thousands of documents are held at once while the catalog is checked.
    positions: dict[tuple, int] = field(default_factory=dict)
    key_positions: dict[tuple, int] = field(default_factory=dict)

    def where(self, path: tuple) -> tuple[int, int]:
        """Position (line, column) of the value at ``path``, or of its nearest present parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return _unpacked(self.positions.get(path, _packed_pos(1, 1)))

    def where_key(self, path: tuple) -> tuple[int, int]:
        """Position of the key naming ``path`` (falls back to the value)."""
        packed = self.key_positions.get(path)
        return _unpacked(packed) if packed else self.where(path)


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _packed_pos(line: int, col: int) -> int:
    return line << 24 | col


def _packed(mark) -> int:
    return _packed_pos(mark.line + 1, mark.column + 1)


def _unpacked(packed: int) -> tuple[int, int]:
    return packed >> 24, packed & 0xFFFFFF


class _Paths(dict):
    """One tuple object per field path (("modules", 0, "hours") recurs in every
    course file): thousands of loaded documents share them."""

    LIMIT = 200_000  # hostile files cannot grow it without bound

    def get_one(self, path: tuple) -> tuple:
        found = self.get(path)
        if found is None:
            if len(self) >= self.LIMIT:
                return path
            self[path] = found = path
        return found


_PATHS = _Paths()


def load_file(path: Path, display: str) -> Document:
    """Load ``path`` safely; raise :class:`LoadError` for unreadable input."""
    import stat

    try:
        # Opened without waiting (a FIFO put in its place would block a plain
        # open forever), then refused unless it is a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise LoadError(Problem(display, 1, 1, "", "something that is not a regular file",
                                        "a YAML file"))
            with os.fdopen(fd, "rb", closefd=False) as stream:  # never read more than the limit
                raw = stream.read(MAX_FILE_BYTES + 1)
            size = max(len(raw), info.st_size)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise LoadError(Problem(display, 1, 1, "", "a file that vanished while it was read",
                                "a file that stays in place during the build")) from None
    except OSError as exc:
        raise LoadError(Problem(display, 1, 1, "", f"unreadable file ({exc.strerror})",
                                "a readable YAML file")) from None
    if size > MAX_FILE_BYTES:
        raise LoadError(Problem(display, 1, 1, "", f"a file of {size} bytes",
                                f"at most {MAX_FILE_BYTES} bytes"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(Problem(display, 1, 1, "", "a file saved as UTF-16",
                                "a file saved as UTF-8"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start: exc.start].decode("utf-8")) + 1  # in characters
        raise LoadError(Problem(display, line, col, "",
                                f"byte 0x{raw[exc.start]:02x} that is not UTF-8",
                                "a file saved as UTF-8")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return load_text(text, display)


def load_text(text: str, display: str) -> Document:
    """Parse ``text`` event by event (never compose or construct) into plain values.

    The values are built without recursion, and nesting, size, tags, anchors and
    aliases are checked as each event arrives, so hostile input is refused as
    soon as it crosses a limit rather than after it has been read.
    """
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        name = _SEPARATORS.get(bad.group(), "the control character")
        raise LoadError(Problem(display, line, col, "", f"{name} U+{ord(bad.group()):04X}",
                                "printable text"))
    doc = Document(display, None)
    parser = _parser(text)
    try:
        doc.data = _build(parser, doc)
    except _Located as exc:
        line, col = _pos(exc.mark)
        raise LoadError(Problem(display, line, col, "", exc.found, exc.expected)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        if _char_at(text, line, col) == "\t":
            found, expected = "a tab character", "spaces for indentation"
        else:
            found = exc.problem or "invalid YAML"
            expected = "valid YAML (check indentation, colons and quotes)"
        raise LoadError(Problem(display, line, col, "", found, expected)) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(display, 1, 1, "", str(exc).splitlines()[0],
                                "valid YAML")) from None
    finally:
        parser.dispose()
    if doc.data is None and not doc.positions:
        found = "an empty file" if not text.strip() else "a file with no values (only comments)"
        raise LoadError(Problem(display, 1, 1, "", found,
                                "a mapping of fields (see courses/README or `new`)"))
    return doc


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if line <= len(lines) and col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _build(parser, doc: Document):
    """Plain values from the parser's events, one document, limits checked on the way."""
    parser.get_event()  # stream start
    if parser.check_event(StreamEndEvent):
        return None
    parser.get_event()  # document start
    root = None
    # Open collections, innermost last: [value, path, key awaiting its value].
    stack: list[list] = []
    values = 0
    while True:
        event = parser.get_event()
        if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            stack.pop()
            if not stack:
                break
            continue
        if isinstance(event, AliasEvent):
            raise _Located(event.start_mark, f"an alias (*{visible(event.anchor)})",
                           "plain values; anchors and aliases are not supported")
        if event.anchor is not None:
            raise _Located(event.start_mark, f"an anchor (&{visible(event.anchor)})",
                           "plain values; anchors and aliases are not supported")
        if event.tag is not None:
            raise _Located(event.start_mark, f"the tag {visible(event.tag)}",
                           "plain values without tags")
        top = stack[-1] if stack else None
        if top is not None and isinstance(top[0], dict) and top[2] is None:
            _key(event, top, doc)
            continue
        values += 1
        if values > MAX_NODES:
            raise _Located(event.start_mark, f"more than {MAX_NODES} values", "a smaller file")
        if len(stack) > MAX_DEPTH:
            raise _Located(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels",
                           "the flat structure of a course file")
        if top is None:
            path = ()
        elif isinstance(top[0], dict):
            path = _PATHS.get_one(top[1] + (top[2],))
        else:
            path = _PATHS.get_one(top[1] + (len(top[0]),))
        doc.positions[path] = _packed(event.start_mark)
        if isinstance(event, ScalarEvent):
            plain = event.implicit[0]
            value = None if plain and _NULL.match(event.value) else event.value
        elif isinstance(event, SequenceStartEvent):
            value = []
        elif isinstance(event, MappingStartEvent):
            value = {}
        else:  # pragma: no cover - the parser sends only node events here
            raise _Located(event.start_mark, "an unknown YAML event", "plain values")
        if top is None:
            root = value
        elif isinstance(top[0], dict):
            top[0][top[2]] = value
            top[2] = None
        else:
            top[0].append(value)
        if isinstance(value, (list, dict)):
            stack.append([value, path, None])
        elif not stack:
            break
    parser.get_event()  # document end
    if not parser.check_event(StreamEndEvent):
        raise _Located(parser.peek_event().start_mark, "a second document (---)",
                       "one YAML document per file")
    return root


def _key(event, frame: list, doc: Document) -> None:
    """Record a mapping key (plain text only) in ``frame`` = [dict, path, key]."""
    if not isinstance(event, ScalarEvent):
        raise _Located(event.start_mark, "a complex mapping key", "a plain field name")
    key = event.value
    if key == "<<" and event.implicit[0]:
        raise _Located(event.start_mark, "a merge key (<<)",
                       "plain values; merge keys are not supported")
    path = _PATHS.get_one(frame[1] + (key,))
    if key in frame[0]:
        first = _unpacked(doc.key_positions[path])
        raise _Located(event.start_mark, f"the key {describe(key)} a second time "
                       f"(first at line {first[0]})", "each field once")
    doc.key_positions[path] = _packed(event.start_mark)
    frame[2] = key
