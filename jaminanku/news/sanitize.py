"""Cleaning article bodies written by staff: basic formatting, links and images stay, scripts, event handlers and
`javascript:`/`data:` URLs go. Bodies are cleaned when saved and again when shown, so a row written around the
model (raw SQL, an old import) still cannot carry script to a reader."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "pre", "code",
    "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Relative URLs pass through (images served by the site itself); absolute ones must use one of these schemes.
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
IMAGE_SCHEMES = ("http://", "https://")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        # An image loads by itself, so only web addresses: no mailto:/tel:, no data: or other schemes.
        lowered = value.strip().lower()
        scheme = lowered.split(":", 1)[0] if ":" in lowered.split("/", 1)[0] else ""
        if scheme and not lowered.startswith(IMAGE_SCHEMES):
            return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes=LINK_SCHEMES,
    link_rel="noopener noreferrer",
)


def clean_body(html: str) -> str:
    """The article body with everything outside the allowed formatting removed."""
    return _cleaner.clean(html or "")
