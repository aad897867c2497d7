"""The live changeover: a CA rollover under clients that keep connecting.

A real redis-server (native TLS) and openssl s_server (standing in for mongod, serving
dbpki's MongoDB server files) run on 127.0.0.1 while background clients open a NEW TLS
connection over and over (redis-py PING; an HTTP GET to s_server -www with Python's ssl
module), each with the CA file it "downloaded". The operator meanwhile walks the README's
"Rotation without an outage" steps:

    0  before the rollover       the original bundle (old CA only) is out
    1  ca rollover               a new CA issues; the old one is still trusted
    2  merged bundle published   bundle again: ca.crt / MongoDB-CA.crt hold both CAs
    3  server re-issued          renew + reload (redis: CONFIG SET, live; mongod: restart)
    4  ca retire-old             refused (exit 1) before step 3, accepted after it
    5  new-only bundle published bundle again: only the new CA

Clients:
    A  follows the documented order: old bundle, merged bundle at step 2, new-only at step 5.
       Must never fail.
    B  skips the merged bundle and keeps the original one: works until the server is
       re-issued at step 3, then fails with a certificate verification error, as the
       README says.
    C  jumps ahead: right after the rollover it trusts only the new CA (PKI/ca.crt, handed
       out directly): fails at steps 1-2, works from step 3 on.
    D  takes the merged bundle at step 2 and never downloads again: never fails (the merged
       bundle stays good after retire-old; step 5 only drops trust in the old CA).

An attempt is counted in a phase only if it began and ended inside that phase; attempts that
straddle a change (or run while the server is reloaded or restarted) are counted as
"boundary": A and D must succeed there too, B and C may go either way.

mongod has no live reload in this stand-in (mongod 5.0+ has db.rotateCertificates(); the
test restarts s_server, as a mongod restart would): while the port is closed, a client
retries "connection refused" (or a connection the stopping server drops) for up to
RESTART_RETRY_SECONDS and that is not counted as a failure, because a restart is not a TLS
failure; the retries are allowed only during the restart itself. A TLS verification failure
always counts. Redis is reloaded live, so there no retry at all is allowed.

The clients trust only the file they downloaded: SSL_CERT_FILE/SSL_CERT_DIR point at an
empty place while the test runs (redis-py builds its context with
ssl.create_default_context(), which would otherwise add the system store; that also makes
each new connection cheap enough for a good number of attempts per phase).

Figures (attempts per phase and client, failures, total time) go to stderr.

Run: DBPKI_BIN=.build/debug/dbpki python3 -m unittest discover -s Tests/Interop -p 'changeover_test.py' -v
"""

import collections
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zipfile

import redis

from interop_test import dbpki, free_port, run, wait_for_port

PHASES = [
    "0 before rollover",
    "1 ca rollover",
    "2 merged bundle",
    "3 server re-issued",
    "4 old CA retired",
    "5 new-only bundle",
]
# Every client gets at least MIN_ATTEMPTS counted attempts and every phase lasts at least
# MIN_SECONDS; a phase that cannot get there in MAX_SECONDS fails the count assertions.
MIN_SECONDS = 1.0
MIN_ATTEMPTS = 8
MAX_SECONDS = 10.0
CLIENT_TIMEOUT = 2.0
RESTART_RETRY_SECONDS = 5.0

# Which phases each client must succeed in (the others must fail with a verification error).
WORKS_IN = {
    "A": {0, 1, 2, 3, 4, 5},
    "B": {0, 1, 2},
    "C": {0, 3, 4, 5},
    "D": {0, 1, 2, 3, 4, 5},
}


def read_text(path):
    with open(path) as f:
        return f.read()


def pem_certificates(path):
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", read_text(path), re.S)


def subject_of(pem_text):
    result = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253"], input=pem_text,
                            capture_output=True, text=True, timeout=15, check=True)
    return result.stdout.strip().removeprefix("subject=")


