"""The installable app in a real browser: the service worker registers and keeps only
the app shell, a page that cannot load without signal shows the offline page, and
signing out leaves nothing but the shell in the caches."""

import json
import re
import urllib.request

import pytest

from tests.browser.seeding import katapang

pytestmark = pytest.mark.slow

_ACTIVE = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return [registration.scope, registration.active.state];
}"""

# Every address kept in any cache, as a path.
_CACHED = """async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
  }
  return paths.sort();
}"""

# What a careless page cache would leave: a signed-in page kept under a cache name.
_KEEP_A_PAGE = """async () => {
  const cache = await caches.open("mrse-pages");
  await cache.put("/beranda", new Response("<p>Nama pribadi</p>",
                                           {headers: {"Content-Type": "text/html"}}));
}"""


def _shell(base: str) -> list[str]:
    # Our own http://127.0.0.1 address.
    with urllib.request.urlopen(base + "/sw.js") as answer:  # noqa: S310
        script = answer.read().decode()
    return sorted(json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1)))


def _wait_for_shell(page, shell: list[str]) -> list[str]:
    """The cached paths once the service worker has stored the whole shell."""
    page.wait_for_function(f"""async () => {{
      const wanted = {json.dumps(shell)};
      for (const path of wanted) if (!(await caches.match(path))) return false;
      return true;
    }}""", polling=200)
    return page.evaluate(_CACHED)


def test_service_worker_keeps_the_shell_shows_offline_page_and_forgets_on_sign_out(
        seed, journeys):
    place = katapang("sw")
    ka = journeys("install", "phone")
    page = ka.page
    shell = _shell(seed.base)

    ka.sign_in(place.login("reseller"))
    scope, state = page.evaluate(_ACTIVE)
    assert (scope, state) == (seed.base + "/", "activated")
    ka.open("/beranda", "beranda")
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    assert _wait_for_shell(page, shell) == shell  # no signed-in page among them

    ka.context.set_offline(True)
    page.goto("/pesanan")  # never opened on this phone
    assert page.get_by_text("Tidak ada sinyal. Halaman ini belum tersimpan di HP ini.").is_visible()
    assert "Nama" not in page.locator("body").inner_text()
    ka.context.set_offline(False)

    ka.open("/beranda", "beranda-lagi")
    page.evaluate(_KEEP_A_PAGE)
    assert "/beranda" in page.evaluate(_CACHED)
    with page.expect_navigation(url=re.compile(r"/masuk$")):
        page.locator("form[action='/keluar']").evaluate("form => form.requestSubmit()")
    page.wait_for_load_state("load")
    # The browser dropped every cache; the sign-in page installs the shell again.
    page.evaluate(_ACTIVE)
    assert _wait_for_shell(page, shell) == shell
