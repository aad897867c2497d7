"""Interop tests for a two-level PKI: root -> intermediate (dbpki init --parent, or the offline
flow: init --csr-out, sign --ca, init --import) -> server and client.

Real peers get the files dbpki writes in the intermediate's PKI, and every client trusts only
the root certificate (ROOT/ca.crt), so a handshake succeeds only when the server (or the client,
for mutual TLS) sends the intermediate itself:

- redis-server with native TLS (server only, then mutual TLS), with redis-cli and redis-py;
- stunnel4 in front of a plain redis-server (the Redis 5.0 bundle), with mutual TLS;
- a mongod-style server reading one certificateKeyFile (leaf, intermediate, key) as mongod
  does (Python's ssl load_cert_chain, the same OpenSSL call mongod makes), with
  openssl s_client, gnutls-cli and Python ssl clients; and mongod's own CAFile
  (server/ca.crt) verifying a client certificate issued under the intermediate.

Both engines make the PKI. Every service listens on 127.0.0.1 on a free port and is stopped by
the test; every client call has a timeout.

Run: DBPKI_BIN=$PWD/.build/debug/dbpki /usr/bin/python3 -m unittest discover -s Tests/Interop -p hierarchy_test.py -v
"""

import os
import shutil
import ssl
import socket
import sys
import unittest
import zipfile

import redis

from interop_test import BACKENDS, InteropTestCase, Service, dbpki, free_port, run, wait_for_port

# A mongod stand-in: loads one PEM (certificate chain then key) as mongod's certificateKeyFile,
# and, like mongod with CAFile and allowConnectionsWithoutCertificates, verifies a client
# certificate when one is sent. Each connection answers one line: the client's subject or "anonymous".
MONGOD_STANDIN = r"""
import socket, ssl, sys, threading
pem, ca, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(pem)
context.load_verify_locations(ca)
context.verify_mode = ssl.CERT_OPTIONAL
listener = socket.create_server(("127.0.0.1", port))
def serve(raw):
    try:
        with context.wrap_socket(raw, server_side=True) as tls:
            peer = tls.getpeercert()
            subject = dict(x[0] for x in peer["subject"])["commonName"] if peer else "anonymous"
            tls.sendall((subject + "\n").encode())
    except (ssl.SSLError, OSError):
        pass
while True:
    raw, _ = listener.accept()
    raw.settimeout(5)
    threading.Thread(target=serve, args=(raw,), daemon=True).start()
"""


def read_text(path):
    with open(path) as f:
        return f.read()


class HierarchyTestCase(InteropTestCase):
    def make_hierarchy(self, backend):
        """ROOT and SUB (an intermediate under ROOT), with db1 (server) and app (client) issued in SUB."""
        root = os.path.join(self.tmp, f"root-{backend}")
        sub = os.path.join(self.tmp, f"sub-{backend}")
        dbpki("init", "--dir", root, "--name", f"Interop Root ({backend})", "--backend", backend)
        dbpki("init", "--dir", sub, "--name", f"Interop Issuing CA ({backend})", "--parent", root,
              "--backend", backend)
        dbpki("issue", "db1", "--dir", sub, "--dns", "db1.example.com", "--dns", "localhost",
              "--ip", "127.0.0.1", "--backend", backend)
        dbpki("issue", "app", "--dir", sub, "--client", "--backend", backend)
        return os.path.join(root, "ca.crt"), sub

    def redis_cli(self, port, ca, *auth, command=("PING",)):
        return run(["timeout", "10", "redis-cli", "--tls", "--cacert", ca, *auth, "-h", "127.0.0.1",
                    "-p", str(port), *command], check=False)

    def start_redis(self, conf):
        return Service(self, ["redis-server", conf, "--dir", self.tmp, "--save", "", "--appendonly", "no"])


