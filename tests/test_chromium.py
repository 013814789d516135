"""Without Chromium, every browser test is skipped, with one reason, and nothing else happens."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from chromium import SKIP_REASON
from conftest import PYTHON, REPO


def pytest_run(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_every_browser_test_is_skipped_with_the_same_reason_without_chromium(tmp_path):
    listed = pytest_run("--collect-only", "-q", "-m", "browser")
    browser_tests = [line for line in listed.stdout.splitlines() if "::" in line]
    modules = {line.split("::")[0] for line in browser_tests}
    # The browser tests are in several modules, test_hostile's among them.
    assert len(browser_tests) > 20 and "tests/test_hostile.py" in modules, listed.stdout[-2000:]

    # A PATH with Python and nothing else: no chromium to find.
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(Path(sys.executable))
    run = pytest_run("-m", "browser", "-rs", "-q", "--basetemp", str(tmp_path / "t"), path=str(bare))
    tail = run.stdout[-3000:]
    assert run.returncode == 0, tail
    summary = run.stdout.strip().splitlines()[-1]
    assert re.search(rf"\b{len(browser_tests)} skipped\b", summary) and "passed" not in summary \
        and "failed" not in summary and "error" not in summary, summary
    reasons = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert reasons and all(line.endswith(": " + SKIP_REASON) for line in reasons), tail
    assert "site built" not in run.stdout + run.stderr  # no fixture built a site for a skipped test
