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

from .messages import M
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
    """A file that cannot be read as it stands: ``problems`` are every located
    mistake found (``problem`` the first), and ``document`` what could still be
    read around them (None when nothing could), so that its other fields are
    checked in the same run."""

    def __init__(self, problem: Problem, problems: list | None = None, document=None):
        super().__init__(problem.format())
        self.problem = problem
        self.problems = problems or [problem]
        self.document = document


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
_SEPARATORS = {"\u2028": M("the line separator"), "\u2029": M("the paragraph separator")}


class _Located(Exception):
    """A located refusal while the events are read.  ``final``: reading stops
    (size and depth limits); otherwise the lines are set aside and reading goes on."""

    def __init__(self, mark, found, expected, final: bool = False, to_end: bool = False):
        super().__init__(str(found))
        self.mark, self.found, self.expected, self.final = mark, found, expected, final
        #: Everything from the mark to the end of the file is set aside (a second document).
        self.to_end = to_end


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
    #: Field names on lines set aside after a syntax mistake: not reported as missing.
    skipped: set[str] = field(default_factory=set)

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
                raise LoadError(Problem(display, 1, 1, "", M("something that is not a regular file"),
                                        M("a YAML file")))
            with os.fdopen(fd, "rb", closefd=False) as stream:  # never read more than the limit
                raw = stream.read(MAX_FILE_BYTES + 1)
            size = max(len(raw), info.st_size)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise LoadError(Problem(display, 1, 1, "", M("a file that vanished while it was read"),
                                M("a file that stays in place during the build"))) from None
    except OSError as exc:
        raise LoadError(Problem(display, 1, 1, "", M("unreadable file ({reason})", reason=exc.strerror),
                                M("a readable YAML file"))) from None
    if size > MAX_FILE_BYTES:
        raise LoadError(Problem(display, 1, 1, "", M("a file of {size} bytes", size=size),
                                M("at most {maximum} bytes", maximum=MAX_FILE_BYTES)))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(Problem(display, 1, 1, "", M("a file saved as UTF-16"),
                                M("a file saved as UTF-8")))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start: exc.start].decode("utf-8")) + 1  # in characters
        raise LoadError(Problem(display, line, col, "",
                                M("byte 0x{byte} that is not UTF-8", byte=format(raw[exc.start], "02x")),
                                M("a file saved as UTF-8"))) from None
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
        name = _SEPARATORS.get(bad.group(), M("the control character"))
        raise LoadError(Problem(display, line, col, "", M("{name} U+{code}", name=name, code=format(ord(bad.group()), "04X")),
                                M("printable text")))
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#")
                                for line in text.split("\n")):
        found = M("an empty file") if not text.strip() else M("a file with no values (only comments)")
        raise LoadError(Problem(display, 1, 1, "", found,
                                M("a mapping of fields (see courses/README or `new`)")))
    problems, working, skipped = typing_slips(text, display)
    for _ in range(MAX_RECOVERIES):
        doc = Document(display, None, skipped=skipped)
        parser = _parser(working)
        try:
            doc.data = _build(parser, doc)
            break
        except _Located as exc:
            line, col = _pos(exc.mark)
            problem = Problem(display, line, col, "", exc.found, exc.expected)
            if exc.final:
                raise LoadError(problem, problems + [problem]) from None
            marks = [exc.mark]
            if exc.to_end:
                problems.append(problem)
                working, names = _blank_block(working, line, working.count("\n") + 1)
                skipped |= names
                continue
        except yaml.MarkedYAMLError as exc:
            problem = _syntax_problem(exc, working, display)
            marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
        finally:
            parser.dispose()
        if not any(p.line == problem.line for p in problems):
            problems.append(problem)
        lines = [m.line + 1 for m in marks] or [problem.line]
        working, names = _blank_block(working, min(lines), max(lines))
        if not names:
            break  # nothing left to set aside: what was read stands
        skipped |= names
    if problems:
        if doc.data is None and not doc.positions:
            doc = None
        raise LoadError(problems[0], sorted(problems), doc)
    return doc


