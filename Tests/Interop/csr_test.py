"""Interop tests for `dbpki sign`: a key made on the database host never leaves it.

`openssl req -new` makes the host's key and request, dbpki signs the request, and real
servers (redis-server with native TLS, openssl s_server) serve the signed certificate with
the host's own key to clients that trust only the CA: redis-cli, Python's ssl module
(host name checked) and openssl s_client. After `dbpki renew`, the renewed certificate
still pairs with the same key. Both engines.

Everything listens on 127.0.0.1 on a free port, is stopped by the test, and every client
call has a timeout.

Run: DBPKI_BIN=$PWD/.build/debug/dbpki python3 -m unittest Tests/Interop/csr_test.py -v
"""

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import unittest

from interop_test import BACKENDS, ROOT, Service, dbpki, free_port, run, wait_for_port  # functions only: no test class is imported


def read(path):
    with open(path) as f:
        return f.read()


class SignedRequestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dbpki-csr-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def host_request(self, folder, key_spec):
        """What the database host does: its own key (never copied) and a request for it."""
        os.makedirs(folder)
        key, csr = os.path.join(folder, "host.key"), os.path.join(folder, "host.csr")
        run(["openssl", "req", "-new", "-newkey", key_spec[0], *key_spec[1:], "-nodes", "-keyout", key,
             "-subj", "/CN=whatever-the-host-says", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-out", csr])
        return key, csr

    def python_ssl(self, ca, port, server_hostname="localhost"):
        context = ssl.create_default_context(cafile=ca)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.settimeout(5)
            with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return tls.version()

    def test_a_signed_request_is_served_by_redis_with_the_hosts_key(self):
        for backend in BACKENDS:
            for key_spec in (["rsa:2048"], ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]):
                with self.subTest(backend=backend, key=key_spec[0]):
                    work = os.path.join(self.tmp, f"{backend}-{key_spec[0].replace(':', '')}")
                    pki = os.path.join(work, "pki")
                    dbpki("init", "--dir", pki, "--name", "CSR Interop CA", "--backend", backend)
                    key, csr = self.host_request(os.path.join(work, "host"), key_spec)
                    dbpki("sign", csr, "--dir", pki, "db1", "--csr-names", "--backend", backend)
                    certificate = os.path.join(pki, "issued", "db1.crt")
                    self.assertFalse(os.path.exists(os.path.join(pki, "issued", "db1.key")))
                    ca = os.path.join(pki, "ca.crt")

                    port = free_port()
                    conf = os.path.join(work, "redis.conf")
                    with open(conf, "w") as f:
                        f.write(f"port 0\nbind 127.0.0.1\ntls-port {port}\ntls-cert-file {certificate}\n"
                                f"tls-key-file {key}\ntls-ca-cert-file {ca}\ntls-auth-clients no\n"
                                f"dir {work}\nsave \"\"\nappendonly no\n")
                    server = Service(self, ["redis-server", conf], stdin=subprocess.PIPE)
                    wait_for_port(port, process=server.process)
                    cli = run(["timeout", "10", "redis-cli", "--tls", "--cacert", ca, "-h", "127.0.0.1",
                               "-p", str(port), "PING"], check=False)
                    self.assertEqual(cli.stdout.strip(), "PONG", cli.stderr)
                    self.assertTrue(self.python_ssl(ca, port).startswith("TLS"))
                    # A client trusting another CA is refused.
                    stranger = os.path.join(work, "stranger")
                    dbpki("init", "--dir", stranger, "--name", "Unrelated CA", "--backend", backend)
                    with self.assertRaises(ssl.SSLError):
                        self.python_ssl(os.path.join(stranger, "ca.crt"), port)
                    server.stop()

    def test_a_renewed_certificate_still_pairs_with_the_hosts_key(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                work = os.path.join(self.tmp, backend)
                pki = os.path.join(work, "pki")
                dbpki("init", "--dir", pki, "--name", "CSR Interop CA", "--backend", backend)
                key, csr = self.host_request(os.path.join(work, "host"), ["ec", "-pkeyopt", "ec_paramgen_curve:P-384"])
                dbpki("sign", csr, "--dir", pki, "db1", "--dns", "localhost", "--ip", "127.0.0.1",
                      "--backend", backend)
                certificate = os.path.join(pki, "issued", "db1.crt")
                first = read(certificate)
                dbpki("renew", "db1", "--dir", pki, "--backend", backend)
                self.assertNotEqual(read(certificate), first)
                ca = os.path.join(pki, "ca.crt")
                port = free_port()
                server = Service(self, ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", certificate,
                                         "-key", key, "-naccept", "4", "-quiet"], stdin=subprocess.PIPE)
                wait_for_port(port, process=server.process)
                result = run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", ca,
                              "-verify_return_error", "-verify_ip", "127.0.0.1"], check=False)
                self.assertEqual(result.returncode, 0, result.stdout[-600:] + result.stderr[-600:])
                self.assertIn("Verify return code: 0 (ok)", result.stdout)
                self.assertTrue(self.python_ssl(ca, port).startswith("TLS"))
                server.stop()


if __name__ == "__main__":
    unittest.main()
