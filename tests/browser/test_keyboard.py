"""Works with the keyboard alone: signing in, skipping to the content, the "Lainnya"
menu (open, walk, close with Escape), with the focus always visible."""

import pytest

from tests.browser.seeding import katapang
from tests.helpers import PASSWORD

pytestmark = pytest.mark.slow

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || "").trim(),
          id: el.id, outline: style.outlineStyle, outlineWidth: style.outlineWidth};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_keyboard_only(seed, journeys, screen):
    place = katapang(f"k{screen[0]}")
    person = journeys("keyboard", screen)
    page, keys = person.page, person.page.keyboard

    # Sign in: the first field has the focus; Tab to the next; Enter sends.
    person.open("/masuk", "masuk")
    assert focused(page)["id"] == "login"
    keys.type(place.officer.username)
    keys.press("Tab")
    assert focused(page)["id"] == "password"
    keys.type(PASSWORD)
    with page.expect_event("load"):
        keys.press("Enter")
    person.check("beranda")
    assert page.get_by_role("heading", name="Selamat datang, Ibu Kasi Kesra").is_visible()

    # The first Tab reaches "skip to content", which shows itself and works.
    keys.press("Tab")
    now = focused(page)
    assert now["text"] == "Langsung ke isi" and now["outline"] != "none"
    assert page.get_by_role("link", name="Langsung ke isi").is_visible()
    keys.press("Enter")
    # The jump to the page's content is a same-page navigation: wait for it to land.
    page.wait_for_function("location.hash === '#isi'", timeout=5000)
    assert page.url.endswith("#isi")

    # "Lainnya": reached with Tab, opened with Enter, closed with Escape.
    summary = page.locator("summary", has_text="Lainnya")
    page.get_by_role("link", name="MRSE CRM").focus()
    for _ in range(12):
        keys.press("Tab")
        if focused(page)["tag"] == "summary":
            break
    now = focused(page)
    assert now["tag"] == "summary" and now["outline"] != "none", now
    keys.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")
    person.check("menu-terbuka", screenshot_only_view=True)
    keys.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and first["outline"] != "none", first
    keys.press("Escape")
    assert not summary.evaluate("s => s.parentElement.open")
    assert focused(page)["tag"] == "summary"

    # Through the menu to the account page, keys only.
    keys.press("Enter")
    for _ in range(20):
        keys.press("Tab")
        if focused(page)["text"] == "Akun":
            break
    assert focused(page)["text"] == "Akun"
    with page.expect_event("load"):
        keys.press("Enter")
    person.check("akun")
    assert page.url.endswith("/akun")
