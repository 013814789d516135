"""Bilingual course-catalog site generator: course YAML -> checked model -> static site."""

__version__ = "0.1.0"
