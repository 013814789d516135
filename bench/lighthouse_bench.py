"""Lighthouse (mobile) on every page kind of the built site, in both languages,
served gzip-compressed from this machine; prints the table of scores.

    python3 dev.py lighthouse            # builds site/ first if there is none
    python3 dev.py lighthouse --runs 3   # the median of three runs per page

Lighthouse is pinned in bench/lighthouse/package.json (package-lock.json) and
installed there with npm on first use; it drives Debian's chromium, and runs on
Debian's nodejs (``apt-get install nodejs npm chromium``).  Not part of the
test suite: it takes a minute or two and its scores vary a little from run to
run.  Targets (issue "Search and course pages for real learners"): performance
at least 95, accessibility, best practices and SEO 100, layout shift under 0.05.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "lighthouse"
CLI = FOLDER / "node_modules" / "lighthouse" / "cli" / "index.js"

#: Page kinds: (name, path in each language's folder).
PAGES = [
    ("home", ""),
    ("catalog", "catalog/"),
    ("catalog, filtered", "catalog/?category=ict&open=yes"),
    ("category", "categories/optoelectronics/"),
    ("course", "courses/led-display-control-systems/"),
    ("status", "status/"),
    # Lighthouse refuses to audit a page answered with status 404: the page a
    # host sends for a missing path is audited at its own address.
    ("404", "404.html"),
]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".ics", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as a static host serves them: gzip when the browser accepts
    it, the 404 page for a missing path, long caching for hashed assets."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status = 404
            lang = self.path.strip("/").split("/", 1)[0]
            path = Path(self.directory) / (f"{lang}/404.html" if (Path(self.directory) / lang / "404.html").is_file()
                                           else "404.html")
        data = path.read_bytes()
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE
        if gzipped:
            data = gzip.compress(data, 6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        cache = "public, max-age=31536000, immutable" if "/assets/" in self.path else "no-cache"
        self.send_header("Cache-Control", cache)
        self.end_headers()
        return _Body(data)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def install() -> None:
    """npm ci of the pinned Lighthouse into bench/lighthouse/ (once)."""
    if CLI.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("Lighthouse needs Node.js and npm: apt-get install nodejs npm (Debian), then run this again")
    print("installing the pinned Lighthouse into bench/lighthouse/ (npm ci) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FOLDER, check=True)


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    sys.exit("Lighthouse needs Chromium: apt-get install chromium (Debian)")


def lighthouse(url: str, browser: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={out}",
                        f"--chrome-path={browser}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                        "--only-categories=" + ",".join(CATEGORIES), "--form-factor=mobile",
                        "--max-wait-for-load=30000"], check=True, capture_output=True)
        report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    audits = report["audits"]
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    scores["failed"] = sorted(key for key, audit in audits.items()
                              if audit.get("score") is not None and audit["score"] < 1
                              and audit.get("scoreDisplayMode") == "binary")
    return scores


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py lighthouse", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default=str(ROOT / "site"), help="the built site (default: site/)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print("building the site first ...", flush=True)
        subprocess.run([sys.executable, "-m", "site_builder", "build"], cwd=ROOT, check=True)
    install()
    browser = chromium()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    languages = [("en", "")] + [(p.name, p.name + "/") for p in sorted(site.iterdir())
                                if p.is_dir() and (p / "404.html").is_file() and (p / "index.html").is_file()]
    rows, missed = [], []
    try:
        for lang, prefix in languages:
            for name, path in PAGES:
                runs = [lighthouse(base + prefix + path, browser) for _ in range(max(1, args.runs))]
                row = {key: statistics.median(r[key] for r in runs) for key in (*CATEGORIES, "cls", "lcp")}
                row.update(page=f"{name} ({lang})", failed=sorted({f for r in runs for f in r["failed"]}))
                rows.append(row)
                print(f"  {row['page']}: " + " ".join(f"{c} {row[c]:.0f}" for c in CATEGORIES), flush=True)
    finally:
        server.shutdown()
    print()
    print("| page | performance | accessibility | best practices | SEO | CLS | LCP s | failed audits |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(f"| {row['page']} | {row['performance']:.0f} | {row['accessibility']:.0f} | "
              f"{row['best-practices']:.0f} | {row['seo']:.0f} | {row['cls']:.3f} | {row['lcp']:.1f} | "
              f"{', '.join(row['failed']) or '-'} |")
        for category, target in TARGETS.items():
            if row[category] < target:
                missed.append(f"{row['page']}: {category} {row[category]:.0f} < {target}")
        if row["cls"] >= 0.05:
            missed.append(f"{row['page']}: CLS {row['cls']:.3f} >= 0.05")
    print()
    print("Targets: performance >= 95, accessibility, best practices and SEO 100, CLS < 0.05.")
    print("All met." if not missed else "Not met:\n" + "\n".join(f"- {m}" for m in missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
