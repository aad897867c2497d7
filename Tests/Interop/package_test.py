"""Packaging tests: the Debian package scripts/package builds, and scripts/install's plain install.

The package is built from the release binary scripts/test already built (DBPKI_BIN), checked
with lintian, installed with apt-get, used (dbpki version, man -w, bash completion) and
removed with dpkg -r. Installing a package changes the machine, so those tests run only as
root, only where dpkg and lintian are, and never over a dbpki package installed before
them; the package is removed again even when a check fails.

Debian's minimal images may keep man pages out of every package with a dpkg filter
(path-exclude=/usr/share/man/* in /etc/dpkg/dpkg.cfg.d/); where such a filter is set,
the install lets dbpki's own pages through with --path-include, so that man finds them.

Run: DBPKI_BIN=.build/release/dbpki python3 -m unittest discover -s Tests/Interop -p 'package_test.py' -v
"""

import glob
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DBPKI = os.environ.get("DBPKI_BIN", os.path.join(ROOT, ".build", "release", "dbpki"))
PACKAGE_TIMEOUT = 300
MAN_PAGES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "man", "*.1")))
DEB_PATHS = [
    "/usr/bin/dbpki",
    "/usr/share/man/man1/dbpki.1.gz",
    "/usr/share/man/man1/dbpki-issue.1.gz",
    "/usr/share/man/man1/dbpki-ca-rollover.1.gz",
    "/usr/share/bash-completion/completions/dbpki",
    "/usr/share/zsh/vendor-completions/_dbpki",
    "/usr/share/fish/vendor_completions.d/dbpki.fish",
    "/usr/share/doc/dbpki/copyright",
]


