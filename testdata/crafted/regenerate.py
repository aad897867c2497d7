#!/usr/bin/python3
"""Writes the crafted hostile certificates in this folder (see README.md).

Every TBSCertificate is built byte by byte here, so it can hold what no CA tool would
write (a NUL inside a dNSName, invalid UTF-8 in a UTF8String, a negative serial, an
unknown critical extension), then signed with `openssl pkeyutl` using the committed
Ed25519 keys ca.key and leaf.key. Ed25519 signatures are deterministic, so running this
again writes the same bytes.

    /usr/bin/python3 testdata/crafted/regenerate.py
"""

import base64
import hashlib
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(octets)]) + octets
    return bytes([tag]) + length + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.insert(0, 0x80 | (part & 0x7F))
            part >>= 7
        out += bytes(chunk)
    return tlv(0x06, bytes(out))


def integer(value):
    """A DER INTEGER, two's complement, minimal."""
    length = 1
    while not -(1 << (8 * length - 1)) <= value < (1 << (8 * length - 1)):
        length += 1
    return tlv(0x02, value.to_bytes(length, "big", signed=True))


def utf8(raw):
    return tlv(0x0C, raw)


def name(common_name):
    """One RDN: CN as a UTF8String holding exactly the given bytes."""
    return seq(tlv(0x31, seq(oid("2.5.4.3"), utf8(common_name))))


def utc(text):
    return tlv(0x17, text.encode())


def extension(identifier, value, critical=False):
    return seq(oid(identifier), *([tlv(0x01, b"\xff")] if critical else []), tlv(0x04, value))


def public_key(key_file):
    return subprocess.run(
        ["openssl", "pkey", "-in", os.path.join(HERE, key_file), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout


def key_id(spki):
    # RFC 5280 method 1: SHA-1 over the subjectPublicKey bits (an Ed25519 SPKI ends with the 32 key octets).
    return hashlib.sha1(spki[-32:]).digest()


ED25519 = seq(oid("1.3.101.112"))
CA_SPKI = public_key("ca.key")
LEAF_SPKI = public_key("leaf.key")
CA_NAME = name(b"dbpki crafted Root CA")


def certificate(serial, subject, spki, extensions, issuer=CA_NAME, signer="ca.key"):
    tbs = seq(
        tlv(0xA0, integer(2)),
        integer(serial),
        ED25519,
        issuer,
        seq(utc("260101000000Z"), utc("460101000000Z")),
        subject,
        spki,
        tlv(0xA3, seq(*extensions)),
    )
    with tempfile.NamedTemporaryFile(suffix=".der") as f:  # Ed25519 signs one shot: pkeyutl wants a file
        f.write(tbs)
        f.flush()
        signature = subprocess.run(
            ["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", os.path.join(HERE, signer), "-in", f.name],
            check=True,
            capture_output=True,
        ).stdout
    return seq(tbs, ED25519, tlv(0x03, b"\x00" + signature))


def leaf(serial, subject=b"db1.example.com", dns=(b"db1.example.com",), extra=()):
    san = seq(*(tlv(0x82, d) for d in dns))
    return certificate(
        serial,
        name(subject),
        LEAF_SPKI,
        [
            extension("2.5.29.19", seq(), critical=True),  # basicConstraints: not a CA
            extension("2.5.29.15", tlv(0x03, b"\x07\x80"), critical=True),  # keyUsage: digitalSignature
            extension("2.5.29.37", seq(oid("1.3.6.1.5.5.7.3.1"))),  # EKU: serverAuth
            extension("2.5.29.14", tlv(0x04, key_id(LEAF_SPKI))),
            extension("2.5.29.35", seq(tlv(0x80, key_id(CA_SPKI)))),
            extension("2.5.29.17", san),
            *extra,
        ],
    )


def write_pem(file, der, label="CERTIFICATE"):
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    with open(os.path.join(HERE, file), "w", encoding="ascii") as f:
        f.write(f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n")


def main():
    root = certificate(
        1,
        CA_NAME,
        CA_SPKI,
        [
            extension("2.5.29.19", seq(tlv(0x01, b"\xff")), critical=True),  # basicConstraints: CA
            extension("2.5.29.15", tlv(0x03, b"\x01\x06"), critical=True),  # keyUsage: keyCertSign, cRLSign
            extension("2.5.29.14", tlv(0x04, key_id(CA_SPKI))),
        ],
        issuer=CA_NAME,
    )
    write_pem("root.crt", root)
    write_pem("good.crt", leaf(0x1001))
    write_pem("nul-in-san.crt", leaf(0x1002, dns=(b"db1.example.com\x00.evil.com",)))
    write_pem("non-utf8-name.crt", leaf(0x1003, subject=b"db1\xff\xfe.example.com"))
    write_pem("negative-serial.crt", leaf(-0x1004))
    write_pem("zero-serial.crt", leaf(0))
    write_pem(
        "unknown-critical-extension.crt",
        leaf(0x1005, extra=[extension("1.3.6.1.4.1.55555.1", tlv(0x05, b""), critical=True)]),
    )
    good = leaf(0x1001)
    with open(os.path.join(HERE, "good-truncated.der"), "wb") as f:
        f.write(good[: len(good) // 2])
    with open(os.path.join(HERE, "good.der"), "wb") as f:
        f.write(good)


if __name__ == "__main__":
    main()
