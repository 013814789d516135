"""Read YAML files into plain values plus the source position of every value.

The loader never constructs Python objects from tags and never guesses types:
every scalar is a string (or ``None`` for an empty/``null`` plain scalar), so
``no``, ``on``, ``1.10`` and ``2025-01-01`` reach the schema exactly as typed.
The schema decides what each string means.  Duplicate keys, anchors/aliases,
explicit tags, tabs used for indentation, over-deep nesting and oversize input
are refused with a located message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .problems import Problem

#: Largest course or data file accepted, in bytes.
MAX_FILE_BYTES = 256 * 1024
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH = 12
#: Most values (scalars, list items and mapping entries together) in one file.
MAX_NODES = 20_000

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:null",
}


class LoadError(Exception):
    """A file that cannot be read at all; carries one located problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


class _Loader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses aliases (no alias bombs)."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Located(event.start_mark, "an alias (*name)",
                           "plain values; anchors and aliases are not supported")
        return super().compose_node(parent, index)


# No implicit resolvers: a plain scalar is a string unless we say otherwise.
_Loader.yaml_implicit_resolvers = {}


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
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: tuple) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest present parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def where_key(self, path: tuple) -> tuple[int, int]:
        """Position of the key naming ``path`` (falls back to the value)."""
        return self.key_positions.get(path) or self.where(path)


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def load_file(path: Path, display: str) -> Document:
    """Load ``path`` safely; raise :class:`LoadError` for unreadable input."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(Problem(display, 1, 1, "", f"unreadable file ({exc.strerror})",
                                "a readable YAML file")) from None
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(Problem(display, 1, 1, "", f"a file of {len(raw)} bytes",
                                f"at most {MAX_FILE_BYTES} bytes"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(Problem(display, line, col, "",
                                f"byte 0x{raw[exc.start]:02x} that is not UTF-8",
                                "a file saved as UTF-8")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return load_text(text, display)


def load_text(text: str, display: str) -> Document:
    """Compose ``text`` (never construct) and convert it to plain values."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except _Located as exc:
        line, col = _pos(exc.mark)
        raise LoadError(Problem(display, line, col, "", exc.found, exc.expected)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        found = exc.problem or "invalid YAML"
        if "'\\t'" in found or "tab" in found:
            found, expected = "a tab character", "spaces for indentation"
        else:
            expected = "valid YAML (check indentation, colons and quotes)"
        raise LoadError(Problem(display, line, col, "", found, expected)) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(display, 1, 1, "", str(exc).splitlines()[0],
                                "valid YAML")) from None
    finally:
        loader.dispose()
    doc = Document(display, None)
    if root is None:
        raise LoadError(Problem(display, 1, 1, "", "an empty file",
                                "a mapping of fields (see courses/README or `new`)"))
    counter = [0]
    doc.data = _convert(root, (), doc, 0, counter)
    return doc


def _convert(node, path: tuple, doc: Document, depth: int, counter: list[int]):
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _fail(doc, node, f"more than {MAX_NODES} values", "a smaller file")
    if depth > MAX_DEPTH:
        raise _fail(doc, node, f"nesting deeper than {MAX_DEPTH} levels",
                    "the flat structure of a course file")
    if node.tag not in _STANDARD_TAGS:
        raise _fail(doc, node, f"the tag {node.tag}", "plain values without tags")
    doc.positions[path] = _pos(node.start_mark)
    if isinstance(node, ScalarNode):
        if node.style is None and _NULL.match(node.value):
            return None
        return node.value
    if isinstance(node, SequenceNode):
        return [_convert(item, path + (i,), doc, depth + 1, counter)
                for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _STANDARD_TAGS:
                raise _fail(doc, key_node, "a complex mapping key", "a plain field name")
            key = key_node.value
            if key == "<<":
                raise _fail(doc, key_node, "a merge key (<<)",
                            "plain values; merge keys are not supported")
            if key in result:
                first = doc.key_positions[path + (key,)]
                raise _fail(doc, key_node, f'the key "{key}" a second time '
                            f"(first at line {first[0]})", "each field once")
            doc.key_positions[path + (key,)] = _pos(key_node.start_mark)
            result[key] = _convert(value_node, path + (key,), doc, depth + 1, counter)
        return result
    raise _fail(doc, node, "an unknown YAML node", "plain values")  # pragma: no cover


def _fail(doc: Document, node, found: str, expected: str) -> LoadError:
    line, col = _pos(node.start_mark)
    return LoadError(Problem(doc.path, line, col, "", found, expected))
