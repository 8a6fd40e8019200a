"""Server-side sanitizing of article bodies (rich text from the editor).

An allowlist of what the editor produces; everything else is removed. The body
is rendered unescaped on reader pages, so this runs on every save.
"""

import re
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "img", "figure", "figcaption", "blockquote", "cite", "ul", "ol", "li",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr", "iframe",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "blockquote": {"cite"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}

# The only classes a body may carry: the editor's captioned image, "figure" as
# configured (CKEDITOR_CONFIGS image2_captionedClass), "image" as it was before.
# Any other class, pasted with the text, could put the site's own styles
# (the header, the cover, a button) on the body's elements.
ALLOWED_CLASSES = {"figure": {"figure", "image"}}

# Addresses nh3 leaves unchecked (it checks href and src): http(s) only, never
# javascript:, data:, mailto: or a relative one.
WEB_ADDRESS_ATTRIBUTES = {("blockquote", "cite")}

# Embedded video is allowed from these players only.
VIDEO_EMBED = re.compile(
    r"^https://(www\.youtube-nocookie\.com|www\.youtube\.com)/embed/[\w-]+(\?[\w=&;-]*)?$"
)

# Tags removed with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = {"script", "style", "template", "noscript", "object", "embed", "svg", "math"}

_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>\s*</iframe>")


def _is_web_address(value: str) -> bool:
    # urlsplit() drops leading spaces and control characters and the tabs and
    # line breaks inside, as browsers do: " java\tscript:" is javascript:.
    parts = urlsplit(value)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if VIDEO_EMBED.match(value) else None
    if (tag, attribute) in WEB_ADDRESS_ATTRIBUTES:
        return value if _is_web_address(value) else None
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
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An iframe whose source was refused is dropped rather than left empty.
    return _EMPTY_IFRAME.sub("", cleaned)
