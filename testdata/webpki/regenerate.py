#!/usr/bin/python3
"""Writes the web PKI profile fixtures in this folder with the openssl command line.

A root CA (ECDSA P-256) signs one leaf per Baseline Requirements rule that
`dbpki verify chain --profile webpki` applies, each breaking exactly that rule and valid
under the default rfc5280 profile (Tests/dbpkiCLITests/WebPKIProfileCLITests.swift holds
them to it), plus `good.crt`, valid under both, and an intermediate with a non-critical
nameConstraints (`nc-noncritical-*`), which only webpki accepts. Keys are made fresh, so
running this again writes different bytes with the same meaning.

    /usr/bin/python3 testdata/webpki/regenerate.py
"""

import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DAYS = ["-days", "3650"]  # OpenSSL 3.0 has no -not_before; the tests validate at 2030-01-01

# name: (key algorithm options, subject, extensions)
LEAVES = {
    "good": ("ec", "/CN=db1.example.com", ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth"]),
    "cn-not-in-san": ("ec", "/CN=other.example.com", ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth"]),
    "cn-ipv4-leading-zeros": ("ec", "/CN=127.000.000.001", ["subjectAltName=IP:127.0.0.1", "extendedKeyUsage=serverAuth"]),
    "cn-unicode-for-punycode": ("ec", "/CN=bücher.example.com",
                                ["subjectAltName=DNS:xn--bcher-kva.example.com", "extendedKeyUsage=serverAuth"]),
    "no-eku": ("ec", "/CN=db1.example.com", ["subjectAltName=DNS:db1.example.com"]),
    "any-eku": ("ec", "/CN=db1.example.com",
                ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth,anyExtendedKeyUsage"]),
    "critical-eku": ("ec", "/CN=db1.example.com",
                     ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=critical,serverAuth"]),
    "rsa-2052": ("rsa:2052", "/CN=db1.example.com", ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth"]),
    "p224": ("ec:P-224", "/CN=db1.example.com", ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth"]),
    "wildcard-tld": ("ec", "/CN=*.com", ["subjectAltName=DNS:*.com", "extendedKeyUsage=serverAuth"]),
    "ee-is-ca": ("ec", "/CN=db1.example.com",
                 ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth", "basicConstraints=critical,CA:TRUE"]),
    "san-critical-with-subject": ("ec", "/CN=db1.example.com",
                                  ["subjectAltName=critical,DNS:db1.example.com", "extendedKeyUsage=serverAuth"]),
    "aia-empty": ("ec", "/CN=db1.example.com",
                  ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth", "1.3.6.1.5.5.7.1.1=DER:3000"]),
    "aki-issuer-serial": ("ec", "/CN=db1.example.com",
                          ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth"]),
}


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def key(spec, path):
    if spec == "ec":
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
    elif spec.startswith("ec:"):
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + spec[3:], "-out", path)
    else:
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + spec[4:], "-out", path)


def sign(tmp, name, spec, subject, extensions, ca, ca_key, serial, out, aki="keyid:always"):
    key_path = os.path.join(tmp, name + ".key")
    key(spec, key_path)
    csr = os.path.join(tmp, name + ".csr")
    openssl("req", "-new", "-key", key_path, "-subj", subject, "-utf8", "-out", csr)
    conf = os.path.join(tmp, name + ".cnf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write("[v3]\n" + "".join(line + "\n" for line in extensions)
                + f"subjectKeyIdentifier=hash\nauthorityKeyIdentifier={aki}\n")
        if not any(line.startswith("keyUsage") or "CA:TRUE" in line for line in extensions):
            f.write("keyUsage=critical,digitalSignature\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-extfile", conf, "-extensions", "v3",
            "-set_serial", str(serial), *DAYS, "-out", out)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root_key = os.path.join(tmp, "root.key")
        key("ec", root_key)
        root = os.path.join(HERE, "root.crt")
        openssl("req", "-x509", "-new", "-key", root_key, "-subj", "/O=dbpki tests/CN=Web PKI Test Root",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "subjectKeyIdentifier=hash", *DAYS, "-out", root)
        for serial, (name, (spec, subject, extensions)) in enumerate(sorted(LEAVES.items()), start=2):
            aki = "keyid:always,issuer:always" if name == "aki-issuer-serial" else "keyid:always"
            sign(tmp, name, spec, subject, extensions, root, root_key, serial, os.path.join(HERE, name + ".crt"), aki)
        # An intermediate whose nameConstraints permits example.com but is not marked critical.
        ica = os.path.join(HERE, "nc-noncritical-ca.crt")
        sign(tmp, "ica", "ec", "/O=dbpki tests/CN=Constrained Issuing CA",
             ["basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign",
              "nameConstraints=permitted;DNS:example.com"], root, root_key, 100, ica)
        sign(tmp, "leaf", "ec", "/CN=db1.example.com",
             ["subjectAltName=DNS:db1.example.com", "extendedKeyUsage=serverAuth"], ica,
             os.path.join(tmp, "ica.key"), 101, os.path.join(HERE, "nc-noncritical-leaf.crt"))


if __name__ == "__main__":
    main()
