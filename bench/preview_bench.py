"""Live-preview benchmark: seconds from saving a course file to the served page showing it.

    .venv/bin/python bench/preview_bench.py                      # 33, 1000 and 3000 courses, 5 edits each
    .venv/bin/python bench/preview_bench.py --sizes 1000 --rounds 10

For each size a project of that many courses (bench/synth.py; 33 = the real
catalog) is served by ``python -m site_builder serve`` (site_builder/preview.py)
on a free local port.  Each round appends a marker to one course's English
and Chinese description (or title, --edits), saves the file, and polls both language versions of
that course page until both show the marker.  Printed per round: the seconds
until the English page and the Chinese page show the edit, and the generated
pages MkDocs' log says were rewritten.  Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COURSE = "photonics-technology"
#: The README section this bench writes (--write-readme).
PREVIEW_START, PREVIEW_END = "<!-- preview:start -->", "<!-- preview:end -->"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(dest: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copytree(REPO / "courses", dest / "courses")
    (dest / "docs").mkdir()
    return dest


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def start_serve(root: Path, port: int, *extra: str) -> tuple[subprocess.Popen, list[str]]:
    """``mkdocs serve`` of ``root`` on ``port``; its output lines collect in the returned list."""
    server = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "--root", str(root), "serve",
         "--dev-addr", f"127.0.0.1:{port}", *extra],
        cwd=root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stdout), daemon=True).start()
    return server, log


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def shown(pages: dict[str, str], marker: str, saved: float, timeout: float, label: str) -> list[float]:
    """Poll every language's page until each shows ``marker``; prints the seconds
    since ``saved`` per language and returns [the slowest], or [] on a timeout."""
    seen: dict[str, float] = {}
    while len(seen) < len(pages) and time.perf_counter() - saved < timeout:
        for lang, url in pages.items():
            if lang not in seen and marker in fetch(url):
                seen[lang] = time.perf_counter() - saved
        time.sleep(0.02)
    print(f"  {label}: " + ", ".join(f"{lang} page {seen.get(lang, float('nan')):.2f} s" for lang in pages))
    return [max(seen.values())] if len(seen) == len(pages) else []


def bench(root: Path, rounds: int, extra: list[str], field: str = "description") -> list[float]:
    """Medians etc. are printed; returns the seconds until both pages showed each edit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server, log = start_serve(root, port, *extra)
    both: list[float] = []
    try:
        start = time.perf_counter()
        while "preview at" not in "".join(log):
            if server.poll() is not None or time.perf_counter() - start > 600:
                print("".join(log))
                print("the preview did not start")
                return both
            time.sleep(0.05)
        print(f"  first build and start: {time.perf_counter() - start:.2f} s")
        source = root / "courses" / f"{COURSE}.yml"
        pages = {"en": base + f"courses/{COURSE}/", "zh": base + f"zh/courses/{COURSE}/"}
        import yaml

        original = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for k in range(1, rounds + 1):
            time.sleep(1.0)
            marker = f"edit-{k}-{time.time_ns() % 10**6}"  # short: a title has a length limit
            data = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            for lang in ("en", "zh"):
                data[field][lang] = f"{marker} " + original[field][lang]
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            saved = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            both += shown(pages, marker, saved, 120, f"edit {k}")
        if len(both) < rounds:
            print("  the preview said:\n" + "".join(log[-60:]))
    finally:
        stop(server)
    return both


def reference_bench(root: Path, rounds: int) -> list[float]:
    """The same saves in the reference (bench/reference.py): the bare stack's
    ``mkdocs serve`` of plain pages of the same courses, each save a marker
    added to the course's English and Chinese page."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import reference
    from site_builder.readers import read_catalog

    catalog, _ = read_catalog(root)
    dest = reference.write_project(catalog, root.parent / "reference")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=dest, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}/"
    pages = {"en": base + f"courses/{COURSE}/", "zh": base + f"zh/courses/{COURSE}/"}
    both: list[float] = []
    try:
        start = time.perf_counter()
        while not all(fetch(url) for url in pages.values()):
            if server.poll() is not None or time.perf_counter() - start > 900:
                print("".join(log[-30:]) + "\nthe reference preview did not start")
                return both
            time.sleep(0.2)
        print(f"  reference: first build and start: {time.perf_counter() - start:.2f} s")
        for k in range(1, rounds + 1):
            time.sleep(1.0)
            marker = f"edit-{k}-{time.time_ns() % 10**6}"
            saved = time.perf_counter()
            for lang in pages:
                page = dest / "docs" / lang / "courses" / f"{COURSE}.md"
                lines = page.read_text(encoding="utf-8").split("\n")
                lines[2] = marker  # the summary's line (the title is line 0)
                page.write_text("\n".join(lines), encoding="utf-8")
            both += shown(pages, marker, saved, 600, f"reference edit {k}")
    finally:
        stop(server)
    return both


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="33,1000,3000")
    parser.add_argument("--edits", default="description,title",
                        help="the fields edited: a description edit rewrites the course's "
                             "pages; a title edit also the pages listing it")
    parser.add_argument("--write-readme", action="store_true",
                        help="replace the preview section of README.md with the results")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the reference's saves (bench/reference.py)")
    parser.add_argument("serve_args", nargs="*", help="extra options for the serve command (after --)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synth

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    summary = []
    for size in [int(x) for x in args.sizes.split(",") if x.strip()]:
        ref = None
        for field in [f.strip() for f in args.edits.split(",") if f.strip()]:
            with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
                root = copy_project(Path(tmp)) if size == 33 else synth.make_project(Path(tmp) / "p", size)
                print(f"{size} courses, {field} edits:")
                both = bench(root, args.rounds, args.serve_args, field)
                if ref is None and not args.no_reference:
                    saves = reference_bench(root, args.rounds)
                    ref = statistics.median(saves) if saves else float("nan")
                if both:
                    summary.append((size, field, statistics.median(both), max(both), len(both), ref))
    lines = ["| courses | edit | save -> page shown in every language, median | max | edits "
             "| reference save, median | ours / reference |", "|---:|---|---:|---:|---:|---:|---:|"]
    for size, field, median, worst, n, ref in summary:
        ref_cells = f"{ref:.2f} s | {median / ref:.2f}" if ref else "- | -"
        lines.append(f"| {size} | {field} | {median:.2f} s | {worst:.2f} s | {n} | {ref_cells} |")
    table = "\n".join(lines)
    print("\n" + table)
    if args.write_readme:
        import build_bench

        build_bench.write_readme(
            f"Measured {datetime.date.today().isoformat()} on {build_bench.machine()} by "
            f"`python bench/preview_bench.py --sizes {args.sizes} --rounds {args.rounds}` (load average "
            f"before the run {load}): each edit marks a course's English and Chinese text, saves the file, "
            "and polls both language versions of its page until both show it. The reference save is the "
            "bare stack's `mkdocs serve` of the same courses' plain pages (bench/reference.py).\n\n" + table,
            start=PREVIEW_START, end=PREVIEW_END)
        print("wrote the results into README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
