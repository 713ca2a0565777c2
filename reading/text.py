"""Text helpers: ISBN check digits, book-title normalization for the tally, safe markdown."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# --- ISBN -----------------------------------------------------------------------------------


def clean_isbn(raw: str) -> str:
    """Digits (and a final X) only: '978-7-5080-4939-1' -> '9787508049391'."""
    return re.sub(r"[\s\-‐‑–—－]", "", unicodedata.normalize("NFKC", raw or "")).upper()


def isbn_is_valid(raw: str) -> bool:
    isbn = clean_isbn(raw)
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", isbn):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(isbn))
        return total % 10 == 0
    return False


def isbn13(raw: str) -> str:
    """The ISBN-13 form of a valid ISBN, so that the 10- and 13-digit forms group together."""
    isbn = clean_isbn(raw)
    if len(isbn) == 13:
        return isbn
    core = "978" + isbn[:9]
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


# --- Normalizing titles and authors ------------------------------------------------------------

# Role words after an author's name ("李开复 著"), and nationality marks like "（美）".
_AUTHOR_ROLE = re.compile(r"(编著|主编|编|著|译)$")
_NATIONALITY = re.compile(r"^[\[(（〔【][^\])）〕】]{1,4}[\])）〕】]")


def normalize_text(value: str) -> str:
    """Case-, width-, space- and punctuation-blind key: '《责任 胜于能力》' == '责任胜于能力'."""
    value = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in value if unicodedata.category(ch)[0] not in {"P", "S", "Z", "C"})


def normalize_author(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").strip()
    value = _NATIONALITY.sub("", value)
    value = normalize_text(value)
    return _AUTHOR_ROLE.sub("", value)


# --- Limited markdown, sanitized ----------------------------------------------------------------

# Headings are shifted down to h3/h4 (see _shift_headings): the page's own h1/h2 stay above them.
ALLOWED_TAGS = {
    *("p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code", "hr", "h3", "h4"),
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https"}


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
    # Raw HTML in the text is shown as text, never passed on as markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_BULLET = re.compile(r"^\s{0,3}[-*+]\s")
_NUMBERED = re.compile(r"^\s{0,3}\d+[.)]\s")
_BLOCK_START = re.compile(r"^\s{0,3}([-*+]\s|\d+[.)]\s|>|#{1,6}\s)")
# A Chinese keyboard types the full-width ＞ and ＃ at the start of a line.
_FULL_WIDTH_MARK = re.compile(r"^(\s{0,3})([＞＃]+)", re.MULTILINE)


def _kind(line: str) -> str:
    if _BULLET.match(line):
        return "ul"
    if _NUMBERED.match(line):
        return "ol"
    return "block" if _BLOCK_START.match(line) else ""


def _loosen_blocks(text: str) -> str:
    """People start a list, a quote or a heading right under a line of text (or switch from a - list
    to a 1. list); markdown wants a blank line between them."""
    text = _FULL_WIDTH_MARK.sub(
        lambda m: m.group(1) + m.group(2).replace("＞", ">").replace("＃", "#"), text
    )
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        kind, before = _kind(line), _kind(out[-1]) if out else ""
        if out and out[-1].strip() and kind and (not before or {kind, before} == {"ul", "ol"}):
            out.append("")
        out.append(line)
    return "\n".join(out)


def _shift_headings(html: str) -> str:
    """# and ## become h3, deeper ones h4: a post sits under the page's h1 and its own h2."""
    return re.sub(
        r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{3 if m.group(2) in '12' else 4}>", html
    )


def render_markdown(text: str) -> SafeString:
    """Paragraphs, **bold**, *italic*, lists, quotes and http(s) links; everything else escaped."""
    return mark_safe(_rendered(text or ""))  # noqa: S308 - sanitized by nh3 (_rendered)


@lru_cache(maxsize=1024)
def _rendered(text: str) -> str:
    """The sanitized HTML of a text, kept for the texts shown most (a post is read far more often
    than it is written; rendering one took about 1 ms). The text itself is the key: an edited
    post is a new text, so nothing is ever stale."""
    html = _shift_headings(_markdown().convert(_loosen_blocks(text)))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def plain_excerpt(text: str, length: int = 120) -> str:
    """A short plain-text preview (markdown marks stripped), for lists and the 宣传 page."""
    # List markers and heading/quote marks at the start of a line go first, then inline marks.
    flat = re.sub(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|[>＞#＃]+\s*)", "", text or "", flags=re.MULTILINE)
    flat = re.sub(r"[*_`>#\[\]]", "", flat)
    flat = re.sub(r"\(https?://[^)]*\)", "", flat)
    flat = re.sub(r"\s+", " ", flat).strip()
    return flat if len(flat) <= length else flat[:length].rstrip() + "…"