class Timeline:
    """The phase the operator is in; None while a change is being made."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = 0
        self.phase = 0

    def snapshot(self):
        with self.lock:
            return self.generation, self.phase

    def begin_change(self):
        with self.lock:
            self.generation += 1
            self.phase = None

    def enter(self, phase):
        with self.lock:
            self.generation += 1
            self.phase = phase


class Client(threading.Thread):
    """One client: new connection after new connection with whatever CA file it holds now."""

    def __init__(self, name, ca, attempt, timeline, restart_retries=False):
        super().__init__(name=f"client-{name}", daemon=True)
        self.ca = ca  # replaced by the main thread when the client "downloads" a bundle
        self.attempt = attempt
        self.timeline = timeline
        self.restart_retries = restart_retries
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.tally = collections.defaultdict(collections.Counter)  # phase or "boundary" -> kind -> n
        self.examples = {}  # (phase, kind) -> first message
        self.retries = []  # (phase at the retry, message)
        self.longest_retry = 0.0

    def count(self, phase):
        with self.lock:
            return sum(self.tally[phase].values())

    def run(self):
        while not self.stopping.is_set():
            generation, phase = self.timeline.snapshot()
            kind, message = self.attempt_with_retries(self.ca)
            after, _ = self.timeline.snapshot()
            key = phase if generation == after and phase is not None else "boundary"
            with self.lock:
                self.tally[key][kind] += 1
                if message is not None:
                    self.examples.setdefault((key, kind), message)

    def attempt_with_retries(self, ca):
        started = time.monotonic()
        while True:
            kind, message = self.attempt(ca)
            if kind != "closed":
                break
            elapsed = time.monotonic() - started
            if not self.restart_retries or elapsed > RESTART_RETRY_SECONDS:
                return "other", message
            with self.lock:
                self.retries.append((self.timeline.snapshot()[1], message))
                self.longest_retry = max(self.longest_retry, elapsed)
            time.sleep(0.02)
        return kind, message


def redis_ping(port, host="127.0.0.1"):
    """A new redis-py connection (host name checked), PING, close."""

    def attempt(ca):
        client = redis.Redis(host=host, port=port, ssl=True, ssl_ca_certs=ca, ssl_check_hostname=True,
                             socket_timeout=CLIENT_TIMEOUT, socket_connect_timeout=CLIENT_TIMEOUT)
        try:
            return ("ok", None) if client.ping() is True else ("other", "PING did not answer PONG")
        except redis.exceptions.ConnectionError as error:
            return ("verify" if "CERTIFICATE_VERIFY_FAILED" in str(error) else "other"), str(error)
        except Exception as error:  # anything else is a failure too, never an exception in the thread
            return "other", repr(error)
        finally:
            client.close()

    return attempt


def https_get(port, server_hostname="localhost"):
    """A new TLS connection with Python's ssl (host name checked) and one request to s_server -www."""

    def attempt(ca):
        try:
            context = ssl.create_default_context(cafile=ca)
            with socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT) as raw:
                with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                    tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    answer = b""
                    while len(answer) < 16:
                        chunk = tls.recv(4096)
                        if not chunk:
                            break
                        answer += chunk
            if answer.startswith(b"HTTP/1.0 200 ok"):
                return "ok", None
            # An empty answer is the old server going away mid-request during a restart.
            return ("closed" if answer == b"" else "other"), f"answer {answer[:40]!r}"
        except ssl.SSLCertVerificationError as error:
            return "verify", f"{error.verify_message} ({error.reason})"
        except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError, ssl.SSLEOFError,
                ssl.SSLZeroReturnError) as error:
            return "closed", repr(error)
        except Exception as error:
            return "other", repr(error)

    return attempt


