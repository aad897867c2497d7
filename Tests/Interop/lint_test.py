"""Every kind of certificate dbpki makes is clean under an independent RFC 5280 linter.

pkilint (https://github.com/digicert/pkilint, from PyPI) checks a certificate against RFC 5280's
profile: encodings, extension criticality, key usage for the key type, name forms. `scripts/test`
installs it into a virtual environment at .build/pkilint (PKILINT_BIN names another
lint_pkix_cert); the tests fail, not skip, when it is missing, so a CI run cannot pass without
having linted.

Names here have at least two labels: pkilint (through the `validators` package) calls a
single-label dNSName such as `localhost` or `mongo-0` invalid syntax, a web PKI reading; RFC 1034's
preferred name syntax, which RFC 5280 4.2.1.6 names, allows it, and dbpki issues it for hosts on
internal networks.

Run: DBPKI_BIN=.build/debug/dbpki python3 -m unittest Tests/Interop/lint_test.py -v
"""

import os
import subprocess
import tempfile
import unittest

from interop_test import BACKENDS, ROOT, dbpki, run  # functions only: no test class is imported

LINTER = os.environ.get("PKILINT_BIN", os.path.join(ROOT, ".build", "pkilint", "bin", "lint_pkix_cert"))
KEY_TYPES = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "ed25519"]


