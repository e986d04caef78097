"""Markdown for entry bodies and pages: CommonMark, no raw HTML, only safe link targets."""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def safe_link(url: str) -> bool:
    """Only http(s), mailto and tel links, plus links within the site (/path, #anchor)."""
    lowered = url.strip().lower()
    if lowered.startswith(SAFE_SCHEMES):
        return True
    return lowered.startswith(("/", "#")) and not lowered.startswith("//")


def external_rel(self, tokens, idx, options, env):
    """Links that leave the site carry rel=noopener noreferrer: no referrer, no window handle."""
    href = tokens[idx].attrGet("href") or ""
    if href.startswith(("http://", "https://")):
        tokens[idx].attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = safe_link
    md.add_render_rule("link_open", external_rel)
    return md


PARSER = make_parser()


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Markdown to HTML; the same text is only rendered once per process."""
    return PARSER.render(text) if text.strip() else ""
