"""MkDocs hooks: repository links, and Sphinx roles in docstrings.

Links from docs/ to the repository's own files point at the repository. Pages
link to scripts and examples with relative paths (``../examples/x.py``) so that
they work when browsing the repository; the site has no such files, so at build
time those links become links into ``repo_url``. A link to a file
that does not exist is left alone, and ``mkdocs build --strict`` reports it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_OUTSIDE_DOCS = re.compile(r"\]\(\.\./([^)#\s]+)(#[^)\s]*)?\)")
# Docstrings written for Sphinx say :func:`name`; Markdown renders that as
# ":func:" followed by code. The role is noise on the site: keep the code.
_SPHINX_ROLE = re.compile(r":(?:func|class|mod|data|meth|attr|exc|obj):(<code>)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Rewrite ``](../path)`` links to files of the repository as links to ``repo_url``."""
    root = Path(config["docs_dir"]).parent
    repo = str(config.get("repo_url") or "").rstrip("/")
    if not repo:
        return markdown
    page_dir = Path(page.file.src_path).parent

    def rewrite(match: re.Match[str]) -> str:
        # Only pages at the top of docs/ reach the repository root with one "../".
        if page_dir != Path("."):
            return match[0]
        target = match[1]
        if not (root / target).exists():
            return match[0]
        kind = "tree" if (root / target).is_dir() else "blob"
        return f"]({repo}/{kind}/main/{target}{match[2] or ''})"

    return _OUTSIDE_DOCS.sub(rewrite, markdown)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Drop the Sphinx role before inline code rendered from a docstring (``:func:`x```)."""
    return _SPHINX_ROLE.sub(r"\1", html)