#: Times a file with syntax mistakes is read again after the lines of one are set aside.
MAX_RECOVERIES = 30


def _marks(exc) -> list:
    if isinstance(exc, _Located):
        return [exc.mark]
    return [exc.context_mark, exc.problem_mark]


def _syntax_problem(exc, text: str, display: str) -> Problem:
    """A parser error as a located problem, with a hint for the usual slips."""
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark) if mark else (1, 1)
    what = exc.problem or ""
    if _char_at(text, line, col) == "\t":
        return Problem(display, line, col, "", M("a tab character"), M("spaces for indentation"))
    if what.startswith("mapping values are not allowed"):
        return Problem(display, line, col, "", M('a colon followed by a space inside a text'),
                       M('the whole text in quotes, e.g. en: "Solar PV: installation"'))
    if "could not find expected ':'" in what and exc.context_mark is not None:
        start = exc.context_mark
        return Problem(display, start.line + 1, start.column + 1, "",
                       M("a line that is neither a field (name: value) nor part of a text"),
                       M("a colon and a space after the field name, or the text indented "
                         "under its field"))
    if (exc.context or "").startswith("while scanning a quoted scalar") and exc.context_mark is not None:
        start = exc.context_mark
        return Problem(display, start.line + 1, start.column + 1, "",
                       M("a quotation mark that is never closed"),
                       M("the same quotation mark at the end of the text"))
    found = M("a YAML syntax error ({detail})", detail=what) if what else M("invalid YAML")
    return Problem(display, line, col, "", found, M("valid YAML (check indentation, colons and quotes)"))


_INDENT = re.compile(r"^[ \t\u3000]*")
#: A field name typed with a full-width colon (a Chinese keyboard): "title：".
_WIDE_COLON = re.compile(r"^([ \u3000]*(?:- )?[A-Za-z_][A-Za-z0-9_-]*)[ \u3000]*：[ \u3000]?")
#: A field name whose colon is followed by a full-width space: "title:　".
_WIDE_SPACE_AFTER = re.compile(r"^([ \u3000]*(?:- )?[A-Za-z_][A-Za-z0-9_-]*:)\u3000+")


def typing_slips(text: str, display: str) -> tuple[list[Problem], str, set[str]]:
    """Problems for what a Chinese keyboard or an editor slips into a file's
    structure, each at its own line and column: a full-width colon after a
    field name, full-width spaces in the indentation or after the colon, and
    tabs.  Also the text with them mended, to read the rest of the file, and
    the field names on lines set aside (a line indented with a tab)."""
    problems, skipped = [], set()
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if line.lstrip(" \t\u3000").startswith("#"):
            continue
        indent = _INDENT.match(line).group()
        if "\u3000" in indent:
            problems.append(Problem(display, number, indent.index("\u3000") + 1, "",
                                    M("a full-width space (U+3000) in the indentation"),
                                    M("ordinary spaces for indentation (switch the keyboard "
                                      "to half-width)")))
        if "\t" in indent:
            # How wide the author meant the tab is anyone's guess: the line is set aside.
            problems.append(Problem(display, number, indent.index("\t") + 1, "",
                                    M("a tab character"), M("spaces for indentation")))
            skipped.update(_KEYS.findall(line))
            lines[number - 1] = ""
            continue
        line = indent.replace("\u3000", " ") + line[len(indent):]
        wide = _WIDE_COLON.match(line)
        if wide:
            problems.append(Problem(display, number, len(wide.group(1)) + 1 + _shift(lines[number - 1], line), "",
                                    M("a full-width colon ："),
                                    M("an ordinary colon and a space after the field name "
                                      "(switch the keyboard to half-width), e.g. title: ...")))
            line = wide.group(1) + ": " + line[wide.end():]
        after = _WIDE_SPACE_AFTER.match(line)
        if after:
            problems.append(Problem(display, number, len(after.group(1)) + 1 + _shift(lines[number - 1], line), "",
                                    M("a full-width space (U+3000) after the colon"),
                                    M("an ordinary space after the colon")))
            line = after.group(1) + " " + line[after.end():]
        lines[number - 1] = line
    return problems, "\n".join(lines), skipped


