"""The password prompt on a real terminal (a pseudo-terminal): dbpki asks without echo, asks
twice for a new key, refuses two different answers, and an encrypted CA made that way signs a
certificate that redis-server serves to a TLS client.

Every dbpki call has a timeout; redis-server listens on 127.0.0.1 on a free port and is
stopped by the test.

Run: DBPKI_BIN=.build/debug/dbpki python3 -m unittest Tests/Interop/password_prompt_test.py -v
"""

import os
import select
import shutil
import ssl
import socket
import subprocess
import tempfile
import termios
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DBPKI = os.environ.get("DBPKI_BIN", os.path.join(ROOT, ".build", "debug", "dbpki"))
BACKENDS = ["openssl", "gnutls"]
TIMEOUT = 30
PASSWORD = "pty-Secret-4711"


def on_terminal(args, answers):
    """Runs dbpki with a pseudo-terminal as stdin, stdout and stderr; types each answer after
    the prompt it waits for. Returns (exit status, everything the terminal showed)."""
    master, slave = os.openpty()
    process = subprocess.Popen([DBPKI, *args], stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + TIMEOUT

    def read_some():
        nonlocal shown
        ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"dbpki {' '.join(args)}: timed out; the terminal showed {shown!r}")
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        shown += chunk
        return chunk

    try:
        for prompt, answer in answers:
            while prompt.encode() not in shown:
                if not read_some():
                    raise AssertionError(f"dbpki {' '.join(args)}: no prompt {prompt!r}; showed {shown!r}")
            os.write(master, answer.encode() + b"\n")
        while read_some():
            pass
        status = process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return status, shown.decode(errors="replace")


