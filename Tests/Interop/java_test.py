"""Java interop: the PKCS#12 files of `bundle --java` and `export pkcs12`, used by a real JVM.

A small JSSE client (java/RedisPing.java, compiled with javac into a temporary folder) connects
to a live redis-server (TLS, 127.0.0.1, a free port) with truststore.p12, and under mutual TLS
with the client keystore, checks the host name as HTTPS does, and sends PING. keytool lists the
entries; openssl pkcs12, certtool --p12-info and Python cryptography's load_pkcs12 read every
file either engine wrote. Needs openjdk-17-jdk-headless (javac, java, keytool).

Run: DBPKI_BIN=$PWD/.build/debug/dbpki python3 -m unittest Tests/Interop/java_test.py -v
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from cryptography.hazmat.primitives.serialization import pkcs12

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # run by file as well as by discovery
from interop_test import BACKENDS, InteropTestCase, Service, dbpki, free_port, run, wait_for_port  # noqa: E402

JAVA_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "java", "RedisPing.java")
PASSWORD = "correct horse battery"
JAVA_TIMEOUT = 60


class JavaTest(InteropTestCase):
    @classmethod
    def setUpClass(cls):
        cls.classes = tempfile.mkdtemp(prefix="dbpki-java-")
        subprocess.run(["javac", "-d", cls.classes, JAVA_SOURCE], check=True, timeout=180,
                       stdin=subprocess.DEVNULL, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.classes, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.password_file = os.path.join(self.tmp, "password.txt")
        with open(self.password_file, "w") as f:
            f.write(PASSWORD + "\n")

    def java_ping(self, hostname, port, truststore, keystore=None):
        args = ["java", "-cp", self.classes, "RedisPing", hostname, str(port), truststore, self.password_file]
        return subprocess.run(args + ([keystore] if keystore else []), capture_output=True, text=True,
                              timeout=JAVA_TIMEOUT, stdin=subprocess.DEVNULL)

    def keytool_list(self, store):
        result = subprocess.run(["keytool", "-list", "-keystore", store, "-storetype", "PKCS12",
                                 "-storepass:file", self.password_file], capture_output=True, text=True,
                                timeout=JAVA_TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def redis_bundle(self, backend, *extra):
        pki = self.make_pki(backend)
        out = os.path.join(self.tmp, f"redis-java-{backend}-{len(extra)}")
        port = free_port()
        dbpki("bundle", "redis", "db1", "--dir", pki, "--out", out, "--tls-port", str(port), "--bind", "127.0.0.1",
              "--java", "--password-file", self.password_file, "--backend", backend, *extra)
        server = Service(self, ["redis-server", os.path.join(out, "server", "redis-tls.conf"), "--dir", self.tmp,
                                "--save", "", "--appendonly", "no"])
        wait_for_port(port, process=server.process)
        return pki, out, port, server

    def test_jsse_trusts_the_truststore_and_checks_the_host_name(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                _, out, port, server = self.redis_bundle(backend)
                truststore = os.path.join(out, "truststore.p12")
                self.assertIn("trustedCertEntry", self.keytool_list(truststore))
                for name in ["db1.example.com", "localhost"]:
                    ok = self.java_ping(name, port, truststore)
                    self.assertEqual((ok.returncode, ok.stdout.strip()), (0, "+PONG"), ok.stderr)
                other = self.java_ping("db2.example.com", port, truststore)
                self.assertEqual(other.returncode, 2)
                self.assertIn("No subject alternative DNS name matching db2.example.com", other.stderr)
                default = self.java_ping("db1.example.com", port, "-")
                self.assertEqual(default.returncode, 2)
                self.assertIn("PKIX path building failed", default.stderr)
                server.stop()

    def test_mutual_tls_with_the_client_keystore(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                _, out, port, server = self.redis_bundle(backend, "--client-cert", "app")
                truststore = os.path.join(out, "truststore.p12")
                keystore = os.path.join(out, "app.p12")
                self.assertEqual(os.stat(keystore).st_mode & 0o777, 0o600)
                self.assertIn("PrivateKeyEntry", self.keytool_list(keystore))
                ok = self.java_ping("db1.example.com", port, truststore, keystore)
                self.assertEqual((ok.returncode, ok.stdout.strip()), (0, "+PONG"), ok.stderr)
                without = self.java_ping("db1.example.com", port, truststore)
                self.assertNotEqual(without.stdout.strip(), "+PONG")
                self.assertNotEqual(without.returncode, 0)
                server.stop()

    def test_every_file_either_engine_writes_is_read_by_keytool_openssl_certtool_and_cryptography(self):
        for backend in BACKENDS:
            pki = self.make_pki(backend)
            for legacy in [[], ["--legacy"]]:
                with self.subTest(backend=backend, legacy=bool(legacy)):
                    path = os.path.join(self.tmp, f"app-{backend}{'-legacy' if legacy else ''}.p12")
                    dbpki("export", "pkcs12", "app", "--dir", pki, "--out", path, "--password-file",
                          self.password_file, "--backend", backend, *legacy)
                    listing = self.keytool_list(path)
                    self.assertIn("app, ", listing)
                    self.assertIn("PrivateKeyEntry", listing)
                    info = run(["openssl", "pkcs12", "-info", "-in", path, "-passin", "file:" + self.password_file,
                                "-noout"]).stderr
                    self.assertIn("MAC: sha1" if legacy else "MAC: sha256", info)
                    self.assertIn("pbeWithSHA1And3-KeyTripleDES-CBC" if legacy else "AES-256-CBC", info)
                    run(["certtool", "--p12-info", "--inder", "--infile", path, "--password", PASSWORD])
                    with open(path, "rb") as f:
                        loaded = pkcs12.load_pkcs12(f.read(), PASSWORD.encode())
                    self.assertIsNotNone(loaded.key)
                    self.assertEqual(loaded.cert.friendly_name, b"app")
                    self.assertEqual(len(loaded.additional_certs), 1)
            out = os.path.join(self.tmp, f"mongo-{backend}")
            dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--java", "--password-file",
                  self.password_file, "--backend", backend)
            truststore = os.path.join(out, "truststore.p12")
            with self.subTest(backend=backend, store="truststore"):
                self.assertIn("ca, ", self.keytool_list(truststore))
                self.assertIn("trustedCertEntry", self.keytool_list(truststore))
                run(["openssl", "pkcs12", "-info", "-in", truststore, "-passin", "file:" + self.password_file,
                     "-noout"])
                run(["certtool", "--p12-info", "--inder", "--infile", truststore, "--password", PASSWORD])
                with open(truststore, "rb") as f:
                    loaded = pkcs12.load_pkcs12(f.read(), PASSWORD.encode())
                self.assertIsNone(loaded.key)
                self.assertEqual([c.friendly_name for c in loaded.additional_certs], [b"ca"])

    def test_a_truststore_without_the_java_attribute_is_empty_to_java(self):
        # Why dbpki writes the attribute: openssl's pkcs12 command cannot, and Java then trusts nothing.
        pki = self.make_pki("openssl")
        plain = os.path.join(self.tmp, "openssl-truststore.p12")
        run(["openssl", "pkcs12", "-export", "-nokeys", "-in", os.path.join(pki, "ca.crt"), "-out", plain,
             "-passout", "file:" + self.password_file])
        self.assertIn("Your keystore contains 0 entries", self.keytool_list(plain))
        refused = dbpki("verify", "bundle", plain, "--password-file", self.password_file, check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("lacks Java's trust attribute", refused.stderr)
        out = os.path.join(self.tmp, "out")
        dbpki("bundle", "redis", "db1", "--dir", pki, "--out", out, "--java", "--password-file", self.password_file)
        truststore = os.path.join(out, "truststore.p12")
        self.assertIn("Your keystore contains 1 entry", self.keytool_list(truststore))
        dbpki("verify", "bundle", truststore, "--password-file", self.password_file, "--backend", "both")


if __name__ == "__main__":
    unittest.main()
