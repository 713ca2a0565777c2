"""Generic form filling: find every form a persona is offered, fill its text with hostile input.

Data-driven from the URL matrix (tests/test_url_matrix.py): a page added by any app, with its
entry in tests/<app>/matrix.py, is covered without touching this file.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from config.idempotency import FIELD as ONCE_FIELD
from config.idempotency import new_token
from tests.test_url_matrix import ADMIN_ENTRY, _expected, _matrices

from .htmlcheck import Field, Form, parse_forms, unsafe_markup

ROLES = ("staff", "member", "leader", "secretary")  # least privileged first
# Pages with their own test: the first-run form needs an empty database, the login and password
# forms take no stored text.
SPECIAL = {"setup", "login", "logout", "password_change"}
MAX_ROUNDS = 6
_uid = itertools.count(1)


def tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def pattern_urls(ctx: dict) -> tuple[dict[str, str], set[str]]:
    """Every URL name of the matrix (admin excluded), reversed with the matrix's arguments,
    and the names that take arguments (pages of one object)."""
    kwargs: dict = {}
    for module in _matrices():
        kwargs.update(module.url_kwargs(ctx))
    urls = {
        name: reverse(name, kwargs=kwargs.get(name))
        for name in sorted(_expected())
        if name != ADMIN_ENTRY
    }
    return urls, {name for name in urls if kwargs.get(name)}


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@dataclass
class Target:
    """One form to fill: the page it is on, who sees it, and how it is built."""

    name: str
    url: str
    role: str
    form: Form
    has_kwargs: bool
    known: dict[str, int | str] = field(default_factory=dict)  # fallbacks that passed before
    read: set[str] = field(default_factory=set)  # result pages read already
    unsaved_in_a_row: int = 0  # a form that can no longer save (e.g. one pledge per standard)
    unmarked: int = 0  # answers with a field error but no field marked invalid

    @property
    def action(self) -> str:
        return urljoin(self.url, self.form.action) if self.form.action else self.url

    @property
    def label(self) -> str:
        return f"{self.name} as {self.role} ({self.form.method.upper()})"


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    # no-argument pages each role can read: where list-type pages show stored text
    list_pages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    all_pages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _form_key(form: Form) -> tuple:
    return (form.method, tuple(sorted(f.name for f in form.text_fields)))


def discover(
    clients: dict[str, Client], urls: dict[str, str], names_with_kwargs: set[str]
) -> Discovery:
    found = Discovery()
    seen: set[tuple] = set()
    for name, url in urls.items():
        if name in SPECIAL:
            continue
        for role in ROLES:
            response = clients[role].get(url)
            if response.status_code != 200 or not is_html(response):
                continue
            found.all_pages[role].append(url)
            if name not in names_with_kwargs:
                found.list_pages[role].append(url)
            for form in parse_forms(response.content.decode()):
                action = urljoin(url, form.action) if form.action else url
                if urlsplit(action).path != urlsplit(url).path or not form.text_fields:
                    continue
                key = (url, *_form_key(form))
                if key in seen:  # the least privileged role that can use it fills it
                    continue
                seen.add(key)
                found.targets.append(Target(name, url, role, form, name in names_with_kwargs))
    return found


# --- Filling ----------------------------------------------------------------------------------


def _text_candidates(f: Field, payload: str, known: int | str | None) -> list[str]:
    """The payload first; then, if the server refuses it, values that pass common validators
    (starting with the kind that passed last time: `known`)."""
    n = next(_uid)
    values = [payload]
    if f.maxlength and len(payload) > f.maxlength:
        values.append(payload[: f.maxlength])
    fallbacks = [f"hx{n}", f"139{n % 10**8:08d}", f"https://example.com/{n}", f"hx{n}@example.com"]
    if known is not None:
        values.append(fallbacks[known] if isinstance(known, int) else known)
    values += fallbacks
    values += ["2011-05-16", "1", f.value]
    return values


_OTHER_FALLBACKS = {
    # dates: see Filler._date (each later field a later date: start before end)
    "time": ["09:00"],
    "month": ["2011-05"],
    "number": ["1", "0", "5"],
    "range": ["1"],
    "password": ["Hx-strong-pass-2011!"],
    "hidden": [],
}


class Filler:
    """Builds the POST data for one payload; `refuse(names)` moves those fields to a fallback."""

    def __init__(self, form: Form, payload: str, known: dict[str, int | str] | None = None) -> None:
        self.form = form
        self.payload = payload
        self.step: dict[str, int] = defaultdict(int)
        known = known or {}
        self.text = {
            f.name: _text_candidates(f, payload, known.get(f.name)) for f in form.text_fields
        }
        # A one-time form token (config/idempotency.py) per payload, as a fresh page view would
        # issue: the server accepts any well-formed token it has not seen.
        self.once = new_token()
        dated = [f.name for f in form.fields if f.type in {"date", "datetime-local"}]
        self.date_order = {name: i for i, name in enumerate(dict.fromkeys(dated))}
        # how many leading candidates are the payload itself (whole, then cut to maxlength)
        self.carrying = {
            f.name: 2 if f.maxlength and len(payload) > f.maxlength else 1 for f in form.text_fields
        }

    def refuse(self, names: Iterable[str]) -> None:
        for name in names:
            self.step[name] += 1

    def fallbacks_used(self) -> dict[str, int | str]:
        """For refused text fields, which fallback passed (index into the generic ones)."""
        out: dict[str, int | str] = {}
        for name, choices in self.text.items():
            step = self.step[name]
            if step >= self.carrying[name]:
                value = choices[min(step, len(choices) - 1)]
                kinds = ("hx", "139", "https://", "@")
                index = next((i for i, k in enumerate(kinds) if k in value), None)
                out[name] = index if index is not None and value[:3] != "201" else value
        return out

    def stored_payload_in(self) -> list[str]:
        """Text fields that currently carry the payload (whole or truncated)."""
        return [name for name in self.text if self.step[name] < self.carrying[name]]

    def data(self) -> dict[str, object]:
        out: dict[str, list] = defaultdict(list)
        groups: dict[str, list[Field]] = defaultdict(list)
        for f in self.form.fields:
            groups[f.name].append(f)
        for name, fields in groups.items():
            first = fields[0]
            step = self.step[name]
            if first.is_text:
                choices = self.text[name]
                out[name].append(choices[min(step, len(choices) - 1)])
            elif first.tag == "select":
                options = [v for v, _ in first.options if v != ""]
                selected = [v for v, s in first.options if s]
                if first.multiple:
                    out[name] = selected or (options[:1] if step else [])
                else:
                    # what a person leaves (the selected or first real option), then the others
                    start = selected[:1] or options[:1]
                    candidates = start + [o for o in options if o not in start]
                    if candidates:
                        out[name] = [candidates[min(step, len(candidates) - 1)]]
            elif first.type in {"checkbox", "radio"}:
                checked = [f.value for f in fields if f.checked]
                if step:
                    extra = fields[min(step - 1, len(fields) - 1)].value
                    checked = sorted({*checked, extra}) if first.type == "checkbox" else [extra]
                out[name] = checked
            elif first.type == "file":
                if "image" in first.accept or not first.accept:
                    out[name] = [SimpleUploadedFile("x.png", tiny_png(), "image/png")]
            elif first.type in {"date", "datetime-local"}:
                value = first.value
                if step:
                    day = dt.date(2011, 5, 16) + dt.timedelta(days=20 * self.date_order[name])
                    value = day.isoformat() + ("T09:00" if first.type != "date" else "")
                out[name] = [value]
            elif first.type not in {"submit", "button", "reset", "image"}:
                fallbacks = _OTHER_FALLBACKS.get(first.type, ["1"])
                value = first.value
                if step and fallbacks:
                    value = fallbacks[min(step - 1, len(fallbacks) - 1)]
                out[name] = [value] * len(fields)
        if ONCE_FIELD in out:
            out[ONCE_FIELD] = [self.once]
        if self.form.submit:
            out[self.form.submit[0]].append(self.form.submit[1])
        return {k: v if len(v) != 1 else v[0] for k, v in out.items() if v}


Check = Callable[[str, str], None]


def check_response(response, where: str, problems: list[str]) -> None:
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    if response.status_code == 200 and is_html(response):
        for problem in unsafe_markup(response.content.decode()):
            problems.append(f"{where}: {problem}")


def _same_form(forms: list[Form], target: Target) -> Form | None:
    key = _form_key(target.form)
    for form in forms:
        if _form_key(form) == key:
            return form
    return None


@dataclass
class Stats:
    posts: int = 0
    stored: int = 0  # POSTs that redirected (saved) with the payload in at least one field
    refused: int = 0  # payloads the form refused in every text field
    fields: set[str] = field(default_factory=set)


def _submit(client: Client, target: Target, payload: str, *, problems: list[str], stats: Stats):
    """POST one payload into every text field at once; retry refused fields with valid values."""
    form = target.form
    filler = Filler(form, payload, target.known)
    label = f"{target.label} payload {payload[:40]!r}"
    if form.method == "get":
        query = {k: v for k, v in filler.data().items() if isinstance(v, str)}
        response = client.get(target.url + "?" + urlencode(query))
        stats.posts += 1
        check_response(response, label, problems)
        return response, filler, label
    # A form that keeps refusing everything (saturated) still gets each payload once, to see its
    # error page, and one retry.
    rounds = 2 if target.unsaved_in_a_row >= 3 else MAX_ROUNDS
    sent = None
    for _round in range(rounds):
        data = filler.data()
        if data == sent:  # no fallback left to try
            break
        sent = data
        response = client.post(target.action, data)
        stats.posts += 1
        check_response(response, label, problems)
        if response.status_code != 200:
            break
        html = response.content.decode()
        again = _same_form(parse_forms(html), target)
        invalid = again.invalid_names() if again else set()
        if not invalid:
            if again is not None and "invalid-feedback" in html:
                # A field's error shown with no field marked invalid: neither the filler nor a
                # screen reader can tell which control it belongs to.
                target.unmarked += 1
            break
        filler.refuse(invalid)
    if response.status_code in {301, 302, 303}:
        target.known.update(filler.fallbacks_used())
        target.unsaved_in_a_row = 0
    else:
        target.unsaved_in_a_row += 1
    return response, filler, label


def _redirected(response) -> str | None:
    if response.status_code in {301, 302, 303}:
        location = response["Location"]
        return None if urlsplit(location).netloc else location
    return None


def fill_with(
    client: Client,
    target: Target,
    payload: str,
    *,
    problems: list[str],
    stats: Stats,
) -> None:
    """Submit one payload, then read back the page the form led to.

    An edit form overwrites one record, so its result page is read after every payload. A create
    form's records stay: a result page shared by all of them (a list) is read once here and
    everything again at the end (crawl); a page of its own (the new record's) is read every time.
    """
    response, filler, label = _submit(client, target, payload, problems=problems, stats=stats)
    location = _redirected(response)
    if location is None:
        return
    carried = filler.stored_payload_in()
    if carried:
        stats.stored += 1
        stats.fields |= {f"{target.name}.{name}" for name in carried}
    else:
        stats.refused += 1
    if target.has_kwargs or location not in target.read:
        target.read.add(location)
        check_response(client.get(location), f"{label} -> GET {location}", problems)


# --- Crawling ---------------------------------------------------------------------------------

KEEP_QUERY = {"page", "p"}


def _normalise(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None
    if parts.path.startswith(("/static/", "/media/", "/admin/")):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query) if k in KEEP_QUERY]
    return parts.path + (("?" + urlencode(query)) if query else "")


class _Links:
    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        self.hrefs: list[str] = []
        outer = self

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag == "a":
                    href = dict(attrs).get("href")
                    if href:
                        outer.hrefs.append(href)

        p = P()
        p.feed(html)
        p.close()


def crawl(
    client: Client,
    start: Iterable[str],
    *,
    limit: int,
    problems: list[str],
    who: str,
    pages: list[str] | None = None,
) -> int:
    """GET every page reachable by links from `start` (GET is safe here by convention);
    the HTML pages that answered 200 are appended to `pages` when given."""
    queue = list(dict.fromkeys(start))
    seen = set(queue)
    visited = 0
    while queue and visited < limit:
        url = queue.pop(0)
        response = client.get(url)
        visited += 1
        check_response(response, f"crawl as {who}: GET {url}", problems)
        if response.status_code != 200 or not is_html(response):
            continue
        if pages is not None:
            pages.append(url)
        for href in _Links(response.content.decode()).hrefs:
            nxt = _normalise(url, href)
            if nxt and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return visited