class ChangeoverTestCase(unittest.TestCase):
    def setUp(self):
        self.started = time.monotonic()
        self.tmp = tempfile.mkdtemp(prefix="dbpki-changeover-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        for variable in ["SSL_CERT_FILE", "SSL_CERT_DIR"]:
            self.addCleanup(self.restore_environment, variable, os.environ.get(variable))
            os.environ[variable] = os.path.join(self.tmp, "no-system-store")
        self.timeline = Timeline()
        self.clients = {}
        self.durations = {}
        self.phase_started = None

    @staticmethod
    def restore_environment(variable, value):
        if value is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = value

    # The PKI side, as the operator types it.

    def dbpki(self, *args, check=True):
        return dbpki(*args, "--backend", self.backend, check=check)

    def assert_phase(self, expected, still_on_old_ca=()):
        """ca status --json reports the phase and what the old CA still signs."""
        status = json.loads(self.dbpki("ca", "status", "--dir", self.pki, "--json").stdout)
        self.assertEqual(status["phase"], expected, status)
        self.assertEqual(sorted(status["still_on_old_ca"]), sorted(still_on_old_ca), status)
        self.assertEqual(status["old_ca"] is None, expected == "single-ca", status)
        return status

    def verify_bundle(self, path, server_cert, expect_fit=True):
        result = self.dbpki("verify", "bundle", path, "--server-cert", server_cert, "--ip", "127.0.0.1", check=False)
        self.assertEqual(result.returncode, 0 if expect_fit else 1,
                         f"verify bundle {path} --server-cert {server_cert}:\n{result.stdout}{result.stderr}")
        return result

    def unzip_ca(self, zip_path):
        with zipfile.ZipFile(zip_path) as archive:
            self.assertEqual(archive.namelist(), ["ca.crt"])
            folder = zip_path + ".unzipped"
            archive.extractall(folder)
        return os.path.join(folder, "ca.crt")

    def hand_out(self, path, name):
        """A copy of a CA file in a client's own folder, as a download would be."""
        folder = os.path.join(self.tmp, "downloads")
        os.makedirs(folder, exist_ok=True)
        copy = os.path.join(folder, name)
        shutil.copyfile(path, copy)
        return copy

    # The clients and the phases.

    def start_clients(self, cas, attempt, restart_retries=False):
        self.addCleanup(self.stop_clients)
        for name, ca in cas.items():
            client = Client(name, ca, attempt, self.timeline, restart_retries)
            self.clients[name] = client
            client.start()

    def stop_clients(self):
        for client in self.clients.values():
            client.stopping.set()
        for client in self.clients.values():
            client.join(timeout=CLIENT_TIMEOUT * 3 + RESTART_RETRY_SECONDS)

    def switch(self, name, ca_file):
        """The client downloads a CA file: its own copy, used from its next connection on."""
        self.clients[name].ca = self.hand_out(ca_file, f"{name}-phase-{len(self.durations)}.crt")

    def run_phase(self, phase, change=None):
        """Makes the change clients can notice (a download, a reload), then lets them run.

        The operator's dbpki commands run before, inside the previous phase: they change
        nothing a client sees until the files are handed out or the server reloads them."""
        self.end_phase()
        if change is not None:
            self.timeline.begin_change()
            change()
        started = time.monotonic()
        self.timeline.enter(phase)
        self.phase_started = (phase, started)
        while True:
            elapsed = time.monotonic() - started
            enough = all(client.count(phase) >= MIN_ATTEMPTS for client in self.clients.values())
            if (elapsed >= MIN_SECONDS and enough) or elapsed >= MAX_SECONDS:
                break
            time.sleep(0.05)

    def end_phase(self):
        """A phase lasts until the next change begins (the operator's commands included)."""
        if self.phase_started is not None:
            phase, started = self.phase_started
            self.durations[phase] = time.monotonic() - started
            self.phase_started = None

    def start_service(self, name, args):
        """A server on 127.0.0.1:self.port, its output in a log file, stopped by the test."""
        log = open(os.path.join(self.tmp, f"{name}-{len(self.durations)}.log"), "wb")
        self.addCleanup(log.close)
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.stop_process, process)
        wait_for_port(self.port, process=process)
        return process

    @staticmethod
    def stop_process(process):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def check_clients(self, story):
        self.end_phase()
        self.stop_clients()
        self.report(story)
        for name, client in self.clients.items():
            for phase in range(len(PHASES)):
                tally = client.tally[phase]
                where = f"{story}/{self.backend}: client {name} in phase '{PHASES[phase]}': {dict(tally)} {self.examples(client, phase)}"
                if phase in WORKS_IN[name]:
                    self.assertGreaterEqual(tally["ok"], MIN_ATTEMPTS, where)
                    self.assertEqual(tally["verify"] + tally["other"], 0, where)
                else:
                    self.assertGreaterEqual(tally["verify"], MIN_ATTEMPTS, where)
                    self.assertEqual(tally["ok"] + tally["other"], 0, where)
            boundary = client.tally["boundary"]
            if WORKS_IN[name] == set(range(len(PHASES))):
                self.assertEqual(boundary["verify"] + boundary["other"], 0,
                                 f"{story}/{self.backend}: client {name} failed at a change: {dict(boundary)} "
                                 f"{self.examples(client, 'boundary')}")
            else:
                self.assertEqual(boundary["other"], 0, f"client {name}: {self.examples(client, 'boundary')}")
            # Retries of a closed port are for the restart only, never while a phase runs.
            self.assertEqual([phase for phase, _ in client.retries if phase is not None], [],
                             f"client {name} found the server closed outside the restart: {client.retries[:3]}")

    @staticmethod
    def examples(client, phase):
        return {kind: message for (key, kind), message in client.examples.items() if key == phase}

    def report(self, story):
        lines = [f"\n[changeover] {story} on {self.backend}: counted attempts per phase (ok/verify-failed/other)"]
        names = sorted(self.clients)
        lines.append(f"  {'phase':22} {'secs':>5}  " + "  ".join(f"{name:>12}" for name in names))
        for phase in range(len(PHASES)):
            cells = []
            for name in names:
                t = self.clients[name].tally[phase]
                cells.append(f"{t['ok']:>4}/{t['verify']:>3}/{t['other']:>3}")
            lines.append(f"  {PHASES[phase]:22} {self.durations.get(phase, 0):5.2f}  " + "  ".join(cells))
        cells = []
        for name in names:
            t = self.clients[name].tally["boundary"]
            cells.append(f"{t['ok']:>4}/{t['verify']:>3}/{t['other']:>3}")
        lines.append(f"  {'boundary':22} {'':5}  " + "  ".join(cells))
        for name in names:
            client = self.clients[name]
            failures = sum(t["verify"] + t["other"] for t in client.tally.values())
            example = next((m for (k, kind), m in client.examples.items() if kind == "verify"), "")
            example = example.split("certificate verify failed: ")[-1]
            lines.append(f"  client {name}: {failures} failed connections"
                         + (f", {len(client.retries)} retries while the server restarted"
                            f" (longest wait {client.longest_retry:.2f}s)" if client.retries else "")
                         + (f"; verify error: {example[:110]}" if example else ""))
        lines.append(f"  total {time.monotonic() - self.started:.1f}s")
        # One line for the README's table: A's PINGs per phase, failed connections per client
        # (boundary attempts included), restart retries, time.
        a = self.clients["A"]
        failed = {name: sum(t["verify"] + t["other"] for t in c.tally.values()) for name, c in self.clients.items()}
        retries = sum(len(c.retries) for c in self.clients.values())
        lines.append(f"  summary | {story} | {self.backend} | "
                     + " ".join(str(a.tally[phase]["ok"]) for phase in range(len(PHASES)))
                     + f" | {failed['A']} | {failed['D']} | {failed['B']} | {failed['C']} | {retries} | "
                     + f"{time.monotonic() - self.started:.1f} s |")
        sys.stderr.write("\n".join(lines) + "\n")

    # Steps shared by both stories.

    def init_and_issue(self):
        self.pki = os.path.join(self.tmp, "pki")
        self.dbpki("init", "--dir", self.pki, "--name", f"Changeover Old CA ({self.backend})")
        self.dbpki("issue", "db1", "--dir", self.pki, "--dns", "localhost", "--ip", "127.0.0.1")
        self.old_ca = pem_certificates(os.path.join(self.pki, "ca.crt"))
        self.assertEqual(len(self.old_ca), 1)
        self.assert_phase("single-ca")

    def rollover(self):
        """Step 1; returns the new CA, which client C takes on its own."""
        self.dbpki("ca", "rollover", "--dir", self.pki)
        new_ca = pem_certificates(os.path.join(self.pki, "ca.crt"))
        self.assertEqual(len(new_ca), 1)
        self.assertNotEqual(new_ca, self.old_ca)
        self.assertNotEqual(subject_of(new_ca[0]), subject_of(self.old_ca[0]))
        self.new_ca = new_ca
        status = self.assert_phase("rollover-in-progress", still_on_old_ca=["db1"])
        self.assertEqual(status["old_ca"]["subject"], subject_of(self.old_ca[0]))
        self.assertEqual(status["current_ca"]["subject"], subject_of(new_ca[0]))
        # Retiring now would strand db1, still signed by the old CA.
        refused = self.dbpki("ca", "retire-old", "--dir", self.pki, check=False)
        self.assertEqual(refused.returncode, 1, refused.stdout + refused.stderr)
        self.assertIn("db1", refused.stdout + refused.stderr)
        self.assertTrue(refused.stderr.startswith("error: "), refused.stderr)
        self.assert_phase("rollover-in-progress", still_on_old_ca=["db1"])
        self.assertEqual(pem_certificates(os.path.join(self.pki, "ca.crt")), new_ca)
        return self.hand_out(os.path.join(self.pki, "ca.crt"), "new-ca-only.crt")

    def assert_merged(self, ca_file):
        self.assertEqual(sorted(pem_certificates(ca_file)), sorted(self.old_ca + self.new_ca))

    def renew(self):
        before = pem_certificates(os.path.join(self.pki, "issued", "db1.crt"))
        key_before = read_text(os.path.join(self.pki, "issued", "db1.key"))
        self.dbpki("renew", "db1", "--dir", self.pki)
        after = pem_certificates(os.path.join(self.pki, "issued", "db1.crt"))
        self.assertNotEqual(before, after)
        self.assertNotEqual(key_before, read_text(os.path.join(self.pki, "issued", "db1.key")))
        self.assert_phase("ready-to-retire")

    def retire_old(self):
        self.dbpki("ca", "retire-old", "--dir", self.pki)
        status = self.assert_phase("single-ca")
        self.assertEqual(status["current_ca"]["subject"], subject_of(self.new_ca[0]))

    def assert_new_only(self, ca_file):
        self.assertEqual(pem_certificates(ca_file), self.new_ca)


