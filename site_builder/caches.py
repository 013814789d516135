"""Cache files of ``.cache/``: results of public library calls that later
builds reuse (QR codes, segmented Chinese, pinyin).  Each file holds a key
(what its entries depend on: options, vocabulary) and its entries; a file
with another key, or one that cannot be read, counts as empty.  Written
atomically (a reader sees the old file or the new one)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def load(path: Path | None, key: str) -> dict:
    """The entries of ``path`` if it was written with ``key``; {} otherwise."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("entries"), dict):
        return {}
    return dict(data["entries"])


def save(path: Path | None, key: str, entries: dict) -> None:
    """Write ``entries`` under ``key`` to ``path`` (nothing when path is None)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"key": key, "entries": entries}, ensure_ascii=False, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)
