"""What the browser tests share: logging in to the admin, screenshots, colours
and contrast (WCAG 2.x)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")


PASSWORD = "matkhau-123"  # tests.factories.make_staff


def log_in(page, user):
    """``user`` logs in through the admin's login page, as staff do."""
    page.goto(reverse("admin:login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


# Every screenshot taken in this process, so the page fixture knows whether a
# test saved one of its own.
saved: list[Path] = []


def screenshot(page, name: str) -> Path:
    """The whole page as a PNG in var/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    saved.append(path)
    return path


def parse_color(css: str) -> tuple[float, float, float, float]:
    """A computed CSS colour (``rgb(r, g, b)`` / ``rgba(r, g, b, a)``) as r, g, b, alpha."""
    match = _RGB.fullmatch(css.strip())
    if match is None:
        raise ValueError(f"not an sRGB colour: {css!r}")
    r, g, b, alpha = match.groups()
    if alpha is None:
        a = 1.0
    elif alpha.endswith("%"):
        a = float(alpha[:-1]) / 100
    else:
        a = float(alpha)
    return float(r), float(g), float(b), a


def over(top, bottom):
    """Colour ``top`` (with alpha) painted over the opaque colour ``bottom``."""
    r, g, b, a = top
    mixed = (a * c + (1 - a) * d for c, d in zip((r, g, b), bottom[:3], strict=True))
    return (*mixed, 1.0)


def relative_luminance(rgb) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0-255 channels)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground, background) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter luminance on top: 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


# The text colour of an element and the background colours behind it, nearest
# first, up to the first opaque one (the canvas is white when none is).
COLOURS_JS = """
(element) => {
  const backgrounds = [];
  for (let node = element; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== "none") return {error: "background image behind text"};
    backgrounds.push(style.backgroundColor);
  }
  return {color: getComputedStyle(element).color, backgrounds};
}
"""


def text_contrast(locator) -> float:
    """The contrast of an element's text against what is actually painted behind it."""
    found = locator.evaluate(COLOURS_JS)
    assert "error" not in found, found
    background = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(found["backgrounds"]):
        background = over(parse_color(layer), background)
    text = over(parse_color(found["color"]), background)
    return contrast_ratio(text, background)
