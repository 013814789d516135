"""Every entry under courses/ that looks like a course file is read, or gets a
located one-line message: never a traceback, never a hang (issue: every way
into courses/)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PYTHON, make_project


def check(root, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "site_builder", "--root", str(root), "check"],
                          capture_output=True, text=True, timeout=timeout)


def only_line(run, name: str) -> str:
    lines = [line for line in run.stderr.splitlines() if line.startswith(f"courses/{name}:")]
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    return lines[0]


@pytest.fixture
def courses(project):
    return project / "courses"


@pytest.mark.parametrize("make, name, message", [
    (lambda c: (os.symlink("loop-b.yml", c / "loop-a.yml"), os.symlink("loop-a.yml", c / "loop-b.yml")),
     "loop-a.yml", "a link that loops"),
    (lambda c: os.symlink("missing.yml", c / "dangling.yml"), "dangling.yml",
     "a link to nothing (its target does not exist)"),
    (lambda c: os.symlink("/etc/hostname", c / "outside.yml"), "outside.yml",
     "a link to a file outside courses/"),
    (lambda c: (c / "folder.yml").mkdir(), "folder.yml", "a folder"),
    (lambda c: os.mkfifo(c / "pipe.yml"), "pipe.yml", "a FIFO (named pipe)"),
    (lambda c: socket.socket(socket.AF_UNIX).bind(str(c / "sock.yml")), "sock.yml", "a socket"),
])
def test_each_kind_of_entry_gets_its_message(project, courses, make, name, message):
    make(courses)
    run = check(project)  # a FIFO opened for reading would block: the timeout fails the test
    assert run.returncode == 1
    assert only_line(run, name) == f"courses/{name}:1:1: {message}; expected " + (
        "a regular file inside courses/" if "outside" in name else
        "a course file <id>.yml (a folder is not one)" if name == "folder.yml" else
        "a regular, readable YAML file inside courses/")


def test_a_device_is_never_opened(project, courses):
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(courses / "device.yml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero: endless
    run = check(project)
    assert run.returncode == 1
    assert "a device; expected" in only_line(run, "device.yml")


def test_a_name_that_is_not_utf8(project, courses):
    name = os.fsdecode(b"bad-\xff.yml")
    (courses / name).write_text("id: x\n", encoding="utf-8")
    run = check(project)
    assert run.returncode == 1
    line = only_line(run, "bad-\\udcff.yml")
    assert line.endswith("a file name that is not valid UTF-8; expected a file name in UTF-8: <id>.yml")


def test_a_file_without_read_permission(tmp_path):
    import shutil
    import tempfile

    env = None
    if os.geteuid() == 0:  # root reads anything: the check runs as nobody, in a folder it may enter
        if not shutil.which("setpriv"):
            pytest.skip("setpriv (util-linux) is needed to drop root for this test")
        place = Path(tempfile.mkdtemp(prefix="unreadable-", dir="/tmp"))
        env = dict(os.environ, HOME=str(place))
    else:
        place = tmp_path
    try:
        project = make_project(place / "project")
        if os.geteuid() == 0:
            for path in [place, *place.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o004 | (0o001 if path.is_dir() else 0))
        target = project / "courses" / "laser-processing.yml"
        target.chmod(0)
        command = [PYTHON, "-m", "site_builder", "--root", str(project), "check"]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        run = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    finally:
        if place != tmp_path:
            shutil.rmtree(place, ignore_errors=True)
    assert run.returncode == 1, run.stderr
    assert only_line(run, "laser-processing.yml").startswith(
        "courses/laser-processing.yml:1:1: a file without read permission")


def test_a_file_that_vanishes_while_it_is_read(project, monkeypatch):
    """Listed, then gone before it is opened: a located message, as from the loader."""
    from site_builder import readers
    from site_builder.loader import LoadError, load_file

    target = project / "courses" / "laser-processing.yml"

    def vanish(path, display):
        if path == target:
            path.unlink()
        return load_file(path, display)

    monkeypatch.setattr(readers, "load_file", vanish)
    catalog, problems = readers.read_catalog(project)
    messages = [p.format() for p in problems.errors]
    assert "courses/laser-processing.yml:1:1: a file that vanished while it was read; " \
           "expected a file that stays in place during the build" in messages


def test_a_file_replaced_by_a_fifo_is_not_waited_for(tmp_path):
    from site_builder.loader import LoadError, load_file

    fifo = tmp_path / "x.yml"
    os.mkfifo(fifo)
    with pytest.raises(LoadError) as caught:
        load_file(fifo, "courses/x.yml")  # a plain open would block here
    assert "not a regular file" in str(caught.value.problem.found)
