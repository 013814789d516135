"""Live-preview benchmark: seconds from saving a course file to the served page showing it.

    .venv/bin/python bench/preview_bench.py                 # 5 edits, plain `mkdocs serve`
    .venv/bin/python bench/preview_bench.py --rounds 10 -- --dirty   # extra serve options after --

A copy of the project (all courses in courses/) is served by ``mkdocs serve``
on a free local port.  Each round appends a marker to one course's English
and Chinese description, saves the file, and polls both language versions of
that course page until both show the marker.  Printed per round: the seconds
until the English page and the Chinese page show the edit, and the generated
pages MkDocs' log says were rewritten.  Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
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
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *extra],
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("serve_args", nargs="*", help="extra options for mkdocs serve (after --)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
        root = copy_project(Path(tmp))
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        server, log = start_serve(root, port, *args.serve_args)
        try:
            start = time.perf_counter()
            while "Serving on" not in "".join(log):
                if server.poll() is not None or time.perf_counter() - start > 180:
                    print("".join(log))
                    print("mkdocs serve did not start")
                    return 1
                time.sleep(0.05)
            print(f"first build and start: {time.perf_counter() - start:.2f} s "
                  f"({len(list((root / 'courses').glob('*.yml')))} courses)")
            source = root / "courses" / f"{COURSE}.yml"
            pages = {"en": base + f"courses/{COURSE}/", "zh": base + f"zh/courses/{COURSE}/"}
            results = []
            for k in range(1, args.rounds + 1):
                time.sleep(1.5)  # let the previous round's follow-up rebuild settle
                marker = f"benchmark-edit-{k}-{time.time_ns()}"
                text = source.read_text(encoding="utf-8")
                head, sep, rest = text.partition("\ndescription:\n  en: |\n    ")
                rest = rest.replace("\n  zh: |\n    ", f"\n  zh: |\n    {marker} ", 1)
                docs = {p: p.stat().st_mtime_ns for p in (root / "docs").rglob("*.md")}
                saved = time.perf_counter()
                source.write_text(head + sep + marker + " " + rest, encoding="utf-8")
                seen = {}
                while len(seen) < 2 and time.perf_counter() - saved < 60:
                    for lang, url in pages.items():
                        if lang not in seen and marker in fetch(url):
                            seen[lang] = time.perf_counter() - saved
                    time.sleep(0.02)
                time.sleep(0.5)
                rewritten = sorted(str(p.relative_to(root / "docs")) for p in (root / "docs").rglob("*.md")
                                   if docs.get(p) != p.stat().st_mtime_ns)
                results.append(seen)
                print(f"edit {k}: en page {seen.get('en', float('nan')):.2f} s, "
                      f"zh page {seen.get('zh', float('nan')):.2f} s; "
                      + (f"rewritten: {', '.join(rewritten)}" if rewritten else "no generated page rewritten"))
            if any(len(r) < 2 for r in results) or "-v" in args.serve_args:
                print("mkdocs serve said:\n" + "".join(log[-60:]))
            both = [max(r.values()) for r in results if len(r) == 2]
            if both:
                print(f"save -> both pages updated: median {statistics.median(both):.2f} s, "
                      f"max {max(both):.2f} s over {len(both)} edits")
        finally:
            stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
