"""What every browser journey checks on every page it reaches (issue 11, point 5).

`journey.check(where)` after each page: zero serious or critical axe-core violations, no skipped
heading level, and no horizontal scroll (at 390 px a page that scrolls sideways is broken on a
phone). The `journey` fixture (tests/conftest.py) also fails the test if the browser logged an
error on the console or the page threw: a 4xx/5xx document counts, unless the journey expected
it with `journey.goto(url, status=403)`.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING = {"serious", "critical"}
AXE = Axe()

# Headings a screen reader can reach, in document order; a level may go down by any amount but up
# by one at most, and the first heading is the page's h1.
SKIPPED_HEADINGS = """() => {
  const skipped = [];
  let previous = 0;
  for (const el of document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")) {
    if (el.closest("[aria-hidden=true]") || (el.checkVisibility && !el.checkVisibility())) {
      continue;
    }
    const level = Number(el.getAttribute("aria-level") || el.tagName.slice(1)) || 2;
    if (level > previous + 1) {
      skipped.push(`h${previous} → h${level} «${el.textContent.trim().slice(0, 30)}»`);
    }
    previous = level;
  }
  return skipped;
}"""

SIDEWAYS = """() => {
  const doc = document.documentElement;
  return doc.scrollWidth > doc.clientWidth + 1 ? [doc.scrollWidth, doc.clientWidth] : null;
}"""


def accessibility_problems(page, where: str) -> list[str]:
    found = []
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{where}: {violation['id']} ({violation['impact']}) at {targets}")
    found += [f"{where}: heading skipped {text}" for text in page.evaluate(SKIPPED_HEADINGS)]
    return found


class Journey:
    def __init__(self, page, live_server) -> None:
        self.page = page
        self.base = live_server.url
        self.errors: list[str] = []
        self.expected_status: dict[str, int] = {}
        self.checked = 0
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if "Failed to load resource" in msg.text and url in self.expected_status:
            return
        self.errors.append(f"console: {msg.text} ({url})")

    def goto(self, path: str, *, status: int = 200):
        url = path if path.startswith("http") else f"{self.base}{path}"
        if status != 200:
            self.expected_status[url] = status
        response = self.page.goto(url)
        assert response is not None and response.status == status, (
            f"{url}: {response.status if response else None}, expected {status}"
        )
        return response

    def check(self, where: str = "") -> None:
        """Assert the current page is usable: accessible and not wider than the screen.

        Call it after an `expect(...)` that proves the page of interest is on screen: right after
        a click the old page may still be unloading."""
        self.page.wait_for_load_state("load")
        where = where or self.page.url.removeprefix(self.base)
        problems = accessibility_problems(self.page, where)
        sideways = self.page.evaluate(SIDEWAYS)
        if sideways:
            width = self.page.viewport_size["width"]
            problems.append(
                f"{where}: scrolls sideways at {width}px ({sideways[0]} > {sideways[1]})"
            )
        assert not problems, "\n".join(problems)
        self.checked += 1

    def assert_no_errors(self) -> None:
        assert not self.errors, "\n".join(self.errors)


def open_phone_menu(page) -> None:
    """Open the navbar's 菜单 on a phone and wait until it has finished opening: a click on an
    entry while the menu still slides open (a busy machine) could be lost."""
    page.get_by_role("button", name="菜单").click()
    expect_opened(page.locator("#mainnav"))


def expect_opened(collapse) -> None:
    """A Bootstrap collapse (menu, filter form) has finished opening: `show` is added once the
    slide ends. A click into it while it still slides open could be lost on a busy machine."""
    expect(collapse).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
