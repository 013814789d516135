"""MkDocs hooks file (see ``hooks:`` in mkdocs.yml); the logic is in mkdocs_glue."""

from site_builder.mkdocs_glue import on_config, on_serve  # noqa: F401
