"""The Diia code rule, same as vikno_scan::classify (13 digits, first 1-9, EAN-13 check, or a
https://diia.app/documents/{type}/{id}/verify/{uuid} link) - applied to the peers' reads so that
every decoder is judged after the same filter."""
import re

_LINK = re.compile(
    r"^https://diia\.app/documents/[A-Za-z0-9_-]{1,128}/[A-Za-z0-9_-]{1,128}/verify/"
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


def ean13_ok(s):
    if len(s) != 13 or not s.isascii() or not s.isdigit() or s[0] == "0":
        return False
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(s[:12]))
    return (10 - total % 10) % 10 == int(s[12])


def accepted(text, is_qr):
    """The text if the rule accepts it for that kind of symbol, else None."""
    t = text.strip()
    if is_qr:
        return t if _LINK.match(t) else None
    return t if ean13_ok(t) else None
