"""Faults while writing: a full disk in any process of the build leaves the last
good site/ as it was, and the next build recovers without manual cleanup."""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import subprocess
import zipfile

from conftest import PYTHON, make_project

from site_builder.pipeline import build


def tree(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(project):
    path = project / "courses" / "laser-processing.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Laser Processing Technology",
                                                             "Laser Processing Technology (new)", 1),
                    encoding="utf-8")


def test_a_full_disk_in_the_language_builds_keeps_the_site(project):
    """Every process of the build may write at most 200 kB per file (RLIMIT_FSIZE:
    writes past it fail as on a full disk); the theme's larger files cannot be written."""
    assert build(project) == 0
    good = tree(project / "site")
    edit(project)

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    run = subprocess.run([PYTHON, "-m", "site_builder", "--root", str(project), "build"],
                         preexec_fn=limit, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "File too large" in run.stderr and "site/ is unchanged" in run.stderr
    assert tree(project / "site") == good
    # The next build, with room again, recovers on its own.
    assert build(project) == 0
    assert "Laser Processing Technology (new)" in (project / "site/courses/laser-processing/index.html").read_text(encoding="utf-8")
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_a_full_disk_while_zipping_keeps_the_site(project, monkeypatch):
    assert build(project) == 0
    good = tree(project / "site")
    edit(project)

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(zipfile.ZipFile, "writestr", full)
        assert build(project) == 1
    assert tree(project / "site") == good
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]
    assert build(project) == 0
