"""How long and how much memory the loader needs for the worst files it can be sent.

Run:  .venv/bin/python tests/hostile/benchmark.py   (prints a table; asserts nothing)

Each input is as large as the limits allow (site_builder.loader.MAX_FILE_BYTES),
built to stress one part of YAML parsing: deep flow nesting, many tiny keys,
long lists, one long string, anchors, tags, an unclosed bracket at the end...
Each is loaded in a fresh process, with libyaml's parser (what runs) and with
PyYAML's pure-Python one (the fallback when libyaml is missing), and the
script prints the wall time and the peak memory (resident set growth and
Python allocations).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from site_builder.loader import MAX_FILE_BYTES  # noqa: E402

N = MAX_FILE_BYTES - 64


def inputs() -> dict[str, str]:
    return {
        "deep flow [[[...": "a: " + "[" * (N // 2) + "]" * (N // 2),
        "deep flow {a: {a:": "a: " + "{a: " * (N // 4),
        "deep block": "".join("  " * i + "a:\n" for i in range(400)),
        "many tiny keys": "".join(f"k{i}: v\n" for i in range(N // 10)),
        "long flow list": "a: [" + "x," * (N // 2 - 4) + "]",
        "long block list": "a:\n" + "- x\n" * (N // 4 - 1),
        "one long string": "a: " + "x" * N,
        "long quoted escapes": 'a: "' + "\\u00e9" * (N // 6) + '"',
        "long folded text": "a: >\n" + "  word word word\n" * (N // 17),
        "anchors": "".join(f"k{i}: &a{i} v\n" for i in range(N // 14)),
        "billion laughs": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi")),
        "tags": "a: [" + "!t x, " * (N // 6) + "]",
        "unclosed bracket": "a: [" + "x, " * (N // 3 - 2),
        "many documents": "---\n" * (N // 4),
        "only comments": "# comment\n" * (N // 10),
        "long key": "k" * N + ": x",
    }


CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
import site_builder.loader as loader
if sys.argv[2] == "python":
    loader._FastParser = None
text = sys.stdin.read()


def load():
    try:
        loader.load_text(text, "x.yml")
        return "loaded"
    except loader.LoadError as exc:
        return exc.problem.found


before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
outcome = load()
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
tracemalloc.start()  # a second run, traced (tracing slows it down many times)
load()
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"seconds": seconds, "python_mb": peak / 2**20, "rss_mb": grown / 1024, "outcome": outcome}))
"""


def measure(text: str, parser: str) -> dict:
    run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), parser], input=text,
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def main() -> None:
    print(f"limits: {MAX_FILE_BYTES} bytes per file; times in seconds, memory in MiB\n")
    print(f"{'input':22} {'bytes':>7}  {'libyaml s':>9} {'MiB':>5} {'RSS+':>5}  "
          f"{'python s':>8} {'MiB':>5}  outcome")
    worst = {"libyaml": 0.0, "python": 0.0}
    for name, text in inputs().items():
        fast, slow = measure(text, "libyaml"), measure(text, "python")
        worst["libyaml"] = max(worst["libyaml"], fast["seconds"])
        worst["python"] = max(worst["python"], slow["seconds"])
        print(f"{name:22} {len(text.encode()):7}  {fast['seconds']:9.3f} {fast['python_mb']:5.1f} "
              f"{fast['rss_mb']:5.1f}  {slow['seconds']:8.3f} {slow['python_mb']:5.1f}  {fast['outcome'][:60]}")
    print(f"\nslowest: libyaml {worst['libyaml']:.3f} s, pure Python {worst['python']:.3f} s")


if __name__ == "__main__":
    main()
