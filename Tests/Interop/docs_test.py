"""The README in step with the binary.

- Every flag the README names (a `--flag` in a code block or inline code) exists in the `--help` of
  the dbpki command it is written with, or, written alone, in some command's `--help`.
- Every README example `$ dbpki ...` is run, in README order, in one scratch folder (as `/srv` in
  the README), and the first line it prints (stdout, else stderr) has the shape the README shows:
  equal once serials and fingerprints, RFC 3339 times and runs of blanks are masked. Where the
  README shows `$ echo $?` after it, the exit status must match too.

Run: DBPKI_BIN=.build/debug/dbpki python3 -m unittest Tests/Interop/docs_test.py -v
"""

import os
import re
import shlex
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DBPKI = os.path.abspath(os.environ.get("DBPKI_BIN", os.path.join(ROOT, ".build", "debug", "dbpki")))
README = os.path.join(ROOT, "README.md")

# Flags the README names that belong to other tools or to work not done, each with its reason.
NOT_DBPKI = {
    "--verify-hostname": "certtool's, in the x509-limbo comparison",
    "--verify-purpose": "certtool's, in the x509-limbo comparison",
    "--load-crl": "certtool's, in the x509-limbo comparison",
    "--cross-sign": "named as not done ('ca rollover --cross-sign')",
    "--key-uri": "named as not done (the contract's 'init --key-uri', PKCS#11)",
    "--binary": "scripts/package and scripts/install take it, not dbpki",
}

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*(?![\w.])")

# The story between the README's examples: commands its prose describes but does not show, run
# before the n-th example with that exact command line.
BEFORE = {
    ("dbpki verify chain webpki/cn-not-in-san.crt --trust webpki/root.crt --profile webpki --backend both", 1): [
        "cp -r " + shlex.quote(os.path.join(ROOT, "testdata", "webpki")) + " webpki",
    ],
    ('dbpki init --dir vault --name "Vault CA" --encrypt-key --password-file vault.pass', 1): [
        "umask 077; printf '%s\\n' 'correct horse battery staple' > vault.pass",
    ],
    ("dbpki renew --expiring-within 30d --dir pki --days 825", 1): [
        "dbpki issue db2 --dir pki --dns db2.example.com --days 20",
    ],
    ("dbpki ca status --dir pki", 2): [  # "After the servers are re-issued"
        "dbpki renew app --dir pki",
        "dbpki renew db2 --dir pki",
    ],
    ("dbpki verify chain pki/issued/db1.crt --trust mongo/MongoDB-CA.crt --host db1.example.com --backend both", 1): [
        "dbpki bundle mongodb db1 --dir pki --out mongo",
    ],
    (
        "dbpki verify bundle redis/db1-crt.zip --server-cert pki/issued/db1.crt --host db1.example.com --backend both",
        1,
    ): [
        "dbpki bundle redis db1 --dir pki --out redis --client-cert app",
    ],
    # The database host's side of "Signing a request": its key and requests, made with openssl.
    ('dbpki sign db7.csr --dir acme db7 --dns db7.example.com --subject "O=Acme,OU=Databases"', 1): [
        "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout db7.key -subj /CN=db7"
        " -addext subjectAltName=DNS:db7.example.com -out db7.csr",
    ],
    ("dbpki sign old.csr --dir acme old --dns old.example.com", 1): [
        "openssl req -new -newkey rsa:1024 -nodes -keyout old.key -subj /CN=old -out old.csr",
    ],
    ("dbpki audit --dir pki out/cache1-crt.zip testdata/audit/sha1-signed.crt", 1): [
        "dbpki issue cache1 --dir pki --dns cache1.example.com --days 11",
        "dbpki bundle redis cache1 --dir pki --out out",
    ],
}


def readme_code():
    """(kind, text) for every code line ("block") and inline code span ("inline") of the README."""
    with open(README, encoding="utf-8") as readme:
        lines = readme.read().split("\n")
    fenced = False
    found = []
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
            found.append(("block", ""))  # a fence ends the previous block
            continue
        if fenced or line.startswith("    "):
            found.append(("block", line))
        else:
            found.append(("block", ""))
            found.extend(("inline", span) for span in re.findall(r"`([^`]+)`", line))
    return found


def help_text(path):
    result = subprocess.run(
        [DBPKI] + path + ["--help"], capture_output=True, text=True, env=dict(os.environ, COLUMNS="200")
    )
    return result.stdout


def command_paths(prefix=()):
    """Every command path (root included) from the SUBCOMMANDS sections of --help."""
    text = help_text(list(prefix))
    paths = [tuple(prefix)]
    if "SUBCOMMANDS:" in text:
        section = text.split("SUBCOMMANDS:", 1)[1].split("\n\n", 1)[0]
        for line in section.strip("\n").split("\n"):
            name = line.split()[0]
            if name != "help":
                paths += command_paths(tuple(prefix) + (name,))
    return paths


class ReadmeFlagsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.paths = command_paths()
        cls.helps = {path: set(FLAG.findall(help_text(list(path)))) for path in cls.paths}
        cls.every_flag = set().union(*cls.helps.values())

    def command_at(self, tokens, index):
        """The longest command path named by tokens[index:], or None."""
        best = None
        for length in range(0, 3):
            candidate = tuple(tokens[index : index + length])
            if candidate in self.helps:
                best = candidate
        return best

    def flags_by_command(self, text, continuing=None):
        """(flag, command path or None) for each flag of a code line; the command a `dbpki` word starts."""
        try:
            tokens = shlex.split(text, comments=False)
        except ValueError:
            tokens = text.split()
        current = continuing
        pairs = []
        for index, token in enumerate(tokens):
            if token in ("|", "&&", ";", "||"):
                current = None
            elif token == "dbpki" or token.endswith("/dbpki"):
                path = self.command_at(tokens, index + 1)
                if path is not None:
                    current = path
            for flag in FLAG.findall(token):
                pairs.append((flag, current))
        return pairs, current

    def test_every_flag_the_readme_names_exists(self):
        problems = []
        checked = 0
        current = None
        for kind, text in readme_code():
            if kind == "block":
                if not text.strip():
                    current = None
                    continue
                stripped = text.strip()
                continues = current is not None and (stripped.startswith("[") or previous.endswith("\\"))
                line = stripped[2:] if stripped.startswith("$ ") else stripped
                pairs, current = self.flags_by_command(line, current if continues else None)
                previous = stripped
                pairs = [(flag, path) for flag, path in pairs if path is not None]  # other tools' lines
            else:
                tokens = text.split()
                path = self.command_at(tokens, 1) if tokens[:1] == ["dbpki"] else self.command_at(tokens, 0)
                if tokens and tokens[0] in ("certtool", "openssl", "redis-cli", "swift", "dpkg", "apt-get"):
                    continue
                pairs = [(flag, path if path else None) for flag in FLAG.findall(text)]
            for flag, path in pairs:
                if flag in NOT_DBPKI:
                    continue
                checked += 1
                if path:  # a subcommand: its own --help
                    if flag not in self.helps[path]:
                        problems.append(f"'{text.strip()}': {flag} is not in 'dbpki {' '.join(path)} --help'")
                elif flag not in self.every_flag:
                    problems.append(f"'{text.strip()}': {flag} is in no command's --help")
        self.assertGreater(checked, 100)
        self.assertEqual(problems, [])


def mask(line, scratch):
    line = line.replace(scratch + "/", "/srv/")
    line = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "DATE", line)
    line = re.sub(r"\b[0-9a-f]{16,}\b", "HEX", line)
    return " ".join(line.split())


def readme_examples():
    """(command, first output line or None, exit status or None) for each `$ dbpki` line, in order."""
    examples = []
    block = []
    for kind, text in readme_code() + [("block", "")]:
        if kind == "inline":
            continue
        if text.strip():
            block.append(text.strip())
            continue
        for index, line in enumerate(block):
            if not line.startswith("$ dbpki "):
                continue
            rest = block[index + 1 :]
            output = rest[0] if rest and not rest[0].startswith("$ ") else None
            status = None
            following = [i for i, l in enumerate(rest) if l.startswith("$ ")]
            if following and rest[following[0]] == "$ echo $?" and following[0] + 1 < len(rest):
                status = int(rest[following[0] + 1])
            examples.append((line[2:], output, status))
        block = []
    return examples


class ReadmeExamplesTest(unittest.TestCase):
    def test_first_output_line_of_every_example(self):
        examples = readme_examples()
        self.assertGreater(len(examples), 20)
        with tempfile.TemporaryDirectory(prefix="dbpki-docs-") as scratch:
            scratch = os.path.realpath(scratch)
            bin_dir = os.path.join(scratch, ".bin")
            os.mkdir(bin_dir)
            os.symlink(DBPKI, os.path.join(bin_dir, "dbpki"))
            os.symlink(os.path.join(ROOT, "testdata"), os.path.join(scratch, "testdata"))
            env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])
            env.pop("DBPKI_DIR", None)

            def shell(command):
                return subprocess.run(
                    ["bash", "-c", command], cwd=scratch, env=env, capture_output=True, text=True, timeout=120
                )

            seen = {}
            problems = []
            compared = 0
            for command, expected, status in examples:
                seen[command] = seen.get(command, 0) + 1
                for setup in BEFORE.get((command, seen[command]), []):
                    ran = shell(setup)
                    self.assertEqual(ran.returncode, 0, f"{setup}: {ran.stderr}")
                ran = shell(command)
                if status is not None and ran.returncode != status:
                    problems.append(f"$ {command}: exit {ran.returncode}, the README says {status}")
                if expected is None:
                    continue
                printed = (ran.stdout or ran.stderr).split("\n")[0]
                compared += 1
                if mask(printed, scratch) != mask(expected, scratch):
                    problems.append(f"$ {command}\n  README: {expected}\n  binary: {printed}")
            self.assertGreater(compared, 15)
            self.assertEqual(problems, [], "\n" + "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
