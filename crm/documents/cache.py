"""Keeping the bytes of documents built a moment ago.

Every builder here is pure: the same document data gives the same PDF. A letter,
receipt or statement is downloaded again and again (to print, to send on WhatsApp,
by the partner and the group), so each process keeps the last documents it built,
keyed by a digest of their complete data (``repr`` of the dataclasses,
logo bytes included). Changed data is a new key: nothing stale is ever served.
"""

import functools
import hashlib

from crm.lru import LRU

MAX_BYTES = 32 * 1024 * 1024  # per process, all documents together

documents = LRU(max_bytes=MAX_BYTES, max_item_bytes=MAX_BYTES // 8)


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
