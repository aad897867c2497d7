"""Interop tests: dbpki's bundles served and used by real peers.

redis-server (native TLS), stunnel4 in front of a plain redis-server (Redis 4.0/5.0),
openssl s_server and gnutls-serv serving the MongoDB server files, and the clients
redis-cli, redis-py, openssl s_client, gnutls-cli and Python's ssl module.

Every service listens on 127.0.0.1 / ::1 on a free port (gnutls-serv, which cannot be
told to listen on loopback only, runs in a private network namespace), is stopped by
the test, and every client call has a timeout.

Run: DBPKI_BIN=.build/debug/dbpki python3 -m unittest discover -s Tests/Interop -p '*_test.py' -v
"""

import os
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

import redis
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DBPKI = os.environ.get("DBPKI_BIN", os.path.join(ROOT, ".build", "debug", "dbpki"))
BACKENDS = ["openssl", "gnutls"]
TIMEOUT = 15


def free_port(host="127.0.0.1", family=socket.AF_INET):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(port, host="127.0.0.1", process=None, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {host}:{port} after {seconds}s")


def run(args, check=True, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def dbpki(*args, check=True):
    return run([DBPKI, *args], check=check)


class Service:
    """A background process stopped when the test ends."""

    def __init__(self, test, args, **kwargs):
        options = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, **kwargs}
        self.process = subprocess.Popen(args, **options)
        test.addCleanup(self.stop)

    def stop(self):
        """Terminates the process (killed after 5 s) and closes the pipes it was given; safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None and not stream.closed:
                stream.close()


class InteropTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dbpki-interop-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def make_pki(self, backend, name="pki"):
        pki = os.path.join(self.tmp, f"{name}-{backend}")
        dbpki("init", "--dir", pki, "--name", f"Interop {name} CA ({backend})", "--backend", backend)
        dbpki(
            "issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--dns", "localhost",
            "--ip", "127.0.0.1", "--ip", "::1", "--backend", backend,
        )
        dbpki("issue", "app", "--dir", pki, "--client", "--backend", backend)
        return pki

    def unzip(self, path):
        folder = path + ".unzipped"
        with zipfile.ZipFile(path) as archive:
            archive.extractall(folder)
        return folder


class RedisTest(InteropTestCase):
    def start_redis(self, conf, *extra):
        port_args = list(extra)
        service = Service(self, ["redis-server", conf, "--dir", self.tmp, "--save", "", "--appendonly", "no", *port_args])
        return service

    def redis_cli(self, port, ca, *auth, command=("PING",)):
        return run(
            ["timeout", "10", "redis-cli", "--tls", "--cacert", ca, *auth, "-h", "127.0.0.1", "-p", str(port), *command],
            check=False,
        )

    def test_a_native_tls_bundle_serves_redis_cli_and_redis_py(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = self.make_pki(backend)
                out = os.path.join(self.tmp, f"redis-{backend}")
                port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", pki, "--out", out, "--tls-port", str(port),
                      "--bind", "127.0.0.1", "--backend", backend)
                conf = open(os.path.join(out, "server", "redis-tls.conf")).read()
                self.assertIn("tls-auth-clients no", conf)
                self.assertIn(f"tls-cert-file {out}/server/db1.crt", conf)
                with zipfile.ZipFile(os.path.join(out, "db1-crt.zip")) as archive:
                    self.assertEqual(archive.namelist(), ["ca.crt"])
                client = self.unzip(os.path.join(out, "db1-crt.zip"))
                server = self.start_redis(os.path.join(out, "server", "redis-tls.conf"))
                wait_for_port(port, process=server.process)
                ca = os.path.join(client, "ca.crt")
                self.assertEqual(self.redis_cli(port, ca).stdout.strip(), "PONG")
                self.assertEqual(self.redis_cli(port, ca, command=("SET", "k", "v1")).stdout.strip(), "OK")
                self.assertEqual(self.redis_cli(port, ca, command=("GET", "k")).stdout.strip(), "v1")
                # redis-cli checks only the chain; redis-py checks the host name too.
                for host in ["127.0.0.1", "localhost"]:
                    r = redis.Redis(host=host, port=port, ssl=True, ssl_ca_certs=ca, ssl_check_hostname=True,
                                    socket_timeout=5, socket_connect_timeout=5)
                    self.assertTrue(r.ping())
                    r.close()
                # A CA from an unrelated dbpki init is refused.
                stranger = os.path.join(self.tmp, f"stranger-{backend}")
                dbpki("init", "--dir", stranger, "--name", "Unrelated CA", "--backend", backend)
                refused = self.redis_cli(port, os.path.join(stranger, "ca.crt"))
                self.assertNotEqual(refused.stdout.strip(), "PONG")
                server.stop()

    def test_a_client_certificate_bundle_requires_the_certificate(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = self.make_pki(backend)
                out = os.path.join(self.tmp, f"redis-mtls-{backend}")
                port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", pki, "--out", out, "--tls-port", str(port),
                      "--bind", "127.0.0.1", "--client-cert", "app", "--backend", backend)
                zip_path = os.path.join(out, "db1-crt.zip")
                self.assertEqual(stat.S_IMODE(os.stat(zip_path).st_mode), 0o600)
                with zipfile.ZipFile(zip_path) as archive:
                    self.assertEqual(archive.namelist(), ["ca.crt", "app.crt", "app.key"])
                self.assertIn("tls-auth-clients yes", open(os.path.join(out, "server", "redis-tls.conf")).read())
                client = self.unzip(zip_path)
                server = self.start_redis(os.path.join(out, "server", "redis-tls.conf"))
                wait_for_port(port, process=server.process)
                ca = os.path.join(client, "ca.crt")
                without = self.redis_cli(port, ca)
                self.assertNotEqual(without.stdout.strip(), "PONG")
                with_cert = self.redis_cli(port, ca, "--cert", os.path.join(client, "app.crt"),
                                           "--key", os.path.join(client, "app.key"))
                self.assertEqual(with_cert.stdout.strip(), "PONG", with_cert.stderr)
                server.stop()

    def test_redis_5_is_served_through_stunnel(self):
        if shutil.which("stunnel4") is None and shutil.which("stunnel") is None:
            self.fail("stunnel4 is not installed (.ci/run installs it)")
        stunnel = shutil.which("stunnel4") or shutil.which("stunnel")
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = self.make_pki(backend)
                out = os.path.join(self.tmp, f"redis5-{backend}")
                tls_port, plain_port = free_port(), free_port()
                while plain_port == tls_port:
                    plain_port = free_port()
                dbpki("bundle", "redis", "db1", "--dir", pki, "--out", out, "--redis-version", "5.0",
                      "--tls-port", str(tls_port), "--plain-port", str(plain_port), "--bind", "127.0.0.1",
                      "--client-cert", "app", "--backend", backend)
                self.assertFalse(os.path.exists(os.path.join(out, "server", "redis-tls.conf")))
                conf = open(os.path.join(out, "server", "stunnel.conf")).read()
                self.assertIn(f"accept = 127.0.0.1:{tls_port}", conf)
                self.assertIn(f"connect = 127.0.0.1:{plain_port}", conf)
                self.assertIn("requireCert = yes", conf)
                self.assertIn("verifyChain = yes", conf)
                options = [line.split("=")[0].strip() for line in conf.splitlines() if not line.startswith(";")]
                self.assertNotIn("verify", options)
                # Run it in the foreground for the test; the bundle's service section is used unchanged.
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
                ca = os.path.join(client, "ca.crt")
                self.assertEqual(self.redis_cli(tls_port, ca, *auth).stdout.strip(), "PONG")
                self.assertEqual(self.redis_cli(tls_port, ca, *auth, command=("SET", "k", "v5")).stdout.strip(), "OK")
                self.assertEqual(self.redis_cli(tls_port, ca, *auth, command=("GET", "k")).stdout.strip(), "v5")
                self.assertNotEqual(self.redis_cli(tls_port, ca).stdout.strip(), "PONG")
                proxy.stop()
                plain.stop()


class MongoDBTest(InteropTestCase):
    def bundle(self, backend, version="7.0"):
        pki = self.make_pki(backend, name=f"pki-{version}")
        out = os.path.join(self.tmp, f"mongo-{backend}-{version}")
        dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--mongodb-version", version, "--backend", backend)
        return out

    def python_ssl_connect(self, ca, host, port, server_hostname):
        context = ssl.create_default_context(cafile=ca)
        with socket.create_connection((host, port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return tls.version()

    def openssl_clients(self, ca, port):
        for check in (["-verify_hostname", "db1.example.com"], ["-verify_ip", "127.0.0.1"]):
            result = run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "db1.example.com",
                          "-CAfile", ca, "-verify_return_error", *check], check=False)
            self.assertEqual(result.returncode, 0, result.stdout[-600:] + result.stderr[-600:])
            self.assertIn("Verify return code: 0 (ok)", result.stdout)
        wrong = run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", ca,
                     "-verify_return_error", "-verify_hostname", "db2.example.com"], check=False)
        self.assertNotEqual(wrong.returncode, 0)

    def test_the_client_file_holds_only_ca_certificates(self):
        out = self.bundle("openssl")
        text = open(os.path.join(out, "MongoDB-CA.crt")).read()
        self.assertEqual(text.count("-----BEGIN CERTIFICATE-----"), 1)
        self.assertNotIn("PRIVATE KEY", text)
        pem = os.path.join(out, "server", "db1.pem")
        self.assertEqual(stat.S_IMODE(os.stat(pem).st_mode), 0o600)
        body = open(pem).read()
        self.assertLess(body.index("BEGIN CERTIFICATE"), body.index("BEGIN PRIVATE KEY"))

    def test_mongod_conf_has_the_keys_of_each_version(self):
        for version, section, mode, key_file in [
            ("4.0", "ssl", "requireSSL", "PEMKeyFile"),
            ("4.2", "tls", "requireTLS", "certificateKeyFile"),
            ("7.0", "tls", "requireTLS", "certificateKeyFile"),
        ]:
            with self.subTest(version=version):
                out = self.bundle("openssl", version)
                conf = yaml.safe_load(open(os.path.join(out, "server", "mongod.conf")))
                net = conf["net"][section]
                self.assertEqual(net["mode"], mode)
                self.assertEqual(net[key_file], os.path.join(out, "server", "db1.pem"))
                self.assertEqual(net["CAFile"], os.path.join(out, "server", "ca.crt"))
                self.assertIs(net["allowConnectionsWithoutCertificates"], True)
                self.assertEqual(list(conf["net"].keys()), [section])

    def test_mongodb_before_4_0_is_refused_and_nothing_is_written(self):
        pki = self.make_pki("openssl")
        out = os.path.join(self.tmp, "old")
        result = dbpki("bundle", "mongodb", "db1", "--dir", pki, "--out", out, "--mongodb-version", "3.6", check=False)
        self.assertGreaterEqual(result.returncode, 64)
        self.assertTrue(result.stderr.startswith("error: "), result.stderr)
        self.assertIn("4.0 or later", result.stderr)
        self.assertFalse(os.path.exists(out))

    def test_the_server_files_served_by_openssl_s_server_verify_everywhere(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                out = self.bundle(backend)
                port = free_port()
                pem = os.path.join(out, "server", "db1.pem")
                server = Service(self, ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", pem,
                                        "-key", pem, "-naccept", "100", "-quiet"])
                wait_for_port(port, process=server.process)
                ca = os.path.join(out, "MongoDB-CA.crt")
                self.openssl_clients(ca, port)
                for host in ["db1.example.com", "localhost", "127.0.0.1"]:
                    self.assertIsNotNone(self.python_ssl_connect(ca, "127.0.0.1", port, host))
                with self.assertRaises(ssl.SSLCertVerificationError):
                    self.python_ssl_connect(ca, "127.0.0.1", port, "db2.example.com")
                gnutls = run(["gnutls-cli", "--x509cafile", ca, "-p", str(port), "--verify-hostname",
                              "db1.example.com", "127.0.0.1"], check=False, input=None)
                self.assertIn("Handshake was completed", gnutls.stdout + gnutls.stderr,
                              gnutls.stdout[-800:] + gnutls.stderr[-800:])
                server.stop()

    def test_the_server_files_served_by_gnutls_serv_verify_everywhere(self):
        if os.geteuid() != 0:
            self.skipTest("gnutls-serv runs in a private network namespace, which needs root")
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                out = self.bundle(backend)
                pem = os.path.join(out, "server", "db1.pem")
                ca = os.path.join(out, "MongoDB-CA.crt")
                # gnutls-serv listens on every address: give it a network namespace with only loopback.
                script = f"""
set -e
ip link set lo up
gnutls-serv --x509certfile {pem} --x509keyfile {pem} -p 5443 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for i in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/5443) 2>/dev/null && break; sleep 0.05; done
timeout 10 openssl s_client -connect 127.0.0.1:5443 -CAfile {ca} -verify_return_error -verify_hostname db1.example.com </dev/null >/dev/null 2>&1 && echo openssl-dns-ok
timeout 10 openssl s_client -connect 127.0.0.1:5443 -CAfile {ca} -verify_return_error -verify_ip 127.0.0.1 </dev/null >/dev/null 2>&1 && echo openssl-ip-ok
timeout 10 gnutls-cli --x509cafile {ca} -p 5443 --verify-hostname db1.example.com 127.0.0.1 </dev/null 2>&1 | grep -q 'Handshake was completed' && echo gnutls-ok
timeout 10 {sys.executable} -c "
import socket, ssl
c = ssl.create_default_context(cafile='{ca}')
for name in ['db1.example.com', '127.0.0.1']:
    with c.wrap_socket(socket.create_connection(('127.0.0.1', 5443), timeout=5), server_hostname=name) as s:
        pass
print('python-ok')
"
"""
                result = run(["unshare", "-n", "bash", "-c", script], check=False)
                for marker in ["openssl-dns-ok", "openssl-ip-ok", "gnutls-ok", "python-ok"]:
                    self.assertIn(marker, result.stdout, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