def lint(path):
    """pkilint's findings at WARNING and above, as text; empty when the certificate is clean."""
    result = subprocess.run(
        [LINTER, "lint", "-s", "WARNING", path],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    findings = (result.stdout + result.stderr).strip()
    if result.returncode not in (0, 1) or (result.returncode == 1 and not findings):
        raise AssertionError(f"pkilint could not judge {path}: exit {result.returncode}\n{findings}")
    return findings


def first_certificate(path, into):
    """The first PEM certificate of a file (issued files may carry intermediates after the leaf)."""
    with open(path) as f:
        text = f.read()
    end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
    out = os.path.join(into, os.path.basename(path) + ".first.pem")
    with open(out, "w") as f:
        f.write(text[: end] + "\n")
    return out


class LinterTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.access(LINTER, os.X_OK), f"pkilint is not installed at {LINTER} (bash scripts/test installs it)")
        self.tmp = tempfile.TemporaryDirectory(prefix="dbpki-lint-")
        self.addCleanup(self.tmp.cleanup)

    def assertClean(self, path, what):
        findings = lint(first_certificate(path, self.tmp.name))
        self.assertEqual(findings, "", f"pkilint finds fault with {what}:\n{findings}")

    def test_the_linter_finds_fault_with_a_certificate_that_breaks_the_profile(self):
        # A non-critical keyUsage: RFC 5280 4.2.1.3 says it SHOULD be critical. If the linter
        # passed this, a clean result below would prove nothing.
        key, cert = (os.path.join(self.tmp.name, n) for n in ("bad.key", "bad.crt"))
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", key, "-subj", "/CN=bad.example", "-days", "10",
             "-addext", "keyUsage=digitalSignature", "-addext", "basicConstraints=CA:FALSE", "-out", cert])
        self.assertIn("key_usage_extension_not_critical", lint(cert))

    def test_roots_servers_clients_and_members_of_every_key_type_are_clean_on_both_engines(self):
        for backend in BACKENDS:
            for key_type in KEY_TYPES:
                with self.subTest(backend=backend, key_type=key_type):
                    pki = os.path.join(self.tmp.name, f"{backend}-{key_type}")
                    common = ["--dir", pki, "--backend", backend]
                    dbpki("init", *common, "--name", f"Lint {key_type} CA", "--key-type", key_type)
                    dbpki("issue", *common, "db1", "--dns", "db1.example.com", "--dns", "db1.rs0.internal",
                          "--ip", "10.0.0.1", "--ip", "::1", "--key-type", key_type)
                    dbpki("issue", *common, "app", "--client", "--key-type", key_type)
                    dbpki("issue", *common, "member1", "--member", "--dns", "m1.example.com",
                          "--subject", "O=Acme,OU=Databases", "--key-type", key_type)
                    self.assertClean(os.path.join(pki, "ca.crt"), f"the {key_type} root ({backend})")
                    for name in ("db1", "app", "member1"):
                        self.assertClean(os.path.join(pki, "issued", f"{name}.crt"), f"{name} ({key_type}, {backend})")

    def test_subjects_with_every_attribute_dbpki_writes_are_clean_on_both_engines(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = os.path.join(self.tmp.name, f"subjects-{backend}")
                common = ["--dir", pki, "--backend", backend]
                dbpki("init", *common, "--name", "Acme DB Root",
                      "--subject", "C=DE,ST=Berlin,L=Berlin,O=Acme\\, Inc.,OU=Databases")
                dbpki("issue", *common, "x509user", "--client",
                      "--subject", "DC=com,DC=acme,O=Acme,OU=Apps")
                dbpki("issue", *common, "db.example.com", "--dns", "db.example.com",
                      "--subject", "C=DE,O=Acme,OU=Databases")
                self.assertClean(os.path.join(pki, "ca.crt"), f"a root with C, ST, L, O and OU ({backend})")
                self.assertClean(os.path.join(pki, "issued", "x509user.crt"), f"a client with DC, O and OU ({backend})")
                self.assertClean(os.path.join(pki, "issued", "db.example.com.crt"), f"a server with C, O, OU ({backend})")

    def test_renewed_and_rolled_over_certificates_are_clean(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = os.path.join(self.tmp.name, f"rotation-{backend}")
                common = ["--dir", pki, "--backend", backend]
                dbpki("init", *common, "--name", "Rotating CA", "--subject", "O=Acme")
                dbpki("issue", *common, "db1", "--dns", "db1.example.com")
                dbpki("renew", *common, "db1")
                dbpki("ca", "rollover", *common)
                self.assertClean(os.path.join(pki, "issued", "db1.crt"), f"a renewed server ({backend})")
                self.assertClean(os.path.join(pki, "ca.crt"), f"a rolled-over root ({backend})")

    def test_intermediates_online_and_offline_and_the_leaves_under_them_are_clean_on_both_engines(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                tmp = self.tmp.name
                root, online, offline = (os.path.join(tmp, f"{n}-{backend}") for n in ("root", "online", "offline"))
                dbpki("init", "--dir", root, "--name", "Lint Root", "--subject", "O=Acme", "--backend", backend)
                dbpki("init", "--dir", online, "--name", "Lint Online CA", "--parent", root,
                      "--subject", "O=Acme,OU=Databases", "--backend", backend)
                dbpki("issue", "db1", "--dir", online, "--dns", "db1.example.com", "--backend", backend)
                request = os.path.join(tmp, f"offline-{backend}.csr")
                signed = os.path.join(tmp, f"offline-{backend}.crt")
                dbpki("init", "--dir", offline, "--name", "Lint Offline CA", "--subject", "O=Acme",
                      "--csr-out", request, "--backend", backend)
                dbpki("sign", request, "--dir", root, "--ca", "--out", signed, "--backend", backend)
                dbpki("init", "--dir", offline, "--import", signed, "--root", os.path.join(root, "ca.crt"),
                      "--backend", backend)
                host_key, host_csr = (os.path.join(tmp, f"host-{backend}.{e}") for e in ("key", "csr"))
                run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", host_key, "-subj", "/CN=db2", "-out", host_csr])
                dbpki("sign", host_csr, "--dir", offline, "db2", "--dns", "db2.example.com", "--backend", backend)
                self.assertClean(os.path.join(online, "ca.crt"), f"an online intermediate ({backend})")
                self.assertClean(os.path.join(online, "issued", "db1.crt"), f"a leaf under it ({backend})")
                self.assertClean(signed, f"an offline-signed intermediate ({backend})")
                self.assertClean(os.path.join(offline, "issued", "db2.crt"), f"a CSR-signed leaf under it ({backend})")


if __name__ == "__main__":
    unittest.main()
