"""Unit tests of coldstart.py's patterns (`make test` runs them): a pattern must drop exactly the
parts of a symbol that change between builds and targets, and still tell functions apart."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import coldstart  # noqa: E402

# The same closure from two builds: other crate disambiguators, a back-reference moved with them.
X86 = "_RNCNvNtNtCsbfqU6J63IuO_13ums_oneroster5hosts6lambda5serve0B7_"
ARM = "_RNCNvNtNtCs5oFdJwOHjYu_13ums_oneroster5hosts6lambda5serve0B7_"
GENERIC_U8 = "_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVechE8grow_oneB7_"
GENERIC_USIZE = "_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVecjE8grow_oneB7_"


class PatternTest(unittest.TestCase):
    def test_v0_names_lose_their_disambiguators_and_back_references(self):
        self.assertEqual(
            coldstart.pattern(X86),
            "_RNCNvNtNtCs*_13ums_oneroster5hosts6lambda5serve0B*_",
        )
        self.assertEqual(coldstart.pattern(X86), coldstart.pattern(ARM))

    def test_instances_of_a_generic_function_stay_apart(self):
        self.assertNotEqual(coldstart.pattern(GENERIC_U8), coldstart.pattern(GENERIC_USIZE))

    def test_lto_suffixes_and_legacy_hashes_go(self):
        self.assertEqual(coldstart.pattern(X86 + ".llvm.1234"), coldstart.pattern(X86))
        self.assertEqual(
            coldstart.pattern("_ZN4core3fmt5write17h0123456789abcdefE"), "_ZN4core3fmt5write17h*"
        )

    def test_c_functions_keep_their_names(self):
        self.assertEqual(coldstart.pattern("do_library_init"), "do_library_init")

    def test_a_pattern_matches_the_other_build_and_not_other_instances(self):
        symbols = sorted([ARM + ".llvm.99", GENERIC_USIZE])
        self.assertTrue(coldstart.matches(coldstart.pattern(X86), symbols))
        self.assertFalse(coldstart.matches(coldstart.pattern(GENERIC_U8), symbols))

    def test_the_script_lists_each_pattern_once_for_the_linker(self):
        with tempfile.TemporaryDirectory() as scratch:
            script = os.path.join(scratch, "coldstart.ld")
            coldstart.write_script(script, ["do_library_init", coldstart.pattern(X86)])
            with open(script, encoding="utf-8") as source:
                text = source.read()
            self.assertIn("INSERT BEFORE .text;", text)
            self.assertIn(".text.unlikely.do_library_init", text)
            self.assertEqual(
                coldstart.patterns_in(script), ["do_library_init", coldstart.pattern(X86)]
            )


if __name__ == "__main__":
    unittest.main()
