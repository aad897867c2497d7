#!/usr/bin/env python3
"""Writes the damaged client zips in testdata/zips/ from testdata/chain's root CAs.

Each is a well-formed zip (made with zipfile, deflate, unix attributes) with one thing
broken by editing its bytes, the central directory kept intact:

  truncated-only-entry.zip  one entry whose deflate data is cut in half; both headers give
                            the cut size, so the stream itself stops before its last block
  truncated-last-entry.zip  two entries; the last one's data is cut in half, its sizes left
                            as they were, the central directory moved up to follow it
  crc-mismatch.zip          one entry whose CRC-32 (in both headers) is off by one

Run from anywhere: python3 testdata/zips/make-damaged.py
"""
import pathlib
import struct
import zipfile
import io

here = pathlib.Path(__file__).resolve().parent
chain = here.parent / "chain"


def build(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return bytearray(buffer.getvalue())


def layout(data):
    """Offsets of each entry's local header, data and compressed size, and of the central directory."""
    end = data.rfind(b"PK\x05\x06")
    count, _, directory = struct.unpack_from("<HII", data, end + 10)
    entries, offset = [], directory
    for _ in range(count):
        csize, = struct.unpack_from("<I", data, offset + 20)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        local, = struct.unpack_from("<I", data, offset + 42)
        local_name, local_extra = struct.unpack_from("<HH", data, local + 26)
        entries.append({"central": offset, "local": local, "data": local + 30 + local_name + local_extra, "size": csize})
        offset += 46 + name_len + extra_len + comment_len
    return entries, directory, end


def cut(data, entry, keep, directory, end, record_size):
    """Drops the entry's compressed bytes past `keep`, moving what follows (and the offsets) up."""
    removed = entry["size"] - keep
    start = entry["data"] + keep
    data[start:start + removed] = b""
    directory -= removed
    end -= removed
    struct.pack_into("<I", data, end + 16, directory)
    if record_size:
        central = entry["central"] - removed
        struct.pack_into("<I", data, entry["local"] + 18, keep)
        struct.pack_into("<I", data, central + 20, keep)
    return data


root = (chain / "root.crt").read_bytes()
other = (chain / "other-root.crt").read_bytes()

data = build([("ca.crt", root)])
(entries, directory, end) = layout(data)
(here / "truncated-only-entry.zip").write_bytes(
    cut(data, entries[0], entries[0]["size"] // 2, directory, end, record_size=True))

data = build([("ca.crt", root), ("other-ca.crt", other)])
(entries, directory, end) = layout(data)
(here / "truncated-last-entry.zip").write_bytes(
    cut(data, entries[1], entries[1]["size"] // 2, directory, end, record_size=False))

data = build([("ca.crt", root)])
(entries, directory, end) = layout(data)
crc, = struct.unpack_from("<I", data, entries[0]["central"] + 16)
struct.pack_into("<I", data, entries[0]["local"] + 14, crc ^ 1)
struct.pack_into("<I", data, entries[0]["central"] + 16, crc ^ 1)
(here / "crc-mismatch.zip").write_bytes(data)
