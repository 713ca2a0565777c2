"""宣传稿: the showcase of an activity as plain text to paste into the branch's chat group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .models import ReadingActivity, Reflection, Selection
from .text import plain_excerpt


def _post_lines(n: int, post: Reflection) -> list[str]:
    lines = [
        f"{n}. “{post.title}”——{post.author.full_name}"
        f"（{post.author.department or ''}，读{post.selection}）",
        f"推荐理由：{post.feature.reason.strip()}",
        f"内容摘要：{plain_excerpt(post.body, 150)}",
    ]
    if post.excerpt:
        page = f"（第{post.excerpt_page}页）" if post.excerpt_page else ""
        lines.append(f"摘抄：{plain_excerpt(post.excerpt, 80)}{page}")
    return lines


def publicity_text(
    *, activity: ReadingActivity, selections: Iterable[Selection], posts: Sequence[Reflection]
) -> str:
    """The title, the books read together, then each featured post with its 推荐理由, a summary
    and its excerpt. `posts` are the showcase's (with `feature` loaded)."""
    lines = [f"【读书论坛·精华推荐】{activity.title}", ""]
    books = [str(s) for s in selections]
    if books:
        lines += ["本次共读：" + "、".join(books), ""]
    for n, post in enumerate(posts, 1):
        lines += [*_post_lines(n, post), ""]
    if not posts:
        lines.append("暂无精华读后感。")
    return "\n".join(lines).strip()
