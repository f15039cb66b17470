"""The bounded in-memory store behind the document, feed and VEVENT caches."""

from crm.lru import LRU


def test_least_recently_used_goes_first_past_the_entry_bound():
    kept = LRU(max_entries=2)
    kept.put("a", b"1")
    kept.put("b", b"2")
    assert kept.get("a") == b"1"  # "a" is now more recent than "b"
    kept.put("c", b"3")
    assert kept.get("b") is None
    assert kept.get("a") == b"1" and kept.get("c") == b"3"


def test_byte_bounds_drop_the_oldest_and_refuse_a_value_too_large():
    kept = LRU(max_bytes=10, max_item_bytes=6)
    kept.put("a", b"aaaa")
    kept.put("b", b"bbbb")
    kept.put("big", b"x" * 7)  # over max_item_bytes: not kept, nothing dropped
    assert kept.get("big") is None and kept.get("a") == b"aaaa"
    kept.put("c", b"cccc")  # 12 bytes in all: the least recently used ("b") goes
    assert kept.get("b") is None
    assert kept.get("a") == b"aaaa" and kept.get("c") == b"cccc"
    kept.put("a", b"aa")  # replacing a value counts its new size only
    kept.put("d", b"dddd")
    assert [kept.get(k) for k in ("a", "c", "d")] == [b"aa", b"cccc", b"dddd"]


def test_clear_forgets_everything():
    kept = LRU(max_entries=5)
    kept.put(("entry", "host"), (b"BEGIN:VEVENT", "Asia/Jakarta"))
    kept.clear()
    assert kept.get(("entry", "host")) is None