def run(args, timeout=60, check=True, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def dbpki_version():
    return run([DBPKI, "--version"]).stdout.strip()


def bash_completions(completion_file, words, loader=False, cwd=None):
    """What bash offers for the last of `words`, as the function the completion file registers computes it.

    With loader, the file is not sourced directly: bash-completion's own loader finds it by
    the command's name, as it does when a user presses TAB.
    """
    line = " ".join(words)
    load = (
        "source /usr/share/bash-completion/bash_completion; _completion_loader dbpki"
        if loader
        else f"source {completion_file}"
    )
    script = f"""
        {load}
        function=$(complete -p dbpki | sed -E 's/.* -F ([^ ]+) .*/\\1/')
        COMP_WORDS=({' '.join(f"'{w}'" for w in words)})
        COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
        COMP_LINE='{line}'
        COMP_POINT=${{#COMP_LINE}}
        COMPREPLY=()
        "$function" dbpki "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
        printf '%s\\n' "${{COMPREPLY[@]}}"
    """
    return run(["bash", "-c", script], cwd=cwd).stdout.split()


def man_excluded_by_dpkg():
    """The dpkg filter lines that keep /usr/share/man out of installed packages, if any."""
    lines = []
    for config in glob.glob("/etc/dpkg/dpkg.cfg.d/*") + ["/etc/dpkg/dpkg.cfg"]:
        if not os.path.isfile(config):
            continue
        with open(config) as f:
            lines += [l.strip() for l in f if re.match(r"\s*path-exclude\s*=?\s*/usr/share/man", l)]
    return lines


def package_installed():
    result = run(["dpkg-query", "-W", "-f=${Status}", "dbpki"], check=False)
    return result.returncode == 0 and "installed" in result.stdout.split()


_deb = None


def package():
    """The .deb scripts/package builds from DBPKI_BIN, built once for this module's tests."""
    global _deb
    if _deb is None:
        out = tempfile.mkdtemp(prefix="dbpki-deb-")
        unittest.addModuleCleanup(shutil.rmtree, out, True)
        args = ["bash", os.path.join(ROOT, "scripts", "package"), "--binary", DBPKI, "--out", out]
        result = run(args, PACKAGE_TIMEOUT)
        debs = glob.glob(os.path.join(out, "*.deb"))
        assert len(debs) == 1, f"scripts/package wrote {debs}:\n{result.stdout}{result.stderr}"
        _deb = debs[0]
    return _deb


class PlainInstallTests(unittest.TestCase):
    """scripts/install PREFIX and scripts/install --uninstall PREFIX, in a scratch prefix."""

    def setUp(self):
        self.prefix = tempfile.mkdtemp(prefix="dbpki-install-")
        self.addCleanup(shutil.rmtree, self.prefix, True)
        # A folder that was there before the install: uninstall must leave it.
        os.mkdir(os.path.join(self.prefix, "bin"))

    def install(self, *args):
        return run(["bash", os.path.join(ROOT, "scripts", "install"), *args], PACKAGE_TIMEOUT)

    def test_install_puts_the_binary_every_man_page_and_the_completions_under_the_prefix(self):
        self.install("--binary", DBPKI, self.prefix)
        binary = os.path.join(self.prefix, "bin", "dbpki")
        self.assertEqual(run([binary, "--version"]).stdout.strip(), dbpki_version())
        self.assertEqual(sorted(os.listdir(os.path.join(self.prefix, "share", "man", "man1"))), MAN_PAGES)
        page = run(["man", "-M", os.path.join(self.prefix, "share", "man"), "-w", "dbpki-ca-rollover"]).stdout.strip()
        self.assertEqual(page, os.path.join(self.prefix, "share", "man", "man1", "dbpki-ca-rollover.1"))
        for path in [
            "share/bash-completion/completions/dbpki",
            "share/zsh/site-functions/_dbpki",
            "share/fish/vendor_completions.d/dbpki.fish",
        ]:
            self.assertGreater(os.path.getsize(os.path.join(self.prefix, path)), 0, path)
        self.assertNotIn(".symtab", run(["objdump", "-h", binary]).stdout, "the installed binary is not stripped")

    def test_uninstall_removes_every_file_and_folder_the_install_made_and_nothing_else(self):
        self.install("--binary", DBPKI, self.prefix)
        self.install("--binary", DBPKI, self.prefix)  # installing twice must not lose track of a folder
        self.install("--uninstall", self.prefix)
        left = [os.path.relpath(os.path.join(d, n), self.prefix) for d, ds, fs in os.walk(self.prefix) for n in ds + fs]
        self.assertEqual(left, ["bin"])

    def test_uninstall_refuses_a_prefix_dbpki_was_not_installed_in(self):
        result = run(["bash", os.path.join(ROOT, "scripts", "install"), "--uninstall", self.prefix], check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertTrue(result.stderr.startswith("error:"), result.stderr)
        self.assertTrue(os.path.isdir(os.path.join(self.prefix, "bin")))


def fish_completions(script, line, cwd):
    """What fish offers for the end of `line` (`complete -C`), with the script dbpki writes loaded."""
    result = run(["fish", "--no-config", "-c", f"source {script}; complete -C {shlex.quote(line)}"], cwd=cwd)
    return [entry.split("\t")[0] for entry in result.stdout.splitlines()]


def zsh_completed_line(fpath, line, cwd):
    """The command line as interactive zsh shows it after TAB is pressed at the end of `line`.

    zsh completes only inside its line editor, so a zsh in a pseudo-terminal (zsh/zpty) loads the
    completion function from `fpath` with compinit, is sent the line and a TAB, and the screen it
    writes back is read, escape sequences removed.
    """
    driver = f"""
        zmodload zsh/zpty
        zpty z 'zsh -f -i'
        zpty -w z "PS1='>'; PATH={os.path.dirname(DBPKI)}:$PATH; fpath=({fpath} $fpath)"
        zpty -w z "autoload -Uz compinit; compinit -u -D; cd {cwd}"
        sleep 1
        zpty -w -n z {shlex.quote(line)}$'\t'
        sleep 1
        zpty -w z $'\x15print COMPLETED'
        sleep 1
        out=''
        while zpty -r -t z chunk; do out+=$chunk; done
        zpty -d z
        print -r -- "$out"
    """
    screen = run(["zsh", "-f", "-c", driver], timeout=30).stdout
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    screen = re.sub(r".\x08", "", screen)
    return screen


@unittest.skipUnless(shutil.which("fish") and shutil.which("zsh"), "fish and zsh are installed by .ci/run")
class FishAndZshCompletionTests(unittest.TestCase):
    """The fish and zsh completion scripts dbpki writes, run by fish and by an interactive zsh."""

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="dbpki-complete-")
        self.addCleanup(shutil.rmtree, self.scratch, True)
        for name in ["ca.crt", "db1.crt"]:
            open(os.path.join(self.scratch, name), "w").close()
        self.fish = os.path.join(self.scratch, ".dbpki.fish")
        with open(self.fish, "w") as f:
            f.write(run([DBPKI, "--generate-completion-script", "fish"]).stdout)
        self.fpath = os.path.join(self.scratch, ".zsh")
        os.mkdir(self.fpath)
        with open(os.path.join(self.fpath, "_dbpki"), "w") as f:
            f.write(run([DBPKI, "--generate-completion-script", "zsh"]).stdout)

    def test_fish_completes_subcommands_files_and_fixed_values(self):
        self.assertEqual(fish_completions(self.fish, "dbpki ins", self.scratch), ["inspect"])
        self.assertEqual(fish_completions(self.fish, "dbpki ca ro", self.scratch), ["rollover"])
        self.assertEqual(fish_completions(self.fish, "dbpki inspect d", self.scratch), ["db1.crt"])
        self.assertEqual(fish_completions(self.fish, "dbpki verify chain db1.crt --trust c", self.scratch), ["ca.crt"])
        self.assertIn("gnutls", fish_completions(self.fish, "dbpki issue db1 --backend ", self.scratch))

    def test_zsh_completes_subcommands_and_files(self):
        self.assertIn("dbpki inspect", zsh_completed_line(self.fpath, "dbpki ins", self.scratch))
        self.assertIn("dbpki inspect db1.crt", zsh_completed_line(self.fpath, "dbpki inspect d", self.scratch))
        self.assertIn(
            "--trust ca.crt", zsh_completed_line(self.fpath, "dbpki verify chain db1.crt --trust c", self.scratch))


class BashCompletionTests(unittest.TestCase):
    """The bash completion script dbpki writes, run by bash in a scratch folder."""

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="dbpki-complete-")
        self.addCleanup(shutil.rmtree, self.scratch, True)
        with tempfile.NamedTemporaryFile("w", suffix=".bash", delete=False) as f:
            f.write(run([DBPKI, "--generate-completion-script", "bash"]).stdout)
        self.script = f.name
        self.addCleanup(os.unlink, self.script)
        for name in ["ca.crt", "db1.crt"]:
            open(os.path.join(self.scratch, name), "w").close()
        os.mkdir(os.path.join(self.scratch, "pki"))

    def offered(self, *words):
        return bash_completions(self.script, ["dbpki", *words], cwd=self.scratch)

    def test_subcommands_complete(self):
        self.assertEqual(self.offered("ins"), ["inspect"])
        self.assertEqual(self.offered("ca", "ro"), ["rollover"])

    def test_file_arguments_complete_file_names(self):
        self.assertEqual(self.offered("verify", "chain", "db1.crt", "--trust", "c"), ["ca.crt"])
        self.assertEqual(self.offered("verify", "chain", "d"), ["db1.crt"])
        self.assertEqual(self.offered("inspect", "d"), ["db1.crt"])
        self.assertEqual(self.offered("audit", "c"), ["ca.crt"])
        self.assertEqual(self.offered("verify", "bundle", "x.zip", "--server-cert", "d"), ["db1.crt"])

    def test_folder_arguments_complete_folder_names(self):
        self.assertEqual(self.offered("init", "--dir", ""), ["pki"])
        self.assertEqual(self.offered("bundle", "redis", "db1", "--out", ""), ["pki"])

    def test_options_with_fixed_values_complete_those_values(self):
        self.assertEqual(self.offered("bundle", "mongodb", "db1", "--mongodb-version", "4."), ["4.0", "4.2", "4.4"])
        self.assertEqual(self.offered("bundle", "redis", "db1", "--redis-version", "6."), ["6.0", "6.2"])
        self.assertEqual(self.offered("issue", "db1", "--key-type", "ecdsa"), ["ecdsa-p256", "ecdsa-p384"])
        self.assertEqual(self.offered("verify", "chain", "x", "--backend", "b"), ["both"])
        self.assertEqual(self.offered("revoke", "db1", "--reason", "key"), ["keyCompromise"])


