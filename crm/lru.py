"""What a process keeps in memory for its next requests (built documents, feed
bodies, serialised calendar entries): least recently used first out, bounded by the
number of entries and by bytes, safe to share between threads."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class LRU:
    """A bounded store. ``max_entries``: at most that many values; ``max_bytes``: at
    most that many bytes in all, as ``size`` measures a value; ``max_item_bytes``: a
    larger value is not kept at all. A bound left out does not apply."""

    def __init__(self, max_entries: int | None = None, max_bytes: int | None = None,
                 max_item_bytes: int | None = None, size: Callable[[object], int] = len):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_item_bytes = max_item_bytes
        self._size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        """The value kept for ``key`` (now the most recently used), else None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        counted = self.max_bytes is not None or self.max_item_bytes is not None
        size = self._size(value) if counted else 0
        if self.max_item_bytes is not None and size > self.max_item_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None and counted:
                self._bytes -= self._size(old)
            self._items[key] = value
            self._bytes += size
            while self._items and (
                    (self.max_entries is not None and len(self._items) > self.max_entries)
                    or (self.max_bytes is not None and self._bytes > self.max_bytes)):
                _key, dropped = self._items.popitem(last=False)
                if counted:
                    self._bytes -= self._size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
