"""The only module that talks to MkDocs: load the config, run a build, and the
event handlers that keep ``mkdocs serve`` in step with ``courses/``."""

from __future__ import annotations

import logging
import os
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, MkDocsException, PluginError  # noqa: E402
from mkdocs.plugins import BasePlugin  # noqa: E402

from .settings import COURSES_DIR  # noqa: E402

log = logging.getLogger(__name__)

#: Set while ``site_builder build`` runs MkDocs on pages it has already written.
PREGENERATED = False


def load(root: Path, site_dir: Path | None):
    """The project's MkDocs configuration (strict), optionally with another site_dir."""
    options = {"strict": True}
    if site_dir is not None:
        options["site_dir"] = str(site_dir)
    return load_config(str(root / "mkdocs.yml"), **options)


def quiet_third_parties() -> None:
    """jieba (used by Material's search for Chinese) logs its start-up on stderr."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a pinned dependency
        return
    jieba.setLogLevel(logging.WARNING)


def build(root: Path, site_dir: Path, *, pregenerated: bool) -> bool:
    """Run a strict MkDocs build into ``site_dir``; False (already logged) on failure."""
    from mkdocs.commands.build import build as mkdocs_build

    quiet_third_parties()

    global PREGENERATED
    PREGENERATED = pregenerated
    try:
        config = load(root, site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        return True
    except Abort as exc:
        log.error("MkDocs stopped: %s", exc)
    except (MkDocsException, PluginError) as exc:
        log.error("MkDocs failed: %s", exc)
    finally:
        PREGENERATED = False
    return False


def directory_urls(root: Path) -> bool | None:
    """use_directory_urls of the project's config; None (logged) if it is invalid."""
    try:
        return load(root, None).use_directory_urls
    except (Abort, MkDocsException) as exc:
        log.error("mkdocs.yml: %s", exc)
        return None


# ---------------------------------------------------------------------------
# The MkDocs plugin ``catalog`` (mkdocs.yml: plugins), a thin event layer
# ---------------------------------------------------------------------------

class CatalogPlugin(BasePlugin):
    """Generates the catalog pages and keeps ``mkdocs serve`` watching courses/."""

    def on_config(self, config):
        return on_config(config)

    def on_serve(self, server, config, builder):
        return on_serve(server, config, builder)


def on_config(config):
    """Generate the pages before MkDocs looks at the docs folder (serve, plain build)."""
    quiet_third_parties()
    if PREGENERATED:
        return config
    from .build import source_date_epoch
    from .generators import render_pages
    from .readers import read_catalog
    from .writers import write_pages

    root = Path(config.config_file_path).parent
    catalog, problems = read_catalog(root)
    problems.report()
    if problems.errors:
        raise PluginError(f"{len(problems.errors)} problem(s) in {COURSES_DIR}/; fix them and save again")
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(catalog))
    changed = write_pages(Path(config.docs_dir),
                          render_pages(catalog, directory_urls=config.use_directory_urls))
    if changed:
        log.info("course pages updated: %d file(s)", len(changed))
    return config


def on_serve(server, config, builder):
    """Rebuild the preview when a course file or a page template changes."""
    root = Path(config.config_file_path).parent
    server.watch(str(root / COURSES_DIR))
    server.watch(str(Path(__file__).parent / "templates"))
    return server
