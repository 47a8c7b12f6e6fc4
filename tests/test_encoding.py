"""``api.encoding``: reading ``Accept-Encoding`` and the gzip representation's tag."""

from __future__ import annotations

import gzip

import pytest

from api.encoding import accepts_gzip, gzip_bytes, gzip_tag


@pytest.mark.parametrize(("header", "expected"), [
    (None, False),                        # no preference: the plain bytes
    ("", False),
    ("gzip", True),
    ("GZIP", True),                       # codings are case-insensitive
    ("x-gzip", True),                     # the old alias
    ("gzip, deflate, br, zstd", True),    # what httpx and browsers send
    ("deflate, br", False),
    ("identity", False),
    ("*", True),                          # anything, so gzip too
    ("*;q=0", False),
    ("gzip;q=0", False),                  # refused by name
    ("gzip; q=0.0, *", False),            # the named refusal wins over *
    ("gzip;q=0.001", True),
    ("br;q=1.0, gzip;q=0.8", True),
    ("gzip;q=nonsense", False),           # an unreadable weight never turns it on
    (" gzip ; q=1 ", True),
])
def test_accepts_gzip(header: str | None, expected: bool) -> None:
    assert accepts_gzip(header) is expected


def test_gzip_bytes_are_the_same_every_time() -> None:
    body = "BEGIN:VCALENDAR\r\nSUMMARY:Báo cáo Đảng ủy\r\n".encode() * 100
    assert gzip_bytes(body)[4:8] == bytes(4)  # MTIME unset (RFC 1952): a stable entity tag
    assert gzip.decompress(gzip_bytes(body)) == body


@pytest.mark.parametrize(("etag", "expected"), [
    ('"3f2a"', '"3f2a-gzip"'),
    ('W/"3f2a"', 'W/"3f2a-gzip"'),
])
def test_gzip_tag(etag: str, expected: str) -> None:
    assert gzip_tag(etag) == expected
