"""ISBN check digits, title normalization for the tally, and safe rendering of user text."""

import re

import pytest

from reading.text import (
    clean_isbn,
    isbn13,
    isbn_is_valid,
    normalize_author,
    normalize_text,
    plain_excerpt,
    render_markdown,
)


@pytest.mark.parametrize(
    "isbn",
    [
        "9780306406157",
        "978-0-306-40615-7",
        "0-306-40615-2",
        "0306406152",
        "7-111-12345-x",
        "９７８０３０６４０６１５７",
    ],
)
def test_valid_isbns_pass(isbn):
    assert isbn_is_valid(isbn)


@pytest.mark.parametrize(
    "isbn",
    ["9780306406158", "0-306-40615-3", "123", "97803064061", "abcdefghij", "9770306406157", ""],
)
def test_wrong_check_digits_and_shapes_fail(isbn):
    assert not isbn_is_valid(isbn)


def test_isbn10_and_isbn13_of_one_book_share_a_key():
    assert isbn13("0-306-40615-2") == isbn13("978-0-306-40615-7") == "9780306406157"
    assert clean_isbn(" 7-111-12345-x ") == "711112345X"


@pytest.mark.parametrize(
    "a, b",
    [
        ("《你在为谁工作》", "你在为谁工作"),
        ("你在为谁 工作", "你在为谁工作"),
        ("责任胜于能力！", "责任胜于能力"),
        ("“谁动了我的奶酪？”", "谁动了我的奶酪"),
        ("谁动了我的奶酪?", "谁动了我的奶酪？"),
        ("Who Moved My Cheese", "who moved my cheese"),
        ("细节，决定。成败", "细节决定成败"),
        ("ＡＢＣ书", "abc书"),
    ],
)
def test_titles_normalize_across_spaces_case_and_full_width_punctuation(a, b):
    assert normalize_text(a) == normalize_text(b)


def test_different_titles_stay_different():
    assert normalize_text("你在为谁工作") != normalize_text("你为谁工作")


@pytest.mark.parametrize(
    "a, b",
    [
        ("陈安之 著", "陈安之"),
        ("（美）阿尔伯特·哈伯德", "阿尔伯特 哈伯德"),
        ("[美]斯宾塞·约翰逊", "斯宾塞约翰逊"),
    ],
)
def test_authors_normalize_role_words_and_nationality(a, b):
    assert normalize_author(a) == normalize_author(b)


def test_markdown_keeps_paragraphs_and_simple_formatting():
    html = render_markdown("第一段**重点**和*强调*。\n\n第二段\n换行\n- 一\n- 二\n\n> 引用")
    assert "<p>第一段<strong>重点</strong>和<em>强调</em>。</p>" in html
    assert "<br>" in html
    assert "<li>一</li>" in html and "<blockquote>" in html


@pytest.mark.parametrize(
    "text, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ('<div onmouseover="x">悬停</div>', "<div"),
        ("[点我](javascript:alert(1))", "javascript:"),
        ("[点我](JaVaScRiPt:alert(1))", "avascript:"),
        ("[点我](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("![图](https://evil.example/x.png)", "<img"),
        ("<a href='https://ok.example'>raw link</a>", "<a href"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_no_raw_html_handlers_or_unsafe_links_survive(text, forbidden):
    html = render_markdown(text)
    assert forbidden.lower() not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html), "an on* handler inside a real tag"


def test_raw_html_is_shown_as_text_not_dropped():
    html = render_markdown("<script>alert(1)</script>")
    assert "&lt;script&gt;" in html


def test_only_http_and_https_links_keep_their_href():
    html = render_markdown(
        "[官网](https://www.example.com) [旧站](http://example.com) [邮件](mailto:a@b.c)"
    )
    assert 'href="https://www.example.com"' in html
    assert 'href="http://example.com"' in html
    assert "mailto:" not in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_plain_excerpt_strips_marks_and_shortens():
    assert plain_excerpt("**重点** [链接](https://x.cn)", 50) == "重点 链接"
    assert plain_excerpt("字" * 200, 10) == "字" * 10 + "…"