class HierarchyRedisTest(HierarchyTestCase):
    def test_redis_server_serves_clients_that_trust_only_the_root(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                root_ca, sub = self.make_hierarchy(backend)
                out = os.path.join(self.tmp, f"redis-{backend}")
                port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", sub, "--out", out, "--tls-port", str(port),
                      "--bind", "127.0.0.1", "--backend", backend)
                server = self.start_redis(os.path.join(out, "server", "redis-tls.conf"))
                wait_for_port(port, process=server.process)
                self.assertEqual(self.redis_cli(port, root_ca).stdout.strip(), "PONG")
                r = redis.Redis(host="localhost", port=port, ssl=True, ssl_ca_certs=root_ca,
                                ssl_check_hostname=True, socket_timeout=5, socket_connect_timeout=5)
                self.assertTrue(r.ping())
                r.close()
                # The download (root, then the intermediate) works as well.
                client = self.unzip(os.path.join(out, "db1-crt.zip"))
                self.assertEqual(self.redis_cli(port, os.path.join(client, "ca.crt")).stdout.strip(), "PONG")
                server.stop()

    def test_mutual_tls_accepts_a_client_certificate_issued_under_the_intermediate(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                root_ca, sub = self.make_hierarchy(backend)
                out = os.path.join(self.tmp, f"redis-mtls-{backend}")
                port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", sub, "--out", out, "--tls-port", str(port),
                      "--bind", "127.0.0.1", "--client-cert", "app", "--backend", backend)
                client = self.unzip(os.path.join(out, "db1-crt.zip"))
                app_crt = read_text(os.path.join(client, "app.crt"))
                self.assertEqual(app_crt.count("BEGIN CERTIFICATE"), 2, "the client certificate carries its chain")
                server = self.start_redis(os.path.join(out, "server", "redis-tls.conf"))
                wait_for_port(port, process=server.process)
                auth = ("--cert", os.path.join(client, "app.crt"), "--key", os.path.join(client, "app.key"))
                self.assertEqual(self.redis_cli(port, root_ca, *auth).stdout.strip(), "PONG")
                self.assertNotEqual(self.redis_cli(port, root_ca).stdout.strip(), "PONG")
                r = redis.Redis(host="127.0.0.1", port=port, ssl=True, ssl_ca_certs=root_ca,
                                ssl_certfile=auth[1], ssl_keyfile=auth[3], socket_timeout=5,
                                socket_connect_timeout=5)
                self.assertTrue(r.ping())
                r.close()
                server.stop()

    def test_an_offline_signed_intermediate_serves_redis_clients_that_trust_only_the_root(self):
        """init --csr-out, sign --ca (the root's host), init --import, then TLS and mutual TLS."""
        for sub_engine, root_engine in (("openssl", "openssl"), ("gnutls", "gnutls"), ("openssl", "gnutls")):
            with self.subTest(sub=sub_engine, root=root_engine):
                tag = f"{sub_engine}-{root_engine}"
                root = os.path.join(self.tmp, f"offline-root-{tag}")
                sub = os.path.join(self.tmp, f"offline-sub-{tag}")
                request = os.path.join(self.tmp, f"offline-{tag}.csr")
                signed = os.path.join(self.tmp, f"offline-{tag}.crt")
                dbpki("init", "--dir", root, "--name", f"Offline Root ({tag})", "--backend", root_engine)
                dbpki("init", "--dir", sub, "--name", f"Offline Issuing CA ({tag})", "--subject", "O=Acme",
                      "--csr-out", request, "--backend", sub_engine)
                dbpki("sign", request, "--dir", root, "--ca", "--out", signed, "--backend", root_engine)
                root_ca = os.path.join(root, "ca.crt")
                dbpki("init", "--dir", sub, "--import", signed, "--root", root_ca, "--backend", sub_engine)
                dbpki("issue", "db1", "--dir", sub, "--dns", "localhost", "--ip", "127.0.0.1",
                      "--backend", sub_engine)
                dbpki("issue", "app", "--dir", sub, "--client", "--backend", sub_engine)
                out = os.path.join(self.tmp, f"offline-redis-{tag}")
                port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", sub, "--out", out, "--tls-port", str(port),
                      "--bind", "127.0.0.1", "--client-cert", "app", "--backend", sub_engine)
                client = self.unzip(os.path.join(out, "db1-crt.zip"))
                server = self.start_redis(os.path.join(out, "server", "redis-tls.conf"))
                wait_for_port(port, process=server.process)
                auth = ("--cert", os.path.join(client, "app.crt"), "--key", os.path.join(client, "app.key"))
                self.assertEqual(self.redis_cli(port, root_ca, *auth).stdout.strip(), "PONG")
                self.assertNotEqual(self.redis_cli(port, root_ca).stdout.strip(), "PONG")
                r = redis.Redis(host="localhost", port=port, ssl=True, ssl_ca_certs=root_ca,
                                ssl_check_hostname=True, ssl_certfile=auth[1], ssl_keyfile=auth[3],
                                socket_timeout=5, socket_connect_timeout=5)
                self.assertTrue(r.ping())
                r.close()
                server.stop()

    def test_stunnel_in_front_of_redis_5_with_mutual_tls(self):
        stunnel = shutil.which("stunnel4") or shutil.which("stunnel")
        if stunnel is None:
            self.fail("stunnel4 is not installed (scripts/apt-packages.txt lists it)")
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                root_ca, sub = self.make_hierarchy(backend)
                out = os.path.join(self.tmp, f"redis5-{backend}")
                tls_port, plain_port = free_port(), free_port()
                while plain_port == tls_port:
                    plain_port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", sub, "--out", out, "--redis-version", "5.0",
                      "--tls-port", str(tls_port), "--plain-port", str(plain_port), "--bind", "127.0.0.1",
                      "--client-cert", "app", "--backend", backend)
                conf = read_text(os.path.join(out, "server", "stunnel.conf"))
                run_conf = os.path.join(self.tmp, f"stunnel-run-{backend}.conf")
                with open(run_conf, "w") as f:
                    f.write(f"foreground = yes\npid =\noutput = {self.tmp}/stunnel-{backend}.log\n" + conf)
                plain = Service(self, ["redis-server", "--port", str(plain_port), "--bind", "127.0.0.1",
                                       "--dir", self.tmp, "--save", "", "--appendonly", "no"])
                wait_for_port(plain_port, process=plain.process)
                proxy = Service(self, [stunnel, run_conf])
                wait_for_port(tls_port, process=proxy.process)
                client = self.unzip(os.path.join(out, "db1-crt.zip"))
                auth = ("--cert", os.path.join(client, "app.crt"), "--key", os.path.join(client, "app.key"))
                self.assertEqual(self.redis_cli(tls_port, root_ca, *auth).stdout.strip(), "PONG")
                self.assertEqual(
                    self.redis_cli(tls_port, root_ca, *auth, command=("SET", "k", "v5")).stdout.strip(), "OK")
                self.assertNotEqual(self.redis_cli(tls_port, root_ca).stdout.strip(), "PONG")
                proxy.stop()
                plain.stop()