class RedisChangeoverTest(ChangeoverTestCase):
    """Redis 7.0 with native TLS, reloaded live with CONFIG SET."""

    def redis_cli_ping(self, ca):
        result = run(["timeout", "10", "redis-cli", "--tls", "--cacert", ca, "-h", "127.0.0.1", "-p", str(self.port),
                      "PING"], check=False)
        return result.stdout.strip() or result.stderr.strip()

    def check_with_redis_cli(self, phase):
        # redis-cli checks the chain, not the host name: it agrees with each client on the CA.
        for name, client in self.clients.items():
            answer = self.redis_cli_ping(client.ca)
            if phase in WORKS_IN[name]:
                self.assertEqual(answer, "PONG", f"redis-cli as {name} in '{PHASES[phase]}'")
            else:
                self.assertIn("certificate verify failed", answer, f"redis-cli as {name} in '{PHASES[phase]}'")

    def bundle(self, name):
        out = os.path.join(self.tmp, name)
        self.dbpki("bundle", "redis", "db1", "--dir", self.pki, "--out", out, "--tls-port", str(self.port),
                   "--bind", "127.0.0.1")
        return out

    def changeover(self, backend):
        self.backend = backend
        self.port = free_port()
        self.init_and_issue()
        out0 = self.bundle("bundle-0")
        zip0 = os.path.join(out0, "db1-crt.zip")
        old_cert = os.path.join(out0, "server", "db1.crt")
        self.verify_bundle(zip0, old_cert)
        original = self.unzip_ca(zip0)
        self.assertEqual(pem_certificates(original), self.old_ca)

        server = self.start_service("redis", [
            "redis-server", os.path.join(out0, "server", "redis-tls.conf"), "--dir", self.tmp, "--save", "",
            "--appendonly", "no", "--logfile", os.path.join(self.tmp, "redis.log")])
        # The operator's connection: opened once, kept across the reload.
        admin = redis.Redis(host="127.0.0.1", port=self.port, ssl=True, ssl_ca_certs=original,
                            ssl_check_hostname=True, socket_timeout=5, socket_connect_timeout=5,
                            single_connection_client=True)
        self.addCleanup(admin.close)
        run_id = admin.info("server")["run_id"]

        self.start_clients({name: self.hand_out(original, f"{name}-original.crt") for name in "ABCD"},
                           redis_ping(self.port))
        self.run_phase(0)
        self.check_with_redis_cli(0)

        # 1. ca rollover. C takes the new CA alone, too early.
        new_only = self.rollover()
        self.verify_bundle(new_only, old_cert, expect_fit=False)  # what C is about to see
        self.run_phase(1, lambda: self.switch("C", new_only))
        self.check_with_redis_cli(1)

        # 2. Publish the merged bundle; A and D download it, B does not.
        out2 = self.bundle("bundle-2-merged")
        zip2 = os.path.join(out2, "db1-crt.zip")
        self.verify_bundle(zip2, old_cert)
        merged = self.unzip_ca(zip2)
        self.assert_merged(merged)
        self.assert_merged(os.path.join(out2, "server", "ca.crt"))
        self.run_phase(2, lambda: (self.switch("A", merged), self.switch("D", merged)))
        self.check_with_redis_cli(2)

        # 3. Re-issue the server under the new CA and reload redis live. One CONFIG SET for the
        # three (redis-py 4.3's config_set takes one name): the new certificate and its new key
        # must be applied together.
        self.renew()
        out3 = self.bundle("bundle-3-reissued")
        new_cert = os.path.join(out3, "server", "db1.crt")
        self.verify_bundle(os.path.join(out3, "db1-crt.zip"), new_cert)
        self.assert_merged(self.unzip_ca(os.path.join(out3, "db1-crt.zip")))  # still both until retire-old
        self.assert_merged(os.path.join(out3, "server", "ca.crt"))
        self.verify_bundle(zip0, new_cert, expect_fit=False)  # B's download: what B is about to see
        self.verify_bundle(new_only, new_cert)  # C's file: about to work

        def reload():
            answer = admin.execute_command(
                "CONFIG", "SET", "tls-cert-file", new_cert, "tls-key-file", os.path.join(out3, "server", "db1.key"),
                "tls-ca-cert-file", os.path.join(out3, "server", "ca.crt"))
            self.assertIn(answer, (True, b"OK", "OK"))

        self.run_phase(3, reload)
        self.check_with_redis_cli(3)
        self.assertEqual(admin.config_get("tls-cert-file")["tls-cert-file"], new_cert)
        self.assertEqual(admin.info("server")["run_id"], run_id, "redis restarted instead of reloading")
        self.assertIsNone(server.poll())

        # 4. ca retire-old: accepted now that nothing active is signed by the old CA. Clients
        # see no change.
        self.retire_old()
        self.run_phase(4)
        self.check_with_redis_cli(4)

        # 5. Publish the new-only bundle; A downloads it (D stays on the merged one). The
        # server's tls-ca-cert-file follows (it only matters for client certificates).
        out5 = self.bundle("bundle-5-new-only")
        zip5 = os.path.join(out5, "db1-crt.zip")
        self.verify_bundle(zip5, new_cert)
        self.verify_bundle(zip5, old_cert, expect_fit=False)
        final = self.unzip_ca(zip5)
        self.assert_new_only(final)
        self.assert_new_only(os.path.join(out5, "server", "ca.crt"))

        def publish():
            self.switch("A", final)
            admin.execute_command("CONFIG", "SET", "tls-ca-cert-file", os.path.join(out5, "server", "ca.crt"))

        self.run_phase(5, publish)
        self.check_with_redis_cli(5)
        self.assertEqual(admin.info("server")["run_id"], run_id)
        self.check_clients("redis")

    def test_redis_changeover_openssl(self):
        self.changeover("openssl")

    def test_redis_changeover_gnutls(self):
        self.changeover("gnutls")


