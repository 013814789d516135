"""Live-preview benchmark: seconds from saving a course file to the served page showing it.

    .venv/bin/python bench/preview_bench.py                      # 33, 1000 and 3000 courses, 5 edits each
    .venv/bin/python bench/preview_bench.py --sizes 1000 --rounds 10

For each size a project of that many courses (bench/synth.py; 33 = the real
catalog) is served by ``python -m site_builder serve`` (site_builder/preview.py)
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


def bench(root: Path, rounds: int, extra: list[str]) -> list[float]:
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
        for k in range(1, rounds + 1):
            time.sleep(1.0)
            marker = f"benchmark-edit-{k}-{time.time_ns()}"
            import yaml

            data = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            for lang in ("en", "zh"):
                data["description"][lang] = f"{marker} " + data["description"][lang]
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            saved = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            seen = {}
            while len(seen) < 2 and time.perf_counter() - saved < 120:
                for lang, url in pages.items():
                    if lang not in seen and marker in fetch(url):
                        seen[lang] = time.perf_counter() - saved
                time.sleep(0.02)
            print(f"  edit {k}: en page {seen.get('en', float('nan')):.2f} s, "
                  f"zh page {seen.get('zh', float('nan')):.2f} s")
            if len(seen) == 2:
                both.append(max(seen.values()))
        if len(both) < rounds:
            print("  the preview said:\n" + "".join(log[-60:]))
    finally:
        stop(server)
    return both


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="33,1000,3000")
    parser.add_argument("serve_args", nargs="*", help="extra options for the serve command (after --)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synth

    summary = []
    for size in [int(x) for x in args.sizes.split(",") if x.strip()]:
        with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
            root = copy_project(Path(tmp)) if size == 33 else synth.make_project(Path(tmp) / "p", size)
            print(f"{size} courses:")
            both = bench(root, args.rounds, args.serve_args)
            if both:
                summary.append((size, statistics.median(both), max(both), len(both)))
    print("\n| courses | save -> page shown in every language, median | max | edits |")
    print("|---:|---:|---:|---:|")
    for size, median, worst, n in summary:
        print(f"| {size} | {median:.2f} s | {worst:.2f} s | {n} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