class HierarchyMongoDBTest(HierarchyTestCase):
    def connect(self, ca, port, server_hostname, cert=None):
        context = ssl.create_default_context(cafile=ca)
        if cert:
            context.load_cert_chain(*cert)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return tls.recv(200).decode().strip()

    def test_a_mongod_style_certificate_key_file_verifies_for_clients_that_trust_only_the_root(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                root_ca, sub = self.make_hierarchy(backend)
                out = os.path.join(self.tmp, f"mongo-{backend}")
                dbpki("bundle", "mongodb", "db1", "--dir", sub, "--out", out, "--backend", backend)
                pem = os.path.join(out, "server", "db1.pem")
                server_ca = os.path.join(out, "server", "ca.crt")
                port = free_port()
                server = Service(self, [sys.executable, "-c", MONGOD_STANDIN, pem, server_ca, str(port)])
                wait_for_port(port, process=server.process)
                for check in (["-verify_hostname", "db1.example.com"], ["-verify_ip", "127.0.0.1"]):
                    result = run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername",
                                  "db1.example.com", "-CAfile", root_ca, "-verify_return_error", *check],
                                 check=False)
                    self.assertIn("Verify return code: 0 (ok)", result.stdout, result.stdout[-600:])
                gnutls = run(["gnutls-cli", "--x509cafile", root_ca, "-p", str(port), "--verify-hostname",
                              "db1.example.com", "127.0.0.1"], check=False)
                self.assertIn("Handshake was completed", gnutls.stdout + gnutls.stderr,
                              gnutls.stdout[-800:] + gnutls.stderr[-800:])
                for host in ["db1.example.com", "127.0.0.1"]:
                    self.assertEqual(self.connect(root_ca, port, host), "anonymous")
                    self.assertEqual(self.connect(os.path.join(out, "MongoDB-CA.crt"), port, host), "anonymous")
                # A client certificate issued under the intermediate, sent with its chain: the server's CAFile accepts it.
                app = os.path.join(sub, "issued")
                cert = (os.path.join(app, "app.crt"), os.path.join(app, "app.key"))
                self.assertEqual(self.connect(root_ca, port, "db1.example.com", cert), "app")
                # A root from an unrelated PKI is refused.
                stranger = os.path.join(self.tmp, f"stranger-{backend}")
                dbpki("init", "--dir", stranger, "--name", "Unrelated CA", "--backend", backend)
                with self.assertRaises(ssl.SSLCertVerificationError):
                    self.connect(os.path.join(stranger, "ca.crt"), port, "db1.example.com")
                server.stop()


if __name__ == "__main__":
    unittest.main()
