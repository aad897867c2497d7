"""MongoDB mutual TLS: dbpki's `bundle mongodb --client-cert` files used by real TLS peers.

No mongod is installable from Debian, so openssl s_server stands in for it, configured
exactly as the generated mongod.conf says: `-cert`/`-key` = net.tls.certificateKeyFile,
`-CAfile` = net.tls.CAFile, and a client certificate required (`-Verify 1
-verify_return_error`, what mongod does with CAFile set and no
allowConnectionsWithoutCertificates). The client is Python's ssl module with CLIENT.pem as
its certificate-and-key file (a driver's tlsCertificateKeyFile), trusting MongoDB-CA.crt.
A client without a certificate, or with one of another CA, must be refused.

mongod authenticates an x.509 user by the certificate's subject as it derives it; its
documentation tells users to read that name with `openssl x509 -noout -subject -nameopt
RFC2253`. Each user name in x509-users.js is checked against that output, for subjects
with RFC 2253 escapes and non-ASCII characters.

A cluster member presents its clusterFile (from `--member`) to its peers as a client
certificate: s_server accepts it, and refuses a plain server certificate (serverAuth only)
in its place, which is why dbpki refuses such a certificate as a member.

The bundle is made once with the config naming OUT/server and once with --server-dir
naming an "installed" copy of the server files; s_server reads the paths from mongod.conf.

Every service listens on 127.0.0.1 on a free port and is stopped by the test; every client
call has a timeout.

Run: DBPKI_BIN=$PWD/.build/debug/dbpki python3 -m unittest Tests/Interop/mongodb_mtls_test.py -v
"""

import json
import os
import re
import shutil
import socket
import ssl
import stat
import subprocess
import tempfile
import unittest

import yaml

from interop_test import BACKENDS, ROOT, Service, dbpki, free_port, run, wait_for_port  # functions only: no test class is imported


# Clients and their --subject: plain, with every RFC 2253 special, and non-ASCII.
CLIENTS = {
    "app": r"O=Acme\, Inc.,OU=Apps",
    "odd": r"O=\#Hash\+Plus,OU=semi\;colon \<x\> \"q\" back\\slash,L=\ lead and trail\ ",
    "uni": "O=Zürich Äpfel AG,OU=Apps",
}


def x509_users(path):
    """{client name: user name} from x509-users.js (each command follows a `// CLIENT.pem` line)."""
    users, client = {}, None
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for line in lines:
        if line.startswith("// ") and line.strip().endswith(".pem"):
            client = line.strip()[3:-4]
        match = re.search(r'createUser: ("(?:[^"\\]|\\.)*")', line)
        if match:
            users[client] = json.loads(match.group(1))
    return users


class MongoDBMutualTLSTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dbpki-mongo-mtls-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def make_pki(self, backend, name="pki"):
        pki = os.path.join(self.tmp, f"{name}-{backend}")
        dbpki("init", "--dir", pki, "--name", f"Mongo {name} CA", "--backend", backend)
        dbpki("issue", "db1", "--dir", pki, "--dns", "localhost", "--ip", "127.0.0.1",
              "--subject", "O=Acme,OU=Databases", "--backend", backend)
        for client, subject in CLIENTS.items():
            dbpki("issue", client, "--dir", pki, "--client", "--subject", subject, "--backend", backend)
        dbpki("issue", "rs0", "--dir", pki, "--member", "--subject", "O=Acme,OU=Databases", "--dns", "localhost",
              "--backend", backend)
        return pki

    def serve(self, conf_path):
        """openssl s_server with the files mongod.conf names, client certificates required."""
        with open(conf_path) as f:
            net = yaml.safe_load(f)["net"]["tls"]
        self.assertNotIn("allowConnectionsWithoutCertificates", net)
        self.assertEqual(net["mode"], "requireTLS")
        port = free_port()
        server = Service(
            self,
            ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", net["certificateKeyFile"],
             "-key", net["certificateKeyFile"], "-CAfile", net["CAFile"], "-Verify", "1",
             "-verify_return_error", "-www", "-naccept", "50", "-quiet"],
            stderr=subprocess.DEVNULL)
        wait_for_port(port, process=server.process)
        return port

    def get(self, port, ca, certfile=None):
        """An HTTP GET over TLS (s_server -www answers it); raises when the server refuses the client."""
        context = ssl.create_default_context(cafile=ca)
        if certfile:
            context.load_cert_chain(certfile)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
                data = b""
                while True:
                    chunk = tls.recv(4096)
                    if not chunk:
                        return data
                    data += chunk

    def check_bundle(self, out):
        ca = os.path.join(out, "MongoDB-CA.crt")
        port = self.serve(os.path.join(out, "server", "mongod.conf"))
        for client in CLIENTS:
            pem = os.path.join(out, f"{client}.pem")
            self.assertEqual(stat.S_IMODE(os.stat(pem).st_mode), 0o600)
            self.assertTrue(self.get(port, ca, pem).startswith(b"HTTP/1.0 200 ok"), client)
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            self.get(port, ca)
        # A client certificate of another CA, with its key, in one file.
        stranger = os.path.join(self.tmp, f"other-{port}")
        dbpki("init", "--dir", stranger, "--name", "Other CA")
        dbpki("issue", "app", "--dir", stranger, "--client")
        foreign_pem = os.path.join(self.tmp, f"foreign-{port}.pem")
        with open(foreign_pem, "w") as f:
            for part in ("app.crt", "app.key"):
                with open(os.path.join(stranger, "issued", part)) as source:
                    f.write(source.read())
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            self.get(port, ca, foreign_pem)

    def test_clients_with_their_pem_are_accepted_and_others_refused(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = self.make_pki(backend)
                out = os.path.join(self.tmp, f"out-{backend}")
                dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--backend", backend,
                      *sum((["--client-cert", c] for c in CLIENTS), []))
                self.check_bundle(out)

    def test_the_configs_name_the_install_directory_given_with_server_dir(self):
        pki = self.make_pki("openssl")
        out = os.path.join(self.tmp, "out")
        installed = os.path.join(self.tmp, "installed dir", "mongod")
        dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--server-dir", installed,
              *sum((["--client-cert", c] for c in CLIENTS), []))
        with open(os.path.join(out, "server", "mongod.conf")) as f:
            net = yaml.safe_load(f)["net"]["tls"]
        self.assertEqual(net["certificateKeyFile"], os.path.join(installed, "db1.pem"))
        self.assertEqual(net["CAFile"], os.path.join(installed, "ca.crt"))
        self.assertFalse(os.path.exists(installed))
        shutil.copytree(os.path.join(out, "server"), installed)
        self.check_bundle(out)

    def test_a_member_certificate_is_accepted_as_a_peer_and_a_plain_server_certificate_is_not(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = self.make_pki(backend)
                out = os.path.join(self.tmp, f"member-{backend}")
                dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--backend", backend,
                      "--client-cert", "app", "--member", "rs0")
                conf_path = os.path.join(out, "server", "mongod.conf")
                with open(conf_path) as f:
                    member_pem = yaml.safe_load(f)["net"]["tls"]["clusterFile"]
                self.assertEqual(member_pem, os.path.join(out, "server", "rs0.pem"))
                with open(os.path.join(out, "server", "cluster-auth.conf")) as f:
                    self.assertEqual(yaml.safe_load(f), {"security": {"clusterAuthMode": "x509"}})
                port = self.serve(conf_path)
                ca = os.path.join(out, "MongoDB-CA.crt")
                # A peer presents its clusterFile as a client certificate: it needs clientAuth.
                self.assertTrue(self.get(port, ca, member_pem).startswith(b"HTTP/1.0 200 ok"))
                with self.assertRaises((ssl.SSLError, ConnectionError)):
                    self.get(port, ca, os.path.join(out, "server", "db1.pem"))
                # dbpki refuses that plain server certificate as a member, with one error line.
                refused = dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", os.path.join(self.tmp, "x"),
                                "--member", "db1", check=False)
                self.assertEqual(refused.returncode, 64)
                self.assertTrue(refused.stderr.startswith("error: ") and "clientAuth" in refused.stderr, refused.stderr)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "x")))

    def test_each_x509_user_is_the_subject_openssl_prints_in_rfc2253(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = self.make_pki(backend)
                out = os.path.join(self.tmp, f"users-{backend}")
                dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--backend", backend,
                      *sum((["--client-cert", c] for c in CLIENTS), []))
                users = x509_users(os.path.join(out, "server", "x509-users.js"))
                self.assertEqual(sorted(users), sorted(CLIENTS))
                for client in CLIENTS:
                    printed = run(["openssl", "x509", "-in", os.path.join(out, f"{client}.pem"), "-noout",
                                   "-subject", "-nameopt", "RFC2253"]).stdout.strip()
                    self.assertTrue(printed.startswith("subject="), printed)
                    self.assertEqual(users[client], printed[len("subject="):])
                self.assertEqual(users["app"], r"CN=app,OU=Apps,O=Acme\, Inc.")
                self.assertEqual(users["uni"], r"CN=uni,OU=Apps,O=Z\C3\BCrich \C3\84pfel AG")


if __name__ == "__main__":
    unittest.main()
