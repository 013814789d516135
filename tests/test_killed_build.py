"""Nothing lost: a build killed half way, a kill during the swap, ``new`` on an existing id.

The builds here are the real command on a copy of the project with the real
catalog.  A killed build must leave ``site/`` exactly as the last good build
left it (or, if the kill came after the swap, exactly as the new build made
it); the next build must succeed and give what a clean build gives.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PYTHON, REPO, make_project

from site_builder import writers

#: Its outcome depends on a date: run again with the clock moved (.ci/run).
pytestmark = pytest.mark.dates


def tree_digest(folder: Path) -> str:
    """One digest of every file's path and bytes under ``folder`` ("" if it is missing)."""
    if not folder.is_dir():
        return ""
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def edit(root: Path) -> None:
    """A change to one course: the build after it makes a different site."""
    course = root / "courses" / "photonics-technology.yml"
    text = course.read_text(encoding="utf-8")
    assert text.count("\nsummary:\n  en: ") == 1
    course.write_text(text.replace("\nsummary:\n  en: ", "\nsummary:\n  en: Edited. "), encoding="utf-8")


def build_command(root: Path) -> list[str]:
    return [PYTHON, "-m", "site_builder", "--root", str(root), "build"]


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


def wait_until(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def staging_has_pages(root: Path) -> bool:
    return any(True for new in root.glob(".site.new-*") for _ in new.rglob("index.html"))


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory) -> str:
    """Digest of a clean build of the real catalog with the edit."""
    root = make_project(tmp_path_factory.mktemp("clean") / "project", real_courses=True)
    edit(root)
    subprocess.run(build_command(root), check=True, capture_output=True, timeout=600)
    return tree_digest(root / "site")


@pytest.fixture
def built(tmp_path) -> tuple[Path, str, float]:
    """A project with the real catalog, built once (the last good site), then edited;
    and how many seconds that build took."""
    root = make_project(tmp_path / "project", real_courses=True)
    subprocess.run(build_command(root), check=True, capture_output=True, timeout=600)
    # The builds killed below reuse the caches (.cache/, docs/): time such a build,
    # the quicker of two (a busy machine slows one, and a kill planned at 90% of a
    # slowed build would come after the next, quicker one has finished).
    times = []
    for _ in range(2):
        start = time.monotonic()
        subprocess.run(build_command(root), check=True, capture_output=True, timeout=600)
        times.append(time.monotonic() - start)
    seconds = min(times)
    good = tree_digest(root / "site")
    assert good
    edit(root)
    return root, good, seconds


