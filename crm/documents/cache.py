"""Keeping the bytes of documents built a moment ago.

Every builder here is pure: the same document data gives the same PDF. A letter,
receipt or statement is downloaded again and again (to print, to send on WhatsApp,
by the partner and the group), so each process keeps the last documents it built,
keyed by a digest of their complete data (``repr`` of the dataclasses,
logo bytes included). Changed data is a new key: nothing stale is ever served.
"""

import functools
import hashlib
import threading
from collections import OrderedDict

MAX_BYTES = 32 * 1024 * 1024  # per process, all documents together


class DocumentCache:
    """A byte-bounded LRU of built documents."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


documents = DocumentCache()


def kept(build):
    """Decorate a pure ``build(*data) -> bytes``: the same data gives the kept bytes."""

    @functools.wraps(build)
    def wrapper(*args):
        key = hashlib.sha256(
            (build.__module__ + "." + build.__qualname__ + repr(args)).encode()).hexdigest()
        body = documents.get(key)
        if body is None:
            body = build(*args)
            documents.put(key, body)
        return body

    return wrapper
