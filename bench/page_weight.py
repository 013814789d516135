"""Page weight of the built site: what a learner downloads, gzip-compressed.

    python3 dev.py weight            # after python3 dev.py build
    python -m bench.page_weight site

Prints, per page kind and language, the first view (the HTML page, its CSS
and JavaScript, and the search worker Material starts) and, per language, the
search index, which is downloaded only when the learner starts searching.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

KINDS = {
    "home": "index.html",
    "catalog": "catalog/index.html",
    "category": "categories/{category}/index.html",
    "course": "courses/{course}/index.html",
    "404": "404.html",
}
_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9, mtime=0))


def first_view(page: Path, site: Path) -> dict[str, int]:
    """Bytes (gzip) of the page and everything it loads before any click."""
    html = page.read_text(encoding="utf-8")
    sizes = {"html": gz(page), "css": 0, "js": 0}
    for url in _ASSET.findall(html):
        if url.startswith(("http:", "https:", "//", "data:")):
            continue
        path = (site / url.lstrip("/")) if url.startswith("/") else (page.parent / url)
        path = Path(str(path.resolve()).split("?")[0])
        sizes["css" if path.suffix == ".css" else "js"] += gz(path)
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    if config:
        worker = json.loads(config.group(1))["search"].split("#")[0]
        path = (site / worker.lstrip("/")) if worker.startswith("/") else (page.parent / worker)
        sizes["js"] += gz(path.resolve())
    sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"]
    return sizes


def report(site: Path) -> list[str]:
    course = sorted(p.parent.name for p in (site / "courses").glob("*/index.html"))[0]
    category = sorted(p.parent.name for p in (site / "categories").glob("*/index.html"))[0]
    lines = [f"{'page':<10} {'lang':<4} {'html':>8} {'css':>8} {'js':>8} {'first view':>11}"]
    for kind, pattern in KINDS.items():
        for lang, prefix in (("en", ""), ("zh", "zh/")):
            page = site / prefix / pattern.format(course=course, category=category)
            s = first_view(page, site)
            lines.append(f"{kind:<10} {lang:<4} {s['html']:>8,} {s['css']:>8,} {s['js']:>8,} {s['total']:>11,}")
    lines.append("")
    lines.append(f"{'search index':<15} {'raw':>10} {'gzip':>10}  (loaded on first search)")
    for lang, prefix in (("en", ""), ("zh", "zh/")):
        index = site / prefix / "search" / "search_index.json"
        lines.append(f"{lang:<15} {index.stat().st_size:>10,} {gz(index):>10,}")
    return lines


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not (site / "index.html").is_file():
        print(f"no built site in {site}/: run python3 dev.py build first", file=sys.stderr)
        return 1
    print("\n".join(report(site)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
