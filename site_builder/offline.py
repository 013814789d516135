"""The offline copy: the whole catalog as a zip that works from a folder.

Learners on costly or intermittent links download it once from the home page
and browse, search and print with no connection (file://).  It is a second
MkDocs build with Material's offline plugin (file URLs, search index inlined
as a script) from pages generated for file URLs, zipped deterministically.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from . import writers
from .generators import render_pages

log = logging.getLogger(__name__)

#: Where the zip lands in the published site.
DOWNLOAD = "downloads/catalog-offline.zip"
#: Folder (under the project) for the offline build's generated pages.
WORK_DIR = "build/offline"
#: Top folder inside the zip.
ZIP_FOLDER = "catalog"


def build_offline(root: Path, catalog, *, site_url: str, into: Path) -> bool:
    """Build the offline copy and write it as ``into/DOWNLOAD``; False on failure."""
    from . import mkdocs_glue

    work = root / WORK_DIR
    docs = work / "docs"
    writers.write_pages(docs, render_pages(catalog, directory_urls=False, site_url=site_url))
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="site-", dir=work))
    try:
        if not mkdocs_glue.build(root, tmp, pregenerated=True, catalog=catalog,
                                 offline=True, docs_dir=docs):
            return False
        zip_tree(tmp, into / DOWNLOAD, ZIP_FOLDER)
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def zip_tree(folder: Path, target: Path, top: str) -> None:
    """Zip ``folder`` as ``top/...``: sorted entries, fixed dates, fixed modes,
    so the same site gives the same bytes."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix == ".map":
                continue  # source maps: for developers, not readers
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