@unittest.skipUnless(shutil.which("dpkg-deb") and shutil.which("dpkg-shlibdeps"), "needs dpkg-dev")
class DebianPackageTests(unittest.TestCase):
    """The .deb: its name, control fields and contents, and what lintian says of it."""

    @classmethod
    def setUpClass(cls):
        cls.deb = package()

    def field(self, name):
        return run(["dpkg-deb", "--field", self.deb, name]).stdout.strip()

    def test_the_file_is_named_for_the_version_and_the_architecture(self):
        arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        self.assertEqual(os.path.basename(self.deb), f"dbpki_{dbpki_version()}_{arch}.deb")
        self.assertEqual(self.field("Version"), dbpki_version())

    def test_depends_names_the_runtime_libraries_the_binary_links(self):
        depends = [d.split()[0] for d in self.field("Depends").split(", ")]
        for library in ["libssl3", "libgnutls30", "libsqlite3-0", "libc6"]:
            self.assertIn(library, depends)

    def test_the_package_holds_the_binary_every_man_page_gzipped_the_completions_and_the_copyright(self):
        listing = run(["dpkg-deb", "--contents", self.deb]).stdout.splitlines()
        paths = {line.split()[-1].lstrip(".") for line in listing}
        for path in DEB_PATHS:
            self.assertIn(path, paths)
        pages = sorted(os.path.basename(p)[: -len(".gz")] for p in paths if p.endswith(".1.gz"))
        self.assertEqual(pages, MAN_PAGES)
        self.assertTrue(all(line.split()[1] == "root/root" for line in listing), "files not owned by root")

    @unittest.skipUnless(shutil.which("lintian"), "needs lintian")
    def test_lintian_finds_no_error(self):
        args = ["lintian", "--fail-on", "error", "--tag-display-limit", "0", self.deb]
        result = run(args, PACKAGE_TIMEOUT, check=False)
        errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
        self.assertEqual(errors, [], result.stdout + result.stderr)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


@unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0, "installs a package: root only")
@unittest.skipUnless(shutil.which("apt-get") and shutil.which("dpkg-shlibdeps"), "needs apt and dpkg-dev")
class InstalledPackageTests(unittest.TestCase):
    """The .deb installed with apt-get, used, and removed with dpkg -r."""

    @classmethod
    def setUpClass(cls):
        if package_installed() or os.path.lexists("/usr/bin/dbpki"):
            raise unittest.SkipTest("dbpki is installed in /usr already: not replacing it")
        cls.deb = package()

    def install(self):
        options = ["-o", "DPkg::Lock::Timeout=120"]
        if man_excluded_by_dpkg():
            options += ["-o", "DPkg::Options::=--path-include=/usr/share/man/man1/dbpki*"]
        self.addCleanup(self.remove_if_installed)
        run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *options, self.deb], PACKAGE_TIMEOUT)
        self.assertTrue(package_installed())

    def remove_if_installed(self):
        if package_installed():
            run(["dpkg", "-r", "dbpki"], PACKAGE_TIMEOUT, check=False)

    def test_the_installed_package_provides_the_command_its_man_pages_and_its_completions(self):
        self.install()
        self.assertEqual(run(["/usr/bin/dbpki", "version"]).stdout.splitlines()[0], f"dbpki {dbpki_version()}")
        self.assertEqual(run(["man", "-w", "dbpki"]).stdout.strip(), "/usr/share/man/man1/dbpki.1.gz")
        self.assertEqual(run(["man", "-w", "dbpki-issue"]).stdout.strip(), "/usr/share/man/man1/dbpki-issue.1.gz")
        self.assertEqual(
            run(["man", "-w", "dbpki-ca-rollover"]).stdout.strip(), "/usr/share/man/man1/dbpki-ca-rollover.1.gz"
        )
        rendered = run(["man", "-P", "cat", "dbpki-ca-rollover"], env={**os.environ, "MANWIDTH": "80"}).stdout
        self.assertIn("dbpki ca rollover", rendered)
        for path in DEB_PATHS:
            self.assertTrue(os.path.isfile(path), path)

        completion = "/usr/share/bash-completion/completions/dbpki"
        self.assertEqual(bash_completions(completion, ["dbpki", "ins"]), ["inspect"])
        if os.path.isfile("/usr/share/bash-completion/bash_completion"):
            # bash-completion finds the file by the command's name when TAB is first pressed.
            self.assertEqual(bash_completions(completion, ["dbpki", "ins"], loader=True), ["inspect"])

    def test_dpkg_r_removes_every_file_the_package_installed(self):
        contents = run(["dpkg-deb", "--contents", self.deb]).stdout.splitlines()
        # Folders that were there before (/usr/bin, /usr/share/man/man1) stay; the rest must go.
        existed = {p for p in (line.split()[-1].lstrip(".").rstrip("/") for line in contents) if os.path.lexists(p)}
        self.install()
        listed = [p for p in run(["dpkg", "-L", "dbpki"]).stdout.splitlines() if p != "/."]
        self.assertIn("/usr/bin/dbpki", listed)
        run(["dpkg", "-r", "dbpki"], PACKAGE_TIMEOUT)
        self.assertFalse(package_installed())
        left = [p for p in listed if os.path.lexists(p) and p not in existed]
        self.assertEqual(left, [], "left behind by dpkg -r")
