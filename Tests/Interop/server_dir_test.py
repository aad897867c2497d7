"""`bundle redis --server-dir`: the configs name the files where they are installed.

The server side is written to OUT/server, then copied to an "installed" directory (with a
space in its path, which the configs must quote or carry) and OUT/server is removed: the
real redis-server (native TLS, Redis 6.0+) and stunnel 5 in front of a plain redis-server
(the Redis 4.0/5.0 shape) start from the installed config alone and answer PING to a
client with the bundle's client certificate, and refuse one without.

Every service listens on 127.0.0.1 on a free port and is stopped by the test; every client
call has a timeout.

Run: DBPKI_BIN=$PWD/.build/debug/dbpki python3 -m unittest Tests/Interop/server_dir_test.py -v
"""

import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from interop_test import ROOT, Service, dbpki, free_port, run, wait_for_port  # functions only: no test class is imported


class ServerDirTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dbpki-server-dir-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def bundle(self, version, tls_port, plain_port):
        pki = os.path.join(self.tmp, f"pki-{version}")
        dbpki("init", "--dir", pki, "--name", "Server dir CA")
        dbpki("issue", "db1", "--dir", pki, "--dns", "localhost", "--ip", "127.0.0.1")
        dbpki("issue", "app", "--dir", pki, "--client")
        out = os.path.join(self.tmp, f"out-{version}")
        installed = os.path.join(self.tmp, f"installed dir {version}", "redis")
        dbpki("bundle", "redis", "db1", "--dir", pki, "--out", out, "--redis-version", version, "--client-cert", "app",
              "--tls-port", str(tls_port), "--plain-port", str(plain_port), "--bind", "127.0.0.1",
              "--server-dir", installed)
        shutil.copytree(os.path.join(out, "server"), installed)
        shutil.rmtree(os.path.join(out, "server"))
        client = os.path.join(self.tmp, f"client-{version}")
        with zipfile.ZipFile(os.path.join(out, "db1-crt.zip")) as archive:
            archive.extractall(client)
        return installed, client

    def ping(self, port, client, with_cert=True):
        auth = ["--cert", os.path.join(client, "app.crt"), "--key", os.path.join(client, "app.key")] if with_cert else []
        return run(["timeout", "10", "redis-cli", "--tls", "--cacert", os.path.join(client, "ca.crt"), *auth,
                    "-h", "127.0.0.1", "-p", str(port), "PING"], check=False).stdout.strip()

    def test_redis_server_starts_from_the_installed_config(self):
        port = free_port()
        installed, client = self.bundle("7.0", port, 6379)
        conf = os.path.join(installed, "redis-tls.conf")
        with open(conf) as f:
            self.assertIn(f'tls-cert-file "{installed}/db1.crt"', f.read())
        server = Service(self, ["redis-server", conf, "--dir", self.tmp, "--save", "", "--appendonly", "no"],
                         stderr=subprocess.DEVNULL)
        wait_for_port(port, process=server.process)
        self.assertEqual(self.ping(port, client), "PONG")
        self.assertNotEqual(self.ping(port, client, with_cert=False), "PONG")

    def test_stunnel_starts_from_the_installed_config(self):
        stunnel = shutil.which("stunnel4") or shutil.which("stunnel")
        self.assertIsNotNone(stunnel, "stunnel4 is not installed (scripts/apt-packages.txt lists it)")
        tls_port, plain_port = free_port(), free_port()
        while plain_port == tls_port:
            plain_port = free_port()
        installed, client = self.bundle("5.0", tls_port, plain_port)
        with open(os.path.join(installed, "stunnel.conf")) as f:
            conf = f.read()
        self.assertIn(f"cert = {installed}/db1.crt\n", conf)
        run_conf = os.path.join(self.tmp, "stunnel-run.conf")
        with open(run_conf, "w") as f:
            f.write(f"foreground = yes\npid =\noutput = {self.tmp}/stunnel.log\n" + conf)
        plain = Service(self, ["redis-server", "--port", str(plain_port), "--bind", "127.0.0.1", "--dir", self.tmp,
                               "--save", "", "--appendonly", "no"], stderr=subprocess.DEVNULL)
        wait_for_port(plain_port, process=plain.process)
        proxy = Service(self, [stunnel, run_conf], stderr=subprocess.DEVNULL)
        wait_for_port(tls_port, process=proxy.process)
        self.assertEqual(self.ping(tls_port, client), "PONG")
        self.assertNotEqual(self.ping(tls_port, client, with_cert=False), "PONG")


if __name__ == "__main__":
    unittest.main()
