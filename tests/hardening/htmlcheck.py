"""Reading our own HTML back: what a page may contain, and which forms it offers.

`unsafe_markup(html)` lists everything a browser could execute or follow off-site: a <script>
that is not one of our static files, an on* handler, a link whose scheme is not http(s),
frames, objects, <base>, meta refresh, inline style. `parse_forms(html)` returns the forms as a
browser would submit them, so that tests can fill them generically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings

URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "lowsrc",
    "ping",
    "longdesc",
    "manifest",
    "codebase",
}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math"}
SAFE_SCHEMES = {"http", "https"}
# A browser ignores ASCII whitespace and control characters inside a scheme ("java\tscript:").
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def link_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value, or None for a relative URL."""
    cleaned = _CONTROL.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


class _Checker(HTMLParser):
    def __init__(self, static_url: str) -> None:
        super().__init__(convert_charrefs=True)
        # Our static files, and the admin's translation catalogue (same origin, no user text).
        self.script_prefixes = (static_url, "/admin/jsi18n/")
        self.problems: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(f'{k}={v[:60]!r}' for k, v in values.items())}>"
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element {where}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"meta refresh {where}")
        if tag == "script":
            kind = values.get("type", "").lower()
            if kind == "application/json":
                self._in_script = "json"  # json_script data: never executed
            elif not values.get("src", "").startswith(self.script_prefixes):
                self.problems.append(f"script that is not one of our static files {where}")
                self._in_script = "foreign"
            else:
                self._in_script = "ours"
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name} in {where}")
            elif name in {"srcdoc", "style"}:
                self.problems.append(f"{name} attribute in {where}")
            elif name in URL_ATTRS or name == "srcset":
                scheme = link_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{scheme}: URL in {name} of {where}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script == "ours" and data.strip():
            self.problems.append(f"inline code inside our script tag: {data[:80]!r}")


def unsafe_markup(html: str) -> list[str]:
    checker = _Checker("/" + settings.STATIC_URL.lstrip("/"))
    checker.feed(html)
    checker.close()
    return checker.problems


# --- Forms ------------------------------------------------------------------------------------

TEXT_TYPES = {"text", "search", "email", "url", "tel"}
NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}


@dataclass
class Field:
    tag: str  # input, textarea, select
    name: str
    type: str = ""
    value: str = ""
    checked: bool = False
    maxlength: int | None = None
    accept: str = ""
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    multiple: bool = False
    id: str = ""
    invalid: bool = False

    @property
    def is_text(self) -> bool:
        return self.tag == "textarea" or (self.tag == "input" and self.type in TEXT_TYPES)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)
    submit: tuple[str, str] | None = None  # the first named submit button
    error_ids: set[str] = field(default_factory=set)

    @property
    def text_fields(self) -> list[Field]:
        return [f for f in self.fields if f.is_text]

    def invalid_names(self) -> set[str]:
        """Fields the server marked invalid (crispy: class is-invalid, or error_N_id_<id> div)."""
        names = {f.name for f in self.fields if f.invalid}
        for error_id in self.error_ids:
            for f in self.fields:
                if f.id and (f.id == error_id or f.id.startswith(error_id + "_")):
                    names.add(f.name)
        return names


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._error_ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if (eid := a.get("id", "")).startswith("error_"):
            match = re.match(r"error_\d+_(.+)$", eid)
            if match:
                self._error_ids.add(match.group(1))
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        if tag == "option":
            if self._select is not None:
                self._flush_option()
                self._option = [a.get("value"), "selected" in a, ""]
            return
        if not a.get("name"):
            return
        invalid = "is-invalid" in a.get("class", "").split()
        if tag == "input":
            kind = a.get("type", "text").lower() or "text"
            if kind in {"submit", "image"}:
                if form.submit is None:
                    form.submit = (a["name"], a.get("value", ""))
                return
            maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
            form.fields.append(
                Field(
                    "input",
                    a["name"],
                    type=kind,
                    value=a.get("value", "on" if kind in {"checkbox", "radio"} else ""),
                    checked="checked" in a,
                    maxlength=maxlength,
                    accept=a.get("accept", ""),
                    id=a.get("id", ""),
                    invalid=invalid,
                )
            )
        elif tag == "button" and a.get("type", "submit") == "submit":
            if form.submit is None:
                form.submit = (a["name"], a.get("value", ""))
        elif tag == "textarea":
            maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
            self._textarea = Field(
                "textarea", a["name"], maxlength=maxlength, id=a.get("id", ""), invalid=invalid
            )
            form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(
                "select", a["name"], multiple="multiple" in a, id=a.get("id", ""), invalid=invalid
            )
            form.fields.append(self._select)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self._form.error_ids = set(self._error_ids)
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML spec drops one newline right after <textarea>.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "option":
            self._flush_option()
        elif tag == "select":
            self._flush_option()
            self._select = None

    def _flush_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append((text.strip() if value is None else value, selected))
        self._option = None

    def close(self) -> None:
        super().close()
        for form in self.forms:
            form.error_ids |= self._error_ids


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