def _shift(original: str, mended: str) -> int:
    """Columns the mended indentation lost or gained against the original's."""
    return len(_INDENT.match(original).group()) - len(_INDENT.match(mended).group())


#: The field names on a line: "title:", "- title:", "{hours: 10, ...".
_KEYS = re.compile(r"(?:^|[\s{,\-?])([A-Za-z_][A-Za-z0-9_-]*)\s*:(?=\s|$)")


def _blank_block(text: str, first: int, last: int) -> tuple[str, set[str]]:
    """``text`` with the lines from ``first`` to ``last`` (1-based) and the
    lines indented under them set aside (left empty, so that every line keeps
    its number), and the field names they held.  Reading goes on at the next
    line indented no deeper than ``first``."""
    lines = text.split("\n")
    first = max(1, min(first, len(lines)))
    last = max(first, min(last, len(lines)))
    depth = len(_INDENT.match(lines[first - 1]).group())
    end = last
    while end < len(lines):
        following = lines[end]
        stripped = following.strip()
        if (stripped and not stripped.startswith("#") and len(_INDENT.match(following).group()) <= depth
                and not stripped.startswith((": ", "? ")) and stripped not in (":", "?")):
            break  # (a line of ": value" goes with the "? key" before it)
        end += 1
    names = set()
    for index in range(first - 1, end):
        names.update(_KEYS.findall(lines[index]))
        if lines[index].strip():
            names.add("")  # something was set aside
        lines[index] = ""
    names.discard("") if names != {""} else None
    return "\n".join(lines), names


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
            raise _Located(event.start_mark, M("an alias (*{name})", name=visible(event.anchor)),
                           M("plain values; anchors and aliases are not supported"))
        if event.anchor is not None:
            raise _Located(event.start_mark, M("an anchor (&{name})", name=visible(event.anchor)),
                           M("plain values; anchors and aliases are not supported"))
        if event.tag is not None:
            raise _Located(event.start_mark, M("the tag {tag}", tag=visible(event.tag)),
                           M("plain values without tags"))
        top = stack[-1] if stack else None
        if top is not None and isinstance(top[0], dict) and top[2] is None:
            _key(event, top, doc)
            continue
        values += 1
        if values > MAX_NODES:
            raise _Located(event.start_mark, M("more than {maximum} values", maximum=MAX_NODES), M("a smaller file"), final=True)
        if len(stack) > MAX_DEPTH:
            raise _Located(event.start_mark, M("nesting deeper than {maximum} levels", maximum=MAX_DEPTH),
                           M("the flat structure of a course file"), final=True)
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
            raise _Located(event.start_mark, M("an unknown YAML event"), M("plain values"))
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
        raise _Located(parser.peek_event().start_mark, M("a second document (---)"),
                       M("one YAML document per file"), to_end=True)
    return root


def _key(event, frame: list, doc: Document) -> None:
    """Record a mapping key (plain text only) in ``frame`` = [dict, path, key]."""
    if not isinstance(event, ScalarEvent):
        raise _Located(event.start_mark, M("a complex mapping key"), M("a plain field name"))
    key = event.value
    if key == "<<" and event.implicit[0]:
        raise _Located(event.start_mark, M("a merge key (<<)"),
                       M("plain values; merge keys are not supported"))
    path = _PATHS.get_one(frame[1] + (key,))
    if key in frame[0]:
        first = _unpacked(doc.key_positions[path])
        raise _Located(event.start_mark, M("the key {key} a second time (first at line {line})", key=describe(key), line=first[0]), M("each field once"))
    doc.key_positions[path] = _packed(event.start_mark)
    frame[2] = key
