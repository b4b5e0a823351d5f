"""The forms of a rendered page as a browser would submit them: read from the HTML, so that a test can
post what a person would, or change it field by field."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # The submit buttons that have a name: (name, value), one of which a browser adds.
    buttons: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None  # name, whether an option was selected
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(action=attrs.get("action") or "", method=(attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("name") and (attrs.get("type") or "submit") == "submit":
            self._form.buttons.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and attrs.get("name"):
            self._select, self._first_option = (attrs["name"], False), None
            self._note(attrs["name"])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._form.fields.append((self._select[0], value))
                self._select = (self._select[0], True)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea, self._text = attrs["name"], []
            self._note(attrs["name"])

    def _input(self, attrs):
        name, kind = attrs.get("name"), (attrs.get("type") or "text").lower()
        if not name or "__prefix__" in name:
            return
        if kind in ("submit", "image"):
            self._form.buttons.append((name, attrs.get("value") or ""))
            return
        self._note(name)
        if kind == "file" or (kind in ("checkbox", "radio") and "checked" not in attrs):
            return
        default = "on" if kind in ("checkbox", "radio") else ""
        self._form.fields.append((name, attrs.get("value", default)))

    def _note(self, name):
        if name not in self._form.names and "__prefix__" not in name:
            self._form.names.append(name)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            name, chosen = self._select
            if not chosen and self._first_option is not None:
                self._form.fields.append((name, self._first_option))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if "__prefix__" not in self._textarea:
                # A newline right after <textarea> is not part of the value.
                self._form.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def main_form(html: str, form_id: str | None = None) -> Form:
    """The page's POST form whose action contains `form_id`, or else its largest one (not, say, the
    sign-out button of the header)."""
    candidates = [f for f in forms_of(html) if f.method == "post" and (form_id is None or form_id in f.action)]
    assert candidates, f"no POST form{f' for {form_id}' if form_id else ''} on the page"
    return max(candidates, key=lambda form: len(form.names))


def form_data(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The fields the page's main POST form submits as it stands (see `main_form`)."""
    return main_form(html, form_id).fields
