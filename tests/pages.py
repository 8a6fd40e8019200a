"""Reading an HTML page as a person and their browser do: the text they read or
hear, the links offered, and what a form sends when a button is pressed."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

SILENT = {"script", "style"}
# Read aloud by screen readers, shown on hover or in an empty field.
SPOKEN = ("aria-label", "title", "placeholder", "alt")
BUTTONS = {"submit", "button", "reset", "image"}
# Django's boolean icons: their alt is the Python value ("True"), which no catalog reaches.
BOOLEAN_ICONS = ("/icon-yes.svg", "/icon-no.svg", "/icon-unknown.svg")
# The admin's header: on every admin page, beside the form a person fills.
LOGOUT_FORM = "logout-form"


@dataclass
class Form:
    """One ``<form>``: its attributes, the ``(name, value)`` pairs it sends as it
    stands, and its buttons."""

    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)


class Page(HTMLParser):
    """A page's spoken text, links, the fields a browser sends (name, value,
    hidden), its submit buttons, and each form's own."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.fields: list[tuple[str, str, bool]] = []
        self.buttons: list[dict[str, str]] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._silent = 0
        self._textarea: list | None = None
        self._select: dict | None = None
        self._option: list | None = None
        self._button: dict | None = None
        self.feed(html)
        self.close()

    def _send(self, name: str, value: str, hidden: bool = False) -> None:
        self.fields.append((name, value, hidden))
        if self._form is not None:
            self._form.fields.append((name, value))

    def _offer(self, button: dict[str, str]) -> None:
        self.buttons.append(button)
        if self._form is not None:
            self._form.buttons.append(button)

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
        # A disabled control is shown but never sent.
        name = "" if "disabled" in attrs else attrs.get("name", "")
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "input" and kind in BUTTONS:
            if attrs.get("value"):
                self.text.append(attrs["value"])
            self._offer({**attrs, "text": attrs.get("value", "")})
        elif tag == "input" and name and kind != "file":
            if kind in {"checkbox", "radio"} and "checked" in attrs:
                self._send(name, attrs.get("value") or "on")
            elif kind not in {"checkbox", "radio"}:
                self._send(name, attrs.get("value", ""), kind == "hidden")
        elif tag == "textarea" and name:
            self._textarea = [name]
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None and "disabled" not in attrs:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
            self._select["options"].append(self._option)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._button = {**attrs, "text": ""}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SILENT:
            self._silent -= 1

    def handle_endtag(self, tag):
        if tag in SILENT:
            self._silent -= 1
        elif tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea:
            name, *text = self._textarea
            self._send(name, "".join(text).removeprefix("\n"))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [option for option in options if option[1]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]  # a single choice with none selected sends its first
            for value, _, text in chosen:
                self._send(self._select["name"], " ".join(text.split()) if value is None else value)
            self._select = None
        elif tag == "button" and self._button is not None:
            self._button["text"] = " ".join(self._button["text"].split())
            self._offer(self._button)
            self._button = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.append(data)
            return
        if self._option is not None:
            self._option[2] += data
        if self._button is not None:
            self._button["text"] += data
        if not self._silent:
            self.text.append(data)

    def value(self, name: str) -> str | None:
        return next((value for field, value, _ in self.fields if field == name), None)

    def button(self, text: str) -> dict[str, str]:
        """The submit button a person presses by its label."""
        return next(button for button in self.buttons if button["text"] == text)

    def form_data(
        self, form_id: str | None = None, *, press: str | None = None, **typed
    ) -> dict[str, str | list[str]]:
        """What a browser sends for the form ``form_id``, or the one holding the
        button labelled ``press`` (its name and value sent too), else the page's one
        form besides the logout form, as the page holds it with ``typed`` typed in
        (a str, or a list for several values): each name's value, a list for a name
        sent more than once."""
        named = form_id is not None or press is not None

        def chosen(form: Form) -> bool:
            if not named:
                return form.attrs.get("id") != LOGOUT_FORM
            return (form_id is None or form.attrs.get("id") == form_id) and (
                press is None or any(button["text"] == press for button in form.buttons)
            )

        forms = [form for form in self.forms if chosen(form)]
        if not forms or (not named and len(forms) > 1):
            raise LookupError(f"{len(forms)} forms: name one (form_id) or its button (press)")
        form = forms[0]
        sent: dict[str, list[str]] = {}
        for name, value in form.fields:
            sent.setdefault(name, []).append(value)
        if press is not None:
            button = next(button for button in form.buttons if button["text"] == press)
            if button.get("name"):
                sent[button["name"]] = [*sent.get(button["name"], []), button.get("value", "")]
        sent.update({name: v if isinstance(v, list) else [v] for name, v in typed.items()})
        return {name: values[0] if len(values) == 1 else values for name, values in sent.items()}


def read(response) -> Page:
    return Page(response.content.decode())
