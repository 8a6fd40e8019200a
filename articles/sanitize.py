"""Server-side sanitizing of article bodies (rich text from the editor).

An allowlist of what the editor produces; everything else is removed. The body
is rendered unescaped on reader pages, so this runs on every save.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "img", "figure", "figcaption", "blockquote", "cite", "ul", "ol", "li",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr", "iframe",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "figure": {"class"},
    "blockquote": {"cite"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}

# Embedded video is allowed from these players only.
VIDEO_EMBED = re.compile(
    r"^https://(www\.youtube-nocookie\.com|www\.youtube\.com)/embed/[\w-]+(\?[\w=&;-]*)?$"
)

# Tags removed with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = {"script", "style", "template", "noscript", "object", "embed", "svg", "math"}

_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>\s*</iframe>")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if VIDEO_EMBED.match(value) else None
    if attribute in {"width", "height"}:
        return value if value.isdigit() else None
    return value


def sanitize_body(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An iframe whose source was refused is dropped rather than left empty.
    return _EMPTY_IFRAME.sub("", cleaned)
