"""One person's way through the app in a real browser, with the checks every page of
it must pass: no console error, no failed request, no sideways scrolling on a phone,
no serious or critical axe-core violation, touch targets of at least 44 px. It counts
page loads, taps and typed fields, and saves a screenshot of every page."""

import re
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import PASSWORD

SCREENS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}
MIN_TARGET = 44  # px, WCAG 2.5.5 target size (enhanced)
BLOCKING_IMPACTS = ("serious", "critical")

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""

# Every visible thing one can tap, with its size. A checkbox or radio counts with its
# label (tapping the label ticks it); a link inside a sentence is exempt (WCAG 2.5.8).
_SMALL_TARGETS = """(min) => {
  const small = [];
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const el of document.querySelectorAll(selector)) {
    let target = el;
    if (el.matches("input[type=checkbox], input[type=radio]")) target = el.closest("label") || el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;
    if (getComputedStyle(target).visibility === "hidden") continue;
    if (el.tagName === "A" && getComputedStyle(el).display === "inline") {
      const around = el.parentElement.textContent.replace(/\\s+/g, " ").trim();
      if (around.length > el.textContent.replace(/\\s+/g, " ").trim().length) continue;
    }
    if (box.height < min - 0.5 || box.width < min - 0.5) {
      const name = (el.textContent || el.getAttribute("aria-label") || el.name || "").trim();
      small.push(`${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ` +
                 `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@dataclass(frozen=True)
class Counts:
    """Page loads, taps and typed fields so far."""

    pages: int
    taps: int
    fields: int

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(self.pages - other.pages, self.taps - other.taps,
                      self.fields - other.fields)


class Journey:
    """A browser tab of its own (own cookies) at ``screen`` size."""

    def __init__(self, browser, base: str, name: str, screen: str, *, axe_source: str,
                 screenshots: Path):
        self.name, self.screen, self.base = name, screen, base
        self.size = SCREENS[screen]
        phone = screen == "phone"
        self.context = browser.new_context(
            viewport=self.size, base_url=base, locale="id-ID", timezone_id="Asia/Jakarta",
            is_mobile=phone, has_touch=phone, accept_downloads=True)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        # Loaded into every page by the browser itself, so the page's CSP still holds.
        self.context.add_init_script(script=axe_source)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.problems: list[str] = []
        self.pages = self.taps = self.fields = 0
        self.visited: list[str] = []
        # While the browser's own PDF viewer shows a file, what it asks for (its
        # extension, /favicon.ico) is not the app's doing.
        self._viewing_file = False
        self._refused: set[str] = set()  # pages of refused forms (see _response)
        self.folder = screenshots / name
        self.folder.mkdir(parents=True, exist_ok=True)
        page = self.page
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("load", self._loaded)

    # --- what the browser reports --------------------------------------------------

    def _console(self, message) -> None:
        if self._viewing_file:
            return
        if message.type == "error":
            where = message.location.get("url", "")
            if where in self._refused and message.text.startswith("Failed to load resource"):
                return  # the browser's note on a refused form (below), not an error
            self.problems.append(f"console error: {message.text} ({where})")

    def _request_failed(self, request) -> None:
        if self._viewing_file:
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        request = response.request
        if (response.status in (400, 422) and request.method == "POST"
                and request.resource_type == "document"):
            # A sent form refused for what was typed: the page answers with the form
            # and its messages (the test checks them), which is not a failed request.
            self._refused.add(response.url)
            return
        if response.status >= 400 and not self._viewing_file:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _loaded(self, page) -> None:
        self.pages += 1

    # --- counting ------------------------------------------------------------------

    def counts(self) -> Counts:
        return Counts(self.pages, self.taps, self.fields)

    # --- acting like a user --------------------------------------------------------

    def open(self, path: str, label: str | None = None) -> None:
        """Type an address (or follow a link from outside the app)."""
        self.page.goto(path)
        self.check(label or path)

    def tap(self, target, label: str | None = None, *, navigates: bool = False) -> None:
        """Tap (phone) or click (desktop) ``target``; with ``navigates`` wait for the
        page it opens and check it."""
        self.taps += 1
        action = target.tap if self.screen == "phone" else target.click
        if navigates:
            with self.page.expect_event("load"):
                action()
            self.check(label)
        else:
            action()

    def submit(self, button, label: str | None = None) -> None:
        """Tap a button that sends a form and check the page that answers."""
        self.tap(button, label, navigates=True)

    def type(self, field, text: str) -> None:
        """Type ``text`` into ``field`` (replacing what was there)."""
        self.fields += 1
        field.fill(text)

    def choose(self, field, **option) -> None:
        """Pick an option of a drop-down: two taps (open it, pick one)."""
        self.taps += 2
        field.select_option(**option)

    def tick(self, box) -> None:
        self.taps += 1
        box.check()

    def download(self, link) -> bytes:
        """Tap a link to a PDF: the browser shows it (a phone may save it instead).
        Returns the file's bytes and goes back to the page of the link."""
        url = self.base + link.get_attribute("href")
        self.taps += 1
        with self.page.expect_response(lambda r: r.url == url) as answer:
            (link.tap if self.screen == "phone" else link.click)()
        response = answer.value
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert response.headers["content-type"] == "application/pdf"
        self._viewing_file = True
        # The viewer takes the bytes; read the file again as the phone would save it.
        body = self.context.request.get(url).body()
        self.taps += 1
        self.page.go_back(wait_until="load")
        self._viewing_file = False
        self.check("kembali")
        return body

    def download_issued(self, button) -> bytes:
        """Tap a button that issues a document's number (a POST) and opens its PDF.
        Returns the file's bytes and goes back to the page of the button."""
        self.taps += 1
        self._viewing_file = True
        with self.page.expect_response(
                lambda r: r.request.method == "GET" and r.url.endswith(".pdf")) as answer:
            (button.tap if self.screen == "phone" else button.click)()
        response = answer.value
        assert response.status == 200, f"{response.url}: HTTP {response.status}"
        assert response.headers["content-type"] == "application/pdf"
        body = self.context.request.get(response.url).body()
        self.taps += 1
        self.page.go_back(wait_until="load")
        self._viewing_file = False
        self.check("kembali")
        return body

    # --- checks on every page ------------------------------------------------------

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        """Sign in through the login page; ends on the dashboard."""
        self.open("/masuk", "masuk")
        self.type(self.page.get_by_label("Nama pengguna atau nomor HP"), username)
        self.type(self.page.get_by_label("Kata sandi"), password)
        self.submit(self.page.get_by_role("button", name="Masuk"), "beranda")

    def menu(self, name: str, label: str | None = None) -> None:
        """Open a page of the main menu: from the bar, or else under "Lainnya"."""
        nav = self.page.get_by_role("navigation", name="Menu utama")
        entry = nav.get_by_role("link", name=name, exact=True)
        if not any(e.is_visible() for e in entry.all()):
            self.tap(nav.locator("summary"))
            self.check(f"menu-{name}", screenshot_only_view=True)
        shown = [e for e in entry.all() if e.is_visible()]
        assert len(shown) == 1, f"menu entry {name!r}: {len(shown)} shown"
        self.tap(shown[0], label, navigates=True)

    def check(self, label: str | None = None, *, screenshot_only_view: bool = False) -> None:
        """The page now shown: screenshot, then every check."""
        page = self.page
        page.wait_for_load_state("load")
        n = len(self.visited) + 1
        slug = re.sub(r"[^a-z0-9]+", "-", (label or page.url.split("/", 3)[-1]).lower())
        self.visited.append(page.url)
        page.screenshot(path=str(self.folder / f"{self.screen}-{n:02d}-{slug.strip('-')}.png"),
                        full_page=not screenshot_only_view)
        where = f"{self.name} at {self.screen}, step {n} ({page.url})"
        assert self.problems == [], f"{where}: {self.problems}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.size["width"], f"{where}: scrolls sideways ({width} px wide)"
        small = page.evaluate(_SMALL_TARGETS, MIN_TARGET)
        assert small == [], f"{where}: touch targets under {MIN_TARGET} px: {small}"
        violations = [v for v in page.evaluate(_AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
        assert violations == [], f"{where}: accessibility: {violations}"

    def close(self) -> None:
        self.context.close()
