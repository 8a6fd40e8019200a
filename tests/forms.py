"""Reading a page's form as a browser would send it, to post it back changed."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    """What a browser sends for one form of a page: its fields as they stand."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None
        self._first_option = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id or (
                self.form_id is None and attrs.get("method", "").lower() == "post"
            )
        if not self.inside or "disabled" in attrs:
            return
        kind = attrs.get("type", "text").lower()
        if tag == "input" and attrs.get("name") and kind not in {"submit", "button", "file"}:
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._first_option = attrs.get("name"), None
            self._chosen, self._multiple = False, "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._first_option = value if self._first_option is None else self._first_option
            if "selected" in attrs:
                self.add(self._select, value)
                self._chosen = True
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._chosen and not self._multiple and self._first_option is not None:
                self.add(self._select, self._first_option)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.removeprefix("\n")


def form_data(response, form_id=None) -> dict:
    """The fields of the page's form ``form_id`` (else its first POST form)."""
    parser = _Form(form_id)
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
