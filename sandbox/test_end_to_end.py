"""End-to-end test: the project's NAR in a real NiFi 2.3.0, driven and checked only through its REST API.

Runs in a NiFi of its own (a fresh home under sandbox/target/, free ports), so it neither needs nor disturbs a running
sandbox. Started by `./sandbox.sh test`, which always stops that NiFi afterwards, whether the tests pass or fail.
"""

import unittest
import urllib.request
from pathlib import Path

from nifi import NiFi, free_port

HOME = Path(__file__).resolve().parent / "target" / "e2e-nifi"
EXPECTED_PROCESSORS = {"io.publicdata.nifi.processors.ClassifyRecord"}

nifi = None
_nar = None


def configure(nar, lib, java_home):
    """Names what to test before the tests run; returns the NiFi that the caller must stop in any case."""
    global nifi, _nar
    nifi = NiFi(HOME, lib, java_home, free_port(), free_port())
    _nar = nar
    return nifi


def setUpModule():
    nifi.stop()
    nifi.reset()
    nifi.install(_nar)
    nifi.start()


def tearDownModule():
    nifi.stop()


class NiFiServesTheProject(unittest.TestCase):

    def test_ui_is_served(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{nifi.port}/nifi", timeout=60) as response:
            self.assertEqual(200, response.status)

    def test_processors_are_listed(self):
        types = nifi.api.get("/flow/processor-types?bundleGroupFilter=io.publicdata.nifi")["processorTypes"]
        listed = {t["type"] for t in types}
        self.assertLessEqual(EXPECTED_PROCESSORS, listed)
        for t in types:
            self.assertEqual("nifi-publicdata-nar", t["bundle"]["artifact"])


if __name__ == "__main__":
    unittest.main()
