"""x509-limbo through the command line: `dbpki verify chain` on each backend must give the
verdicts the in-process suite (LimboTests.swift) expects, and score at least what plain
`openssl verify -x509_strict` and `certtool --verify` score on the cases they can ask.

Runs scripts/limbo's code (one run of every tool over every case).

Run: DBPKI_BIN=.build/release/dbpki python3 -m unittest Tests/Interop/limbo_cli_test.py -v
"""

import importlib.machinery
import importlib.util
import os
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load_limbo_script():
    loader = importlib.machinery.SourceFileLoader("limbo_script", os.path.join(ROOT, "scripts", "limbo"))
    spec = importlib.util.spec_from_loader("limbo_script", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


limbo = load_limbo_script()


class LimboCLITest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if "DBPKI_BIN" not in os.environ:
            os.environ["DBPKI_BIN"] = os.path.join(ROOT, ".build", "debug", "dbpki")
        cls.results, cls.total = limbo.run_suite(jobs=4)
        cls.listed = limbo.known_deviations()

    def test_every_expressible_case_ran(self):
        self.assertEqual(len(self.results), len([c for c in limbo.load_cases() if limbo.inexpressible_in_dbpki(c) is None]))
        self.assertGreater(len(self.results), 100)

    def test_the_cli_gives_the_in_process_verdicts_on_every_backend(self):
        mismatches = []
        for case, answers in self.results:
            for backend in limbo.BACKENDS:
                verdict = answers[f"dbpki {backend}"]
                deviates = case["id"] in self.listed.get(backend, {})
                expected = limbo.expected_valid(case) != deviates
                if verdict.valid != expected:
                    mismatches.append(f"{backend} {case['id']}: expected {'valid' if expected else 'invalid'}, {verdict.describe()}")
                # An answer, never a crash: 0 valid, 1 invalid, or 64+ for an input dbpki refuses.
                self.assertTrue(verdict.status in (0, 1) or (verdict.status or 0) >= 64, f"{backend} {case['id']}: {verdict.output}")
        self.assertEqual(mismatches, [])

    def test_each_engine_scores_at_least_the_plain_tools(self):
        for plain in limbo.PLAIN_TOOLS:
            asked, plain_right, _ = limbo.score(self.results, plain)
            self.assertGreater(asked, 100, plain)
            # The plain tools ran and answered (a broken command line would get every case wrong).
            self.assertGreater(plain_right, asked // 2, f"{plain} scored {plain_right}/{asked}")
            for backend in limbo.BACKENDS:
                mine = limbo.score_on(self.results, f"dbpki {backend}", plain)
                self.assertGreaterEqual(mine, plain_right, f"dbpki {backend} {mine} < {plain} {plain_right} on {asked} cases")

    def test_the_report_lists_disagreements_and_deviations(self):
        text, unexpected = limbo.report(self.results, self.total)
        self.assertEqual(unexpected, 0, text)
        self.assertIn("dbpki's engines disagree", text)
        for backend, cases in self.listed.items():
            for case_id in cases:
                self.assertIn(case_id, text)


if __name__ == "__main__":
    unittest.main()
