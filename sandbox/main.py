"""nifi-publicdata sandbox: a real NiFi 2.3.0 on 127.0.0.1 with this project's NAR and the example policy flow.

    ./sandbox.sh [start]   (re)start the sandbox from a clean state and run the sample data through the flow
    ./sandbox.sh stop      stop it
    ./sandbox.sh status    say whether it runs, and where
    ./sandbox.sh test      end-to-end test in a NiFi of its own (own home and free ports), always stopped afterwards

Environment (all optional):
    SANDBOX_HOME              the sandbox's NiFi home: flow, repositories, logs, data (default: .sandbox/)
    SANDBOX_CACHE             downloads from Maven Central and the assembled NiFi (default: ~/.cache/nifi-publicdata)
    SANDBOX_PORT              HTTP port of the UI and REST API (default 18480)
    SANDBOX_MANAGEMENT_PORT   NiFi's management port (default 18481)
    SANDBOX_HEAP              maximum Java heap of NiFi (default 1g)
    SANDBOX_MAVEN_REPOSITORY  a Maven Central mirror (default https://repo.maven.apache.org/maven2)
    JAVA_HOME                 a JDK 21+; ./sandbox.sh finds one like ./mvnw does
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import central
from nifi import NiFi

PROJECT = Path(__file__).resolve().parent.parent
NAR_DIR = PROJECT / "nifi-publicdata-nar" / "target"


def cache_dir():
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nifi-publicdata"
    return Path(os.environ.get("SANDBOX_CACHE") or default)


def java_home():
    home = os.environ.get("JAVA_HOME")
    if not home or not Path(home, "bin", "jar").exists():
        sys.exit("JAVA_HOME must point to a JDK 21 or newer; run this through ./sandbox.sh, which finds one")
    return Path(home)


def project_nar(explicit=None):
    """The NAR to install: the one given, else the newest built one, built now if there is none."""
    if explicit:
        return Path(explicit).resolve()
    nars = sorted(NAR_DIR.glob("nifi-publicdata-nar-*.nar"), key=lambda p: p.stat().st_mtime)
    if not nars:
        print("No NAR built yet; building it (./mvnw package -DskipTests) ...", flush=True)
        subprocess.run([str(PROJECT / "mvnw"), "-B", "-q", "package", "-DskipTests"], cwd=PROJECT, check=True)
        nars = sorted(NAR_DIR.glob("nifi-publicdata-nar-*.nar"), key=lambda p: p.stat().st_mtime)
    nar = nars[-1]
    sources = PROJECT / "nifi-publicdata-processors" / "src" / "main"
    if any(f.stat().st_mtime > nar.stat().st_mtime for f in sources.rglob("*") if f.is_file()):
        print(f"Note: {nar.name} is older than the sources; ./mvnw package -DskipTests rebuilds it.", flush=True)
    return nar


def sandbox_nifi():
    home = Path(os.environ.get("SANDBOX_HOME") or PROJECT / ".sandbox")
    lib = cache_dir() / f"nifi-{central.NIFI_VERSION}" / "lib"
    return NiFi(home, lib, os.environ.get("JAVA_HOME", ""), int(os.environ.get("SANDBOX_PORT", "18480")),
                int(os.environ.get("SANDBOX_MANAGEMENT_PORT", "18481")), os.environ.get("SANDBOX_HEAP", "1g"))


def assemble():
    return central.assemble_lib(cache_dir(), java_home() / "bin" / "jar",
                                os.environ.get("SANDBOX_MAVEN_REPOSITORY", central.DEFAULT_REPOSITORY),
                                log=lambda m: print(m, flush=True))


def launch(nifi, nar):
    """Gives nifi a clean home with the project's NAR installed and starts it."""
    if nifi.stop():
        print(f"Stopped the NiFi that was running on {nifi.home}", flush=True)
    nifi.reset()
    nifi.install(nar)
    print(f"Starting NiFi {central.NIFI_VERSION} on {nifi.ui_url} with {nar.name} ...", flush=True)
    started = time.monotonic()
    nifi.start()
    print(f"NiFi is up after {time.monotonic() - started:.0f} s (pid {nifi.pid()})", flush=True)


def start(args):
    began = time.monotonic()
    nar = project_nar(args.nar)
    assemble()
    nifi = sandbox_nifi()
    launch(nifi, nar)
    types = [t["type"] for t in nifi.api.get("/flow/processor-types?bundleGroupFilter=io.publicdata.nifi")
             ["processorTypes"]]
    print("\nProcessors of nifi-publicdata in this NiFi:")
    for t in sorted(types):
        print(f"  {t}")
    print(f"\nSandbox ready in {time.monotonic() - began:.0f} s.")
    print(f"  NiFi UI:   {nifi.ui_url}   (plain HTTP on 127.0.0.1, no login: a sandbox, not production)")
    print(f"  NiFi log:  {nifi.log_file}")
    print("  Stop it:   ./sandbox.sh stop")


def stop(_args):
    nifi = sandbox_nifi()
    pid = nifi.stop()
    print(f"Stopped NiFi (pid {pid}) on {nifi.home}" if pid else f"No NiFi running on {nifi.home}")


def status(_args):
    nifi = sandbox_nifi()
    pid = nifi.pid()
    print(f"NiFi runs on {nifi.ui_url} (pid {pid}, home {nifi.home})" if pid else f"No NiFi running on {nifi.home}")


def test(args):
    import unittest
    import test_end_to_end
    nifi = test_end_to_end.configure(project_nar(args.nar), assemble(), java_home())
    try:
        suite = unittest.defaultTestLoader.loadTestsFromModule(test_end_to_end)
        result = unittest.TextTestRunner(verbosity=2).run(suite)
    finally:
        # Also after Ctrl-C, a CI timeout (SIGTERM, see main) or a failure while starting.
        if nifi.stop():
            print(f"Stopped the test NiFi on {nifi.home}", file=sys.stderr)
    sys.exit(0 if result.wasSuccessful() else 1)


def main():
    parser = argparse.ArgumentParser(prog="sandbox.sh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="start", choices=["start", "stop", "status", "test"])
    parser.add_argument("--nar", help="the nifi-publicdata NAR to install (default: the one built in "
                                      "nifi-publicdata-nar/target)")
    args = parser.parse_args()
    # Turn termination by a CI runner or a closed terminal into an exception, so that `finally` blocks run.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, _frame: sys.exit(128 + number))
    {"start": start, "stop": stop, "status": status, "test": test}[args.command](args)


if __name__ == "__main__":
    main()
