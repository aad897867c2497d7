"""Interop tests of `dbpki audit`: live probes against openssl s_server and a redis-server
TLS port, an unreachable port and non-TLS ports, with the JSON parsed by json and the
Prometheus exposition parsed by prometheus_client's parser (Debian python3-prometheus-client).

Every service listens on 127.0.0.1 or ::1 on a free port and is stopped by the test; every
dbpki call has a timeout.

Run: DBPKI_BIN=.build/debug/dbpki python3 -m unittest discover -s Tests/Interop -p 'audit_test.py' -v
"""

import datetime
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from prometheus_client.parser import text_string_to_metric_families

from interop_test import free_port, wait_for_port  # functions only: no test class is imported

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DBPKI = os.environ.get("DBPKI_BIN", os.path.join(ROOT, ".build", "debug", "dbpki"))
BACKENDS = ["openssl", "gnutls"]
TIMEOUT = 30


def dbpki(*args, check=True):
    result = subprocess.run([DBPKI, *args], capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"dbpki {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


class Service:
    """A background process stopped when the test ends."""

    def __init__(self, test, args):
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        test.addCleanup(self.stop)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


class PlainListener:
    """A TCP server on 127.0.0.1 that accepts and then sends `reply` (or nothing) and holds the line."""

    def __init__(self, test, reply):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.reply = reply
        self.stopping = threading.Event()
        self.connections = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        test.addCleanup(self.stop)

    def serve(self):
        while not self.stopping.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections.append(connection)
            if self.reply:
                try:
                    connection.sendall(self.reply)
                except OSError:
                    pass

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for connection in self.connections:
            connection.close()
        self.socket.close()


class MisbehavingListener:
    """A TCP server on 127.0.0.1 (a free port the system picks) that misbehaves on purpose until the test
    ends: "close" accepts and closes each connection at once; "drip" sends one byte every 0.5 s for ever
    (the header of a 16 KiB TLS handshake record, then zeros, so a client always waits for more)."""

    DRIP = b"\x16\x03\x03\x40\x00"

    def __init__(self, test, mode):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.mode = mode
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.serve, daemon=True)]
        self.threads[0].start()
        test.addCleanup(self.stop)

    def serve(self):
        while not self.stopping.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            if self.mode == "close":
                connection.close()
            else:
                thread = threading.Thread(target=self.drip, args=(connection,), daemon=True)
                self.threads.append(thread)
                thread.start()

    def drip(self, connection):
        with connection:
            sent = 0
            while not self.stopping.wait(0 if sent == 0 else 0.5):
                try:
                    connection.send(self.DRIP[sent:sent + 1] if sent < len(self.DRIP) else b"\x00")
                except OSError:  # the probe has gone: BrokenPipeError, as Python ignores SIGPIPE
                    return
                sent += 1

    def stop(self):
        self.stopping.set()
        for thread in list(self.threads):
            thread.join(timeout=5)
        self.socket.close()


# Runs the command after it where no DNS query is ever answered and no packet leaves the machine: private
# mount and network namespaces (unshare, as root) with only lo, a private /etc/resolv.conf naming 127.0.0.9,
# and a UDP socket bound to 127.0.0.9:53 handed to dbpki and never read, so queries queue up unanswered
# (a closed port would refuse them at once) and glibc waits its full 5 s x 2 attempts. $0 is the resolv.conf.
SILENT_RESOLVER = """ip link set lo up && mount --bind "$0" /etc/resolv.conf && exec /usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.9", 53))
os.set_inheritable(s.fileno(), True)
os.execv(sys.argv[1], sys.argv[1:])
' "$@"
"""


def silent_resolver_available():
    if os.geteuid() != 0 or not shutil.which("unshare") or not os.path.exists("/usr/bin/python3"):
        return False
    check = subprocess.run(["unshare", "--mount", "--net", "sh", "-c", "ip link set lo up"],
                           capture_output=True, timeout=TIMEOUT)
    return check.returncode == 0


class AuditProbeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dbpki-audit-interop-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.pki = os.path.join(self.tmp, "pki")
        dbpki("init", "--dir", self.pki, "--name", 'Audit "Quoted" \\ CA')
        # Short-lived: 5 days, so its stage is warn-7 whoever probes it.
        dbpki("issue", "db1", "--dir", self.pki, "--dns", "db1.example.com", "--ip", "127.0.0.1", "--days", "5")

    def audit_json(self, *args, expect=None):
        result = dbpki("audit", *args, "--format", "json", check=False)
        report = json.loads(result.stdout)
        if expect is not None:
            self.assertEqual(result.returncode, expect, result.stderr)
        self.assertEqual(report["summary"]["exit_status"], result.returncode)
        return report, result

    def start_s_server(self, host="127.0.0.1", family=socket.AF_INET):
        port = free_port(host, family)
        accept = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        crt = os.path.join(self.pki, "issued", "db1.crt")
        key = os.path.join(self.pki, "issued", "db1.key")
        server = Service(self, ["openssl", "s_server", "-accept", accept, "-cert", crt, "-key", key,
                                "-cert_chain", os.path.join(self.pki, "ca.crt"), "-naccept", "100", "-quiet"])
        wait_for_port(port, host=host, process=server.process)
        return port

    def test_probe_of_openssl_s_server_reads_the_presented_chain(self):
        port = self.start_s_server()
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                report, result = self.audit_json("--probe", f"127.0.0.1:{port}", "--servername", "db1.example.com",
                                                 "--backend", backend, expect=1)
                certificates = {c["subject"]: c for c in report["certificates"]}
                self.assertEqual(set(certificates), {"CN=db1", 'CN=Audit \\"Quoted\\" \\\\ CA'})
                leaf = certificates["CN=db1"]
                self.assertEqual(leaf["locations"], [f"probe:127.0.0.1:{port}"])
                self.assertEqual(leaf["stage"], "warn-7")
                self.assertEqual(leaf["days_left"], 4)
                self.assertEqual(leaf["subject_alt_names"], ["DNS:db1.example.com", "IP:127.0.0.1"])
                self.assertEqual(report["summary"]["unreadable"], [])

    def test_a_probed_certificate_and_its_file_are_one_record_with_both_locations(self):
        port = self.start_s_server()
        report, _ = self.audit_json("--dir", self.pki, "--probe", f"127.0.0.1:{port}", expect=1)
        leaf = [c for c in report["certificates"] if c["subject"] == "CN=db1"]
        self.assertEqual(len(leaf), 1)
        self.assertEqual(leaf[0]["locations"], [os.path.join(self.pki, "issued", "db1.crt"), f"probe:127.0.0.1:{port}"])
        self.assertEqual(report["summary"]["certificates"], 2)

    def test_probe_over_ipv6_loopback(self):
        try:
            port = self.start_s_server("::1", socket.AF_INET6)
        except (OSError, AssertionError) as error:
            self.skipTest(f"no IPv6 loopback here: {error}")
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                report, _ = self.audit_json("--probe", f"[::1]:{port}", "--backend", backend, expect=1)
                self.assertIn(f"probe:[::1]:{port}", report["certificates"][0]["locations"])

    def test_probe_of_a_redis_server_tls_port(self):
        if shutil.which("redis-server") is None:
            self.skipTest("redis-server is not installed")
        dbpki("issue", "cache1", "--dir", self.pki, "--dns", "cache1.example.com", "--days", "20")
        port = free_port()
        out = os.path.join(self.tmp, "redis")
        dbpki("bundle", "redis", "cache1", "--dir", self.pki, "--out", out, "--tls-port", str(port), "--bind", "127.0.0.1")
        server = Service(self, ["redis-server", os.path.join(out, "server", "redis-tls.conf"), "--dir", self.tmp,
                                "--save", "", "--appendonly", "no"])
        wait_for_port(port, process=server.process)
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                report, _ = self.audit_json("--probe", f"127.0.0.1:{port}", "--backend", backend, expect=1)
                leaf = [c for c in report["certificates"] if c["subject"] == "CN=cache1"]
                self.assertEqual(len(leaf), 1, report)
                self.assertEqual(leaf[0]["stage"], "warn-30")
                self.assertEqual(leaf[0]["locations"], [f"probe:127.0.0.1:{port}"])

    def test_unreachable_and_non_tls_ports_are_unknown_not_crashes(self):
        closed = free_port()
        garbage = PlainListener(self, b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
        silent = PlainListener(self, None)
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                for port, reason in [(closed, "connection failed"), (garbage.port, "handshake"),
                                     (silent.port, "timed out")]:
                    start = time.monotonic()
                    report, result = self.audit_json("--probe", f"127.0.0.1:{port}", "--timeout", "1.5",
                                                     "--backend", backend, expect=3)
                    self.assertLess(time.monotonic() - start, 10)
                    self.assertEqual(report["certificates"], [])
                    unreadable = report["summary"]["unreadable"]
                    self.assertEqual([u["input"] for u in unreadable], [f"probe:127.0.0.1:{port}"])
                    self.assertIn(reason, unreadable[0]["reason"])
                    self.assertIn(f"unreadable: probe:127.0.0.1:{port}", result.stderr)

    def test_silent_endpoints_are_probed_at_once_and_reported_in_the_order_given(self):
        served = self.start_s_server()
        silent = [PlainListener(self, None) for _ in range(20)]
        closed = free_port()
        targets = [f"127.0.0.1:{s.port}" for s in silent[:10]] + [f"127.0.0.1:{served}", f"127.0.0.1:{closed}"]
        targets += [f"127.0.0.1:{s.port}" for s in silent[10:]]
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                start = time.monotonic()
                report, result = self.audit_json(*[a for t in targets for a in ("--probe", t)], "--timeout", "2",
                                                 "--backend", backend, expect=1)  # db1's warn-7 beats 3
                elapsed = time.monotonic() - start
                # One after another the silent ones alone take 20 x 2 s; at once, about one timeout.
                self.assertGreaterEqual(elapsed, 2)
                self.assertLess(elapsed, 20, "probes ran one after another")
                unreadable = report["summary"]["unreadable"]
                expected = [f"probe:{t}" for t in targets if t != f"127.0.0.1:{served}"]
                self.assertEqual([u["input"] for u in unreadable], expected)
                self.assertEqual(sum("timed out" in u["reason"] for u in unreadable), 20)
                subjects = sorted(c["subject"] for c in report["certificates"])
                self.assertEqual(len(subjects), 2)  # the chain s_server presents: db1 and the CA
                self.assertEqual(subjects[1], "CN=db1")

    def test_a_server_that_closes_at_once_is_unreadable_and_the_rest_is_still_reported(self):
        closer = MisbehavingListener(self, "close")
        target = f"127.0.0.1:{closer.port}"
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                output = os.path.join(self.tmp, f"audit-{backend}.json")
                # Several probes in one run: before the fix libssl's alert write raised SIGPIPE in most of them.
                probes = [arg for _ in range(5) for arg in ("--probe", target)]
                result = dbpki("audit", "--dir", self.pki, *probes, "--backend", backend, "--format", "json",
                               "--output", output, check=False)
                self.assertEqual(result.returncode, 1, f"{result.returncode}: {result.stderr}")  # warn-7 beats 3
                with open(output) as handle:
                    report = json.load(handle)
                self.assertEqual(report["summary"]["exit_status"], 1)
                self.assertEqual(len(report["certificates"]), 2)  # the CA and db1, read from --dir
                unreadable = report["summary"]["unreadable"]
                self.assertEqual([u["input"] for u in unreadable], [f"probe:{target}"] * 5)
                for problem in unreadable:
                    self.assertRegex(problem["reason"], "connection was (closed|reset)")
                self.assertIn(f"unreadable: probe:{target}: TLS handshake failed", result.stderr)
                # Alone, such an endpoint is an unreadable input: exit 3.
                self.audit_json("--probe", target, "--backend", backend, expect=3)

    def test_a_dripping_server_cannot_hold_a_probe_past_the_timeout(self):
        drip = MisbehavingListener(self, "drip")
        for backend in BACKENDS:
            for timeout in ["1", "2.5"]:
                with self.subTest(backend=backend, timeout=timeout):
                    start = time.monotonic()
                    report, result = self.audit_json("--probe", f"127.0.0.1:{drip.port}", "--timeout", timeout,
                                                     "--backend", backend, expect=3)
                    elapsed = time.monotonic() - start
                    self.assertGreaterEqual(elapsed, float(timeout))
                    self.assertLess(elapsed, float(timeout) + 1.5)
                    self.assertEqual([u["reason"] for u in report["summary"]["unreadable"]],
                                     ["TLS handshake timed out"])

    @unittest.skipUnless(silent_resolver_available(), "needs root, unshare and ip for private namespaces")
    def test_a_name_whose_resolver_never_answers_costs_the_timeout_not_the_resolvers(self):
        resolv_conf = os.path.join(self.tmp, "resolv.conf")
        with open(resolv_conf, "w") as handle:
            handle.write("nameserver 127.0.0.9\noptions timeout:5 attempts:2\n")
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                start = time.monotonic()
                command = ["unshare", "--mount", "--net", "/bin/sh", "-c", SILENT_RESOLVER, resolv_conf,
                           DBPKI, "audit", "--dir", self.pki, "--probe", "db1.probe-deadline.invalid:6379",
                           "--timeout", "2", "--backend", backend, "--format", "json"]
                result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                                        stdin=subprocess.DEVNULL)
                elapsed = time.monotonic() - start
                # At least the timeout: the resolver really was silent and the lookup was cut, not refused.
                self.assertGreaterEqual(elapsed, 2)
                self.assertLess(elapsed, 3.5)
                self.assertEqual(result.returncode, 1, result.stderr)  # db1's warn-7 beats the unreadable probe
                report = json.loads(result.stdout)
                self.assertEqual(len(report["certificates"]), 2)
                self.assertEqual(report["summary"]["unreadable"], [{
                    "input": "probe:db1.probe-deadline.invalid:6379",
                    "reason": "cannot resolve db1.probe-deadline.invalid: no answer within the timeout"}])

    def test_an_unreachable_probe_with_an_expiring_file_exits_with_the_worse_status(self):
        report, _ = self.audit_json("--dir", self.pki, "--probe", f"127.0.0.1:{free_port()}", "--timeout", "1",
                                    expect=1)
        self.assertEqual(len(report["summary"]["unreadable"]), 1)

    def test_prometheus_output_parses_and_matches_the_json(self):
        port = self.start_s_server()
        prom = os.path.join(self.tmp, "dbpki.prom")
        at = "2026-12-01T00:00:00Z"
        result = dbpki("audit", "--dir", self.pki, "--probe", f"127.0.0.1:{port}", "--at", at,
                       "--format", "prometheus", "--output", prom, check=False)
        self.assertEqual(result.stdout, "")
        self.assertEqual(os.stat(prom).st_mode & 0o777, 0o644)
        report, _ = self.audit_json("--dir", self.pki, "--probe", f"127.0.0.1:{port}", "--at", at)
        with open(prom) as handle:
            families = {family.name: family for family in text_string_to_metric_families(handle.read())}
        for name in ["dbpki_certificate_expiry_seconds", "dbpki_certificate_stage", "dbpki_audit_findings",
                     "dbpki_audit_certificates", "dbpki_audit_unreadable_inputs", "dbpki_audit_exit_status",
                     "dbpki_audit_last_run_timestamp_seconds"]:
            self.assertIn(name, families)
            self.assertEqual(families[name].type, "gauge")
        expiry = families["dbpki_certificate_expiry_seconds"].samples
        # One sample per certificate and location.
        self.assertEqual(len(expiry), sum(len(c["locations"]) for c in report["certificates"]))
        for certificate in report["certificates"]:
            not_after = datetime.datetime.strptime(certificate["not_after"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
            for location in certificate["locations"]:
                matching = [s for s in expiry if s.labels["location"] == location
                            and s.labels["fingerprint_sha256"] == certificate["fingerprint_sha256"]]
                self.assertEqual(len(matching), 1)
                sample = matching[0]
                # The parser unescapes label values: they must equal the JSON strings exactly.
                self.assertEqual(sample.labels["subject"], certificate["subject"])
                self.assertEqual(sample.labels["issuer"], certificate["issuer"])
                self.assertEqual(sample.labels["serial"], certificate["serial"])
                self.assertEqual(sample.value, not_after)
        stages = {(s.labels["location"], s.labels["stage"]) for s in families["dbpki_certificate_stage"].samples}
        for certificate in report["certificates"]:
            for location in certificate["locations"]:
                self.assertIn((location, certificate["stage"]), stages)
        counts = {s.labels["stage"]: s.value for s in families["dbpki_audit_certificates"].samples}
        self.assertEqual(counts, {k: float(v) for k, v in report["summary"]["stages"].items()})
        findings = {s.labels["code"]: s.value for s in families["dbpki_audit_findings"].samples}
        self.assertEqual(findings, {k: float(v) for k, v in report["summary"]["findings"].items()})
        self.assertEqual(families["dbpki_audit_exit_status"].samples[0].value, report["summary"]["exit_status"])
        self.assertEqual(families["dbpki_audit_last_run_timestamp_seconds"].samples[0].value,
                         datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc).timestamp())
        self.assertEqual(families["dbpki_audit_unreadable_inputs"].samples[0].value, 0)


if __name__ == "__main__":
    unittest.main()