def dbpki(*args, env=None):
    result = subprocess.run([DBPKI, *args], capture_output=True, text=True, timeout=TIMEOUT,
                            stdin=subprocess.DEVNULL, env=env)
    if result.returncode != 0:
        raise AssertionError(f"dbpki {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PasswordPromptTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dbpki-prompt-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.pki = os.path.join(self.folder, "pki")

    def test_init_asks_twice_without_echo_and_issue_asks_once(self):
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = os.path.join(self.folder, backend)
                status, shown = on_terminal(
                    ["init", "--dir", pki, "--name", "Prompt CA", "--encrypt-key", "--backend", backend],
                    [("Password for the new CA key: ", PASSWORD), ("Again, to confirm: ", PASSWORD)])
                self.assertEqual(status, 0, shown)
                self.assertNotIn(PASSWORD, shown)
                with open(os.path.join(pki, "ca.key")) as key:
                    self.assertTrue(key.read().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
                status, shown = on_terminal(
                    ["issue", "db1", "--dir", pki, "--dns", "db1.example.com", "--backend", backend],
                    [("Password of the CA key: ", PASSWORD)])
                self.assertEqual(status, 0, shown)
                self.assertNotIn(PASSWORD, shown)
                self.assertIn("issued server certificate 'CN=db1'", shown)

    def test_issue_encrypt_key_asks_for_the_certificate_key_apart_from_the_ca_key(self):
        status, shown = on_terminal(
            ["init", "--dir", self.pki, "--name", "Prompt CA", "--encrypt-key"],
            [("Password for the new CA key: ", PASSWORD), ("Again, to confirm: ", PASSWORD)])
        self.assertEqual(status, 0, shown)
        leaf_password = "leaf-" + PASSWORD
        status, shown = on_terminal(
            ["issue", "db1", "--dir", self.pki, "--dns", "db1.example.com", "--encrypt-key"],
            [("Password for the new certificate key: ", leaf_password), ("Again, to confirm: ", leaf_password),
             ("Password of the CA key: ", PASSWORD)])
        self.assertEqual(status, 0, shown)
        self.assertNotIn(PASSWORD, shown)
        with open(os.path.join(self.pki, "issued", "db1.key")) as key:
            self.assertTrue(key.read().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----"))

    def test_ctrl_c_at_the_prompt_leaves_the_terminal_echoing_and_nothing_written(self):
        master, slave = os.openpty()
        process = subprocess.Popen(
            [DBPKI, "init", "--dir", self.pki, "--name", "Prompt CA", "--encrypt-key"],
            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        try:
            shown = b""
            deadline = time.monotonic() + TIMEOUT
            while b"Password for the new CA key: " not in shown:
                ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
                self.assertTrue(ready, f"no prompt: {shown!r}")
                shown += os.read(master, 4096)
            self.assertFalse(termios.tcgetattr(slave)[3] & termios.ECHO, "echo is off while asking")
            process.send_signal(2)  # SIGINT, as Ctrl-C sends to the foreground process
            status = process.wait(timeout=TIMEOUT)
            self.assertEqual(status, -2)
            self.assertTrue(termios.tcgetattr(slave)[3] & termios.ECHO, "echo is back on after Ctrl-C")
            self.assertFalse(os.path.exists(self.pki))
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.close(slave)
            os.close(master)

    def test_two_different_answers_create_nothing(self):
        status, shown = on_terminal(
            ["init", "--dir", self.pki, "--name", "Prompt CA", "--encrypt-key"],
            [("Password for the new CA key: ", PASSWORD), ("Again, to confirm: ", PASSWORD + "x")])
        self.assertEqual(status, 64, shown)
        self.assertIn("error: the two passwords typed differ", shown)
        self.assertFalse(os.path.exists(self.pki))

    def test_a_wrong_answer_is_one_error_and_nothing_is_written(self):
        password_file = os.path.join(self.folder, "ca.pass")
        with open(os.open(password_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(PASSWORD + "\n")
        dbpki("init", "--dir", self.pki, "--name", "Prompt CA", "--encrypt-key", "--password-file", password_file)
        status, shown = on_terminal(["issue", "db1", "--dir", self.pki, "--dns", "db1.example.com"],
                                    [("Password of the CA key: ", "not-" + PASSWORD)])
        self.assertEqual(status, 65, shown)
        self.assertIn("the password given does not open this encrypted key", shown)
        self.assertFalse(os.path.exists(os.path.join(self.pki, "issued", "db1.crt")))

    @unittest.skipUnless(shutil.which("redis-server"), "redis-server is not installed")
    def test_redis_serves_a_certificate_signed_by_an_encrypted_ca(self):
        password_file = os.path.join(self.folder, "ca.pass")
        with open(os.open(password_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(PASSWORD + "\n")
        for backend in BACKENDS:
            with self.subTest(backend=backend):
                pki = os.path.join(self.folder, "redis-" + backend)
                dbpki("init", "--dir", pki, "--name", "Vault CA", "--encrypt-key", "--password-file", password_file,
                      "--backend", backend)
                dbpki("issue", "db1", "--dir", pki, "--dns", "localhost", "--ip", "127.0.0.1",
                      "--password-file", password_file, "--backend", backend)
                port = free_port()
                server = subprocess.Popen(
                    ["redis-server", "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
                     "--tls-cert-file", os.path.join(pki, "issued", "db1.crt"),
                     "--tls-key-file", os.path.join(pki, "issued", "db1.key"),
                     "--tls-ca-cert-file", os.path.join(pki, "ca.crt"), "--tls-auth-clients", "no",
                     "--save", "", "--appendonly", "no", "--dir", self.folder],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    context = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
                    deadline = time.monotonic() + TIMEOUT
                    while True:
                        try:
                            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                                    tls.sendall(b"PING\r\n")
                                    self.assertEqual(tls.recv(64), b"+PONG\r\n")
                            break
                        except (ConnectionRefusedError, OSError):
                            if time.monotonic() > deadline:
                                raise
                            time.sleep(0.1)
                finally:
                    server.terminate()
                    server.wait(timeout=TIMEOUT)


if __name__ == "__main__":
    unittest.main()
