"""Reading an HTML page as a person and their browser do: the text they read or
hear, the links offered, and what the page's form sends when a button is pressed."""

from html.parser import HTMLParser

SILENT = {"script", "style"}
# Read aloud by screen readers, shown on hover or in an empty field.
SPOKEN = ("aria-label", "title", "placeholder", "alt")
BUTTONS = {"submit", "button", "reset", "image"}
# Django's boolean icons: their alt is the Python value ("True"), which no catalog reaches.
BOOLEAN_ICONS = ("/icon-yes.svg", "/icon-no.svg", "/icon-unknown.svg")


class Page(HTMLParser):
    """A page's spoken text, links, form fields (name, value, hidden) and submit buttons."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.fields: list[tuple[str, str, bool]] = []
        self.buttons: list[dict[str, str]] = []
        self._silent = 0
        self._textarea: list | None = None
        self._select: str | None = None
        self._button: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag in SILENT:
            self._silent += 1
        boolean_icon = tag == "img" and attrs.get("src", "").endswith(BOOLEAN_ICONS)
        self.text += [
            attrs[name]
            for name in SPOKEN
            if attrs.get(name) and not (boolean_icon and name == "alt")
        ]
        kind = attrs.get("type", "text").lower()
        name = attrs.get("name", "")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "input" and kind in BUTTONS:
            if attrs.get("value"):
                self.text.append(attrs["value"])
            self.buttons.append({**attrs, "text": attrs.get("value", "")})
        elif tag == "input" and name and kind != "file":
            if kind in {"checkbox", "radio"} and "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on"), False))
            elif kind not in {"checkbox", "radio"}:
                self.fields.append((name, attrs.get("value", ""), kind == "hidden"))
        elif tag == "textarea" and name:
            self._textarea = [name]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", ""), False))
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._button = {**attrs, "text": ""}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SILENT:
            self._silent -= 1

    def handle_endtag(self, tag):
        if tag in SILENT:
            self._silent -= 1
        elif tag == "textarea" and self._textarea:
            name, *text = self._textarea
            self.fields.append((name, "".join(text).removeprefix("\n"), False))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "button" and self._button is not None:
            self._button["text"] = " ".join(self._button["text"].split())
            self.buttons.append(self._button)
            self._button = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.append(data)
            return
        if self._button is not None:
            self._button["text"] += data
        if not self._silent:
            self.text.append(data)

    def value(self, name: str) -> str | None:
        return next((value for field, value, _ in self.fields if field == name), None)

    def button(self, text: str) -> dict[str, str]:
        """The submit button a person presses by its label."""
        return next(button for button in self.buttons if button["text"] == text)

    def form_data(self, **overrides) -> dict[str, list[str]]:
        """What the form sends as the page holds it, with ``overrides`` typed in."""
        data: dict[str, list[str]] = {}
        for name, value, _ in self.fields:
            data.setdefault(name, []).append(value)
        data.update(
            {
                name: value if isinstance(value, list) else [value]
                for name, value in overrides.items()
            }
        )
        return data


def read(response) -> Page:
    return Page(response.content.decode())