def test_sigkill_at_any_point_leaves_the_last_good_site(built, edited_site):
    root, good, seconds = built
    authored = tree_digest(root / "courses")
    hit_a_running_build = 0
    # Kills at fractions of a whole build, then one while MkDocs is writing the new site.
    for when in (0.15 * seconds, 0.3 * seconds, 0.5 * seconds, 0.7 * seconds, 0.9 * seconds, "writing"):
        build = subprocess.Popen(build_command(root), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        if when == "writing":
            assert wait_until(lambda: staging_has_pages(root), 120)
        else:
            time.sleep(when)
        hit_a_running_build += build.poll() is None
        with contextlib.suppress(ProcessLookupError):  # it may have finished just now
            os.killpg(build.pid, signal.SIGKILL)   # the build and its forked helper
        build.wait()
        assert wait_until(lambda: group_gone(build.pid), 10)
        # site/ is complete: the last good one, or the new one if the kill came after the swap.
        assert tree_digest(root / "site") in (good, edited_site), when
    assert hit_a_running_build >= 4
    assert tree_digest(root / "courses") == authored   # author files never rewritten

    done = subprocess.run(build_command(root), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(root / "site") == edited_site  # the same bytes as a clean build
    assert leftovers(root) == []
    assert tree_digest(root / "courses") == authored


def test_sigkill_of_the_main_process_only(built, edited_site):
    """Killed alone (OOM killer), the build's forked helper must not outlive it for long
    nor touch site/; the next build succeeds."""
    root, good, _ = built
    build = subprocess.Popen(build_command(root), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    assert wait_until(lambda: staging_has_pages(root), 120)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert tree_digest(root / "site") == good
    assert wait_until(lambda: group_gone(build.pid), 60)   # the helper ends by itself
    assert tree_digest(root / "site") == good
    done = subprocess.run(build_command(root), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert tree_digest(root / "site") == edited_site
    assert leftovers(root) == []


# ---------------------------------------------------------------------------
# A kill during the swap itself: the process kills itself at each step
# ---------------------------------------------------------------------------

#: Swaps staging/ into site/ with the real writers.swap_in, but SIGKILLs itself
#: the n-th time a rename or a removal is done (argv: root, n, exchange on/off).
SWAP_CHILD = r"""
import os, shutil, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from site_builder import writers
root, n, exchange = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
if not exchange:
    writers._exchange = lambda a, b: False
calls = [0]
def killing(real):
    def step(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return step
writers.os.replace = killing(os.replace)
writers.shutil.rmtree = killing(shutil.rmtree)
real_exchange = writers._exchange
writers._exchange = killing(real_exchange)
staging = next(root.glob(".site.new-*"))
writers.swap_in(staging, root / "site")
print("steps", calls[0])
"""


def _fake_site(folder: Path, content: str) -> None:
    for rel in ("index.html", "zh/index.html", "courses/a/index.html", "assets/x.css"):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{content} {rel}", encoding="utf-8")


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "two-renames"])
def test_a_kill_at_every_step_of_the_swap_keeps_a_complete_site(tmp_path, exchange):
    old_site, new_site = tmp_path / "old", tmp_path / "new"
    _fake_site(old_site, "old")
    _fake_site(new_site, "new")
    old, new = tree_digest(old_site), tree_digest(new_site)

    def attempt(n: int) -> subprocess.CompletedProcess:
        root = tmp_path / f"project-{n}"
        _fake_site(root / "site", "old")
        _fake_site(writers.staging_dir(root / "site"), "new")
        return subprocess.run([sys.executable, "-c", SWAP_CHILD, str(root), str(n),
                               "1" if exchange else "0", str(REPO)],
                              capture_output=True, text=True, timeout=60)

    finished = attempt(0)  # n = 0: never killed; how many steps a swap has
    assert finished.returncode == 0, finished.stderr
    steps = int(finished.stdout.split()[-1])
    assert steps >= 4
    for n in range(1, steps + 1):
        run = attempt(n)
        assert run.returncode == -signal.SIGKILL, (n, run.stderr)
        root = tmp_path / f"project-{n}"
        if exchange:  # site/ is never missing, nor half swapped
            assert tree_digest(root / "site") in (old, new), n
        writers.recover(root / "site")  # what the next build does first
        assert tree_digest(root / "site") in (old, new), n
        assert leftovers(root) == [], n


# ---------------------------------------------------------------------------
# `new` never overwrites, never writes outside courses/
# ---------------------------------------------------------------------------

def _new(root: Path, course_id: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "new", course_id,
                           "--category", "optoelectronics"], capture_output=True, text=True, timeout=60)


def test_new_never_overwrites_an_existing_course(tmp_path):
    root = make_project(tmp_path / "project")
    before = tree_digest(root / "courses")
    run = _new(root, "photonics-technology")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "courses/photonics-technology.yml already exists" in run.stderr
    assert "no file was written" in run.stderr
    assert tree_digest(root / "courses") == before


def test_new_refuses_ids_that_leave_the_folder_and_links(tmp_path):
    root = make_project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    # A link with the new id's name, pointing outside (it dangles: the file does not exist yet).
    (root / "courses" / "linked-course.yml").symlink_to(outside / "target.yml")
    before = tree_digest(root / "courses")
    for course_id in ("../../escaped", "..", "a/b", "/tmp/x", "Upper", "linked-course"):
        run = _new(root, course_id)
        assert run.returncode == 1, course_id
        assert "Traceback" not in run.stderr and "no file was written" in run.stderr, run.stderr
    assert tree_digest(root / "courses") == before
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escaped.yml").exists() and not (root / "escaped.yml").exists()