class MongoDBChangeoverTest(ChangeoverTestCase):
    """MongoDB server files served by openssl s_server, restarted with the re-issued ones."""

    def bundle(self, name):
        out = os.path.join(self.tmp, name)
        self.dbpki("bundle", "mongodb", "db1", "--dir", self.pki, "--out", out)
        return out

    def serve(self, out):
        return self.start_service("s_server", [
            "openssl", "s_server", "-accept", f"127.0.0.1:{self.port}", "-cert", os.path.join(out, "server", "db1.pem"),
            "-CAfile", os.path.join(out, "server", "ca.crt"), "-www", "-quiet"])

    def changeover(self, backend):
        self.backend = backend
        self.port = free_port()
        self.init_and_issue()
        out0 = self.bundle("bundle-0")
        original = os.path.join(out0, "MongoDB-CA.crt")
        old_pem = os.path.join(out0, "server", "db1.pem")
        self.verify_bundle(original, old_pem)
        self.assertEqual(pem_certificates(original), self.old_ca)
        servers = [self.serve(out0)]

        self.start_clients({name: self.hand_out(original, f"{name}-original.crt") for name in "ABCD"},
                           https_get(self.port), restart_retries=True)
        self.run_phase(0)

        # 1. ca rollover; C takes the new CA alone, too early.
        new_only = self.rollover()
        self.verify_bundle(new_only, old_pem, expect_fit=False)
        self.run_phase(1, lambda: self.switch("C", new_only))

        # 2. Publish the merged MongoDB-CA.crt; A and D download it.
        out2 = self.bundle("bundle-2-merged")
        merged = os.path.join(out2, "MongoDB-CA.crt")
        self.verify_bundle(merged, old_pem)
        self.assert_merged(merged)
        self.assert_merged(os.path.join(out2, "server", "ca.crt"))
        self.run_phase(2, lambda: (self.switch("A", merged), self.switch("D", merged)))

        # 3. Re-issue and restart the server with the new db1.pem (mongod: a restart, or
        # db.adminCommand({rotateCertificates: 1}) on 5.0+).
        self.renew()
        out3 = self.bundle("bundle-3-reissued")
        new_pem = os.path.join(out3, "server", "db1.pem")
        self.verify_bundle(os.path.join(out3, "MongoDB-CA.crt"), new_pem)
        self.assert_merged(os.path.join(out3, "MongoDB-CA.crt"))  # still both until retire-old
        self.assert_merged(os.path.join(out3, "server", "ca.crt"))
        self.verify_bundle(original, new_pem, expect_fit=False)
        self.verify_bundle(new_only, new_pem)

        def restart():
            servers[0].terminate()
            servers[0].wait(timeout=5)
            servers[0] = self.serve(out3)

        self.run_phase(3, restart)

        # 4. ca retire-old; clients see no change.
        self.retire_old()
        self.run_phase(4)

        # 5. Publish the new-only MongoDB-CA.crt; A downloads it.
        out5 = self.bundle("bundle-5-new-only")
        final = os.path.join(out5, "MongoDB-CA.crt")
        self.verify_bundle(final, new_pem)
        self.verify_bundle(final, old_pem, expect_fit=False)
        self.assert_new_only(final)
        self.run_phase(5, lambda: self.switch("A", final))
        self.assertIsNone(servers[0].poll())
        self.check_clients("mongodb")

    def test_mongodb_changeover_openssl(self):
        self.changeover("openssl")

    def test_mongodb_changeover_gnutls(self):
        self.changeover("gnutls")


if __name__ == "__main__":
    unittest.main()
