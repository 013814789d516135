"""Project-wide settings: folders, limits, and the site's languages.

The languages are configured in one place, the ``languages`` of the i18n
plugin in ``mkdocs.yml``; :func:`site_languages` reads them from there (the
file as written, so a per-language build's ``build_only_locale`` does not
change which language is the site's default).  No MkDocs here.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Folder holding one YAML file per course.
COURSES_DIR = "courses"
#: Folder (inside COURSES_DIR) holding shared taxonomy data.
SHARED_DIR = "_shared"
#: Folder MkDocs reads the generated Markdown from (content never committed).
DOCS_DIR = "docs"
#: Folder of the published site.
SITE_DIR = "site"
#: Folder of what later builds reuse (segmented text, QR codes); never published.
CACHE_DIR = ".cache"
#: The MkDocs configuration file.
CONFIG_FILE = "mkdocs.yml"


class ConfigError(ValueError):
    """mkdocs.yml does not say which languages the site has."""


@dataclass(frozen=True)
class SiteLanguages:
    """The site's languages, in the order of mkdocs.yml."""

    #: Language codes (``en``, ``zh``), in order.
    codes: tuple[str, ...]
    #: The default language, served at the site's root.
    default: str
    #: Each language's name in itself, as the language switcher shows it.
    names: dict

    def __iter__(self):
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code) -> bool:
        return code in self.codes

    def others(self, code: str) -> list[str]:
        """Every language but ``code``, in order."""
        return [c for c in self.codes if c != code]

    def prefix(self, code: str) -> str:
        """The folder of a language in the site: "" for the default, else ``code/``."""
        return "" if code == self.default else f"{code}/"

    @staticmethod
    def english_name(code: str) -> str:
        """The language's name in English, for messages to authors ("Chinese")."""
        return _english_name(code)

    @staticmethod
    def name_in(code: str, lang: str) -> str:
        """The language ``code``'s name in the language ``lang`` (CLDR via Babel):
        "Chinese" on English pages, "英语" on Chinese ones."""
        return _name_in(code, lang)

    @staticmethod
    def script(code: str) -> str | None:
        """The script the language is usually written in, as an ISO 15924 code
        (CLDR's likely subtags: "Latn" for en and fr, "Hans" for zh), or None."""
        return _script(code)


@lru_cache(maxsize=64)
def _name_in(code: str, lang: str) -> str:
    try:
        from babel import Locale

        return Locale.parse(lang.replace("-", "_")).languages.get(code.split("-")[0]) or code
    except Exception:  # an unknown locale: the code itself
        return code


@lru_cache(maxsize=64)
def _script(code: str) -> str | None:
    try:
        from babel.core import get_global
    except ImportError:  # pragma: no cover - Babel is pinned
        return None
    tag = code.replace("-", "_")
    likely = get_global("likely_subtags").get(tag) or get_global("likely_subtags").get(tag.split("_")[0])
    parts = [p for p in (likely or "").split("_") if len(p) == 4 and p.istitle()]
    explicit = [p for p in tag.split("_") if len(p) == 4 and p.istitle()]
    return (explicit or parts or [None])[0]


@lru_cache(maxsize=64)
def _english_name(code: str) -> str:
    try:
        from babel import Locale

        return Locale.parse(code.replace("-", "_")).get_language_name("en") or code
    except (ImportError, ValueError, LookupError):
        return code


def site_languages(root: Path) -> SiteLanguages:
    """The languages configured in ``root/mkdocs.yml`` (the i18n plugin's list)."""
    path = Path(root) / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{CONFIG_FILE}: cannot be read ({exc.strerror or exc})") from None
    return _parse_languages(text)


@lru_cache(maxsize=16)
def _parse_languages(text: str) -> SiteLanguages:
    import yaml

    class Loader(yaml.SafeLoader):
        """mkdocs.yml with its tags (!ENV, !relative) read as plain values."""

    def plain(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", plain)
    try:
        config = yaml.load(text, Loader=Loader) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{CONFIG_FILE}: not valid YAML ({exc})") from None
    entries = None
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = (plugin["i18n"] or {}).get("languages")
    if not entries:
        raise ConfigError(f"{CONFIG_FILE}: plugins: i18n: languages: lists no language; "
                          "expected one entry (locale, name) per language of the site")
    codes, names, default = [], {}, None
    for entry in entries:
        code = str(entry.get("locale", ""))
        if not code or code in names:
            raise ConfigError(f"{CONFIG_FILE}: i18n languages: the locale {code!r} "
                              "(expected each language once)")
        codes.append(code)
        names[code] = str(entry.get("name") or code)
        if entry.get("default") and default is None:
            default = code
    return SiteLanguages(tuple(codes), default or codes[0], names)


#: The web editor's folder in the built site (site_builder/cms.py); never in the offline copy.
ADMIN_DIR = "admin"
#: The catalog's data feed at the site's root, its JSON Schema beside it, and
#: the version of its format: the minor number rises when fields are added
#: (1.1: each run's application), the major on any other change.
FEED_FILE = "catalog.json"
FEED_SCHEMA_FILE = "catalog.schema.json"
FEED_VERSION = "1.1"
#: The folder of each language's per-course and per-run calendars.
CALENDARS_DIR = "calendars"


def build_date(today=None) -> _dt.date:
    """The site's date: SOURCE_DATE_EPOCH's day (UTC) when set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.lstrip("-").isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    return today or _dt.datetime.now(_dt.timezone.utc).date()


def project_root() -> Path:
    """The folder holding mkdocs.yml (the current one, else the package's parent)."""
    here = Path.cwd()
    if (here / CONFIG_FILE).is_file():
        return here
    return Path(__file__).resolve().parent.parent
