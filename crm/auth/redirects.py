"""Keeping ``?next=`` redirects on this site."""

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else ``None``.

    Refuses absolute URLs, scheme-relative ``//host`` and ``/\\host`` forms, and any
    control characters that browsers strip before resolving.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
