"""nifi-publicdata sandbox: a real NiFi 2.3.0 on 127.0.0.1 with this project's NAR and the example policy flow.

    ./sandbox.sh [start]   (re)start the sandbox from a clean state and run the sample data through the flow
    ./sandbox.sh stop      stop it
    ./sandbox.sh status    say whether it runs, and where
    ./sandbox.sh test      end-to-end test in a NiFi of its own (own home and free ports), always stopped afterwards
    ./sandbox.sh flow-definition
                           rebuild docs/flows/publicdata-policy-flow.json from flow.py, in a NiFi of its own
    ./sandbox.sh cluster   a two-node NiFi cluster on 127.0.0.1 running the policy flow (see sandbox/cluster.py);
                           ./sandbox.sh cluster-stop stops it, ./sandbox.sh cluster-test tests it in a cluster of its own

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
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import authority
import catalog
import central
import flow
import use_requests
from nifi import NiFi, free_port

PROJECT = Path(__file__).resolve().parent.parent
NAR_DIR = PROJECT / "nifi-publicdata-nar" / "target"
API_NAR_DIR = PROJECT / "nifi-publicdata-service-api-nar" / "target"
FLOW_DEFINITION = PROJECT / "docs" / "flows" / "publicdata-policy-flow.json"
SAMPLE_DATA = PROJECT / "sandbox" / "data"
OUTPUTS = ("released", "unauthorized", "lineage", "failure")


def cache_dir():
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nifi-publicdata"
    return Path(os.environ.get("SANDBOX_CACHE") or default)


def java_home():
    home = os.environ.get("JAVA_HOME")
    if not home or not Path(home, "bin", "jar").exists():
        sys.exit("JAVA_HOME must point to a JDK 21 or newer; run this through ./sandbox.sh, which finds one")
    return Path(home)


def project_nars(explicit=None):
    """The NARs to install: the ones given, else the newest built implementation NAR and the service API NAR it names
    as its parent, built now if there are none."""
    if explicit:
        return [Path(nar).resolve() for nar in explicit]

    def built():
        nars = sorted(NAR_DIR.glob("nifi-publicdata-nar-*.nar"), key=lambda p: p.stat().st_mtime)
        return nars[-1] if nars else None

    nar = built()
    if nar is None:
        print("No NAR built yet; building it (./mvnw package -DskipTests) ...", flush=True)
        subprocess.run([str(PROJECT / "mvnw"), "-B", "-q", "package", "-DskipTests"], cwd=PROJECT, check=True)
        nar = built()
    version = nar.name[len("nifi-publicdata-nar-"):-len(".nar")]
    api_nar = API_NAR_DIR / f"nifi-publicdata-service-api-nar-{version}.nar"
    if not api_nar.is_file():
        sys.exit(f"{api_nar} is missing: ./mvnw package -DskipTests builds it beside {nar.name}")
    sources = PROJECT / "nifi-publicdata-processors" / "src" / "main"
    if any(f.stat().st_mtime > nar.stat().st_mtime for f in sources.rglob("*") if f.is_file()):
        print(f"Note: {nar.name} is older than the sources; ./mvnw package -DskipTests rebuilds it.", flush=True)
    return [api_nar, nar]


def sandbox_nifi():
    home = Path(os.environ.get("SANDBOX_HOME") or PROJECT / ".sandbox")
    lib = cache_dir() / f"nifi-{central.NIFI_VERSION}" / "lib"
    return NiFi(home, lib, os.environ.get("JAVA_HOME", ""), int(os.environ.get("SANDBOX_PORT", "18480")),
                int(os.environ.get("SANDBOX_MANAGEMENT_PORT", "18481")), os.environ.get("SANDBOX_HEAP", "1g"))


def assemble():
    return central.assemble_lib(cache_dir(), java_home() / "bin" / "jar",
                                os.environ.get("SANDBOX_MAVEN_REPOSITORY", central.DEFAULT_REPOSITORY),
                                log=lambda m: print(m, flush=True))


def catalog_server(nifi, h2_jar=None):
    """The server of the catalog database that the NiFi on this home reads."""
    return catalog.CatalogServer(nifi.home / "catalog", java_home() / "bin" / "java", h2_jar or "h2.jar")


def stop_all(nifi):
    """Stops a NiFi and the catalog server beside it; returns NiFi's pid, or None if it did not run."""
    pid = nifi.stop()
    catalog_server(nifi).stop()
    return pid


def launch(nifi, nars):
    """Gives nifi a clean home with the project's NARs installed and starts it."""
    if stop_all(nifi):
        print(f"Stopped the NiFi that was running on {nifi.home}", flush=True)
    nifi.reset()
    for nar in nars:
        nifi.install(nar)
    print(f"Starting NiFi {central.NIFI_VERSION} on {nifi.ui_url} with {', '.join(n.name for n in nars)} ...", flush=True)
    started = time.monotonic()
    nifi.start()
    print(f"NiFi is up after {time.monotonic() - started:.0f} s (pid {nifi.pid()})", flush=True)


@contextlib.contextmanager
def own_nifi(name, nars):
    """A NiFi of its own for a test or a build: fresh home under sandbox/target/, free ports, stopped on exit."""
    nifi = NiFi(PROJECT / "sandbox" / "target" / name, assemble(), java_home(), free_port(), free_port())
    try:
        launch(nifi, nars)
        yield nifi
    finally:
        if stop_all(nifi):
            print(f"Stopped the NiFi on {nifi.home}", flush=True)


class Deployment:
    """The policy flow as deployed in a NiFi: its process group and folders."""

    def __init__(self, nifi, group_id):
        self.nifi = nifi
        self.group_id = group_id
        self.input = nifi.home / "data" / "in"
        self.output = nifi.home / "data" / "out"
        self.request_folder = nifi.home / "data" / "requests"
        self.operator = None
        self.impostor = None
        self.authority = None  # the data authority: its keys, the grant it signed, its revocation list (authority.py)
        self.report = nifi.home / "data" / "out" / "report"
        self.catalog = None  # (JDBC URL, password, PostgreSQL driver jar) of the catalog database


def deploy(nifi):
    """Imports the shipped flow definition as a user would, gives it folders and per-run keys, starts it, feeds it
    the sample data and waits until everything has gone through."""
    api = nifi.api
    root = api.get("/flow/process-groups/root")["processGroupFlow"]["id"]
    group = flow.upload(api, root, FLOW_DEFINITION, {"x": 0, "y": 0})
    deployment = Deployment(nifi, group["id"])
    deployment.input.mkdir(parents=True)
    deployment.output.mkdir(parents=True)
    deployment.request_folder.mkdir(parents=True)
    # The operator, and someone who is not it: their keys are made with the project's command line
    deployment.operator = use_requests.Operator(java_home() / "bin" / "java", cli_jar(), nifi.home / "data" / "operator")
    deployment.impostor = use_requests.Operator(java_home() / "bin" / "java", cli_jar(), nifi.home / "data" / "impostor", "impostor")
    # The resource catalog (资源目录): tables created and filled, and served, before the flow reads them
    h2_jar, postgresql_driver = catalog.drivers(cache_dir(), os.environ.get("SANDBOX_MAVEN_REPOSITORY", central.DEFAULT_REPOSITORY))
    catalog_password = secrets.token_urlsafe(18)
    server = catalog_server(nifi, h2_jar)
    server.create(cli_jar(), catalog_password)
    catalog_url = server.start(free_port())
    deployment.catalog = (catalog_url, catalog_password, postgresql_driver)
    # The data authority signs the grant (in force from a month ago for a year, naming the operator's key) and a revocation list
    deployment.authority = authority.issue(java_home() / "bin" / "java", cli_jar(), nifi.home / "data" / "authority", deployment.operator)
    flow.set_parameters(api, group["component"]["parameterContext"]["id"], {
        "catalog.database.url": catalog_url, "catalog.database.password": catalog_password,
        "catalog.driver.location": str(postgresql_driver),
        "input.directory": str(deployment.input), "output.directory": str(deployment.output),
        "request.directory": str(deployment.request_folder), **deployment.authority.parameters(),
        # A fresh operator key per run: a sandbox keeps no secret
        "protection.key": secrets.token_hex(32), "protection.pseudonym.key": secrets.token_hex(32)})
    flow.run(api, deployment.group_id)
    # The operators' signed use requests (用途申请): one for each sample file, then a forged, a replayed and an expired one
    use_requests.deliver(deployment.operator, sorted(SAMPLE_DATA.glob("*.json")), deployment.input, deployment.request_folder)
    flow.await_idle(api, deployment.group_id, deployment.input)
    use_requests.deliver_attacks(deployment.operator, deployment.impostor, SAMPLE_DATA, deployment.input, deployment.request_folder)
    flow.await_idle(api, deployment.group_id, deployment.input)
    return deployment


def report(deployment):
    api = deployment.nifi.api
    print(f"\nThe policy flow ran the sample data ({SAMPLE_DATA.relative_to(PROJECT)}/*.json).")
    print("What each step reported to NiFi provenance (what an auditor sees; right-click a processor > "
          "View data provenance):")
    steps = [p for p in flow.processors(api, deployment.group_id).values()
             if p["component"]["type"].startswith("io.publicdata.nifi.")]
    reported = {}
    for step in steps:
        for event in flow.provenance(api, step["id"]):
            if event.get("details"):
                reported.setdefault(_filename(event), []).append(
                    (event["eventId"], step["component"]["name"], event["details"]))
    width = max(len(p["component"]["name"]) for p in steps)
    for name, lines in sorted(reported.items()):
        print(f"  {name}")
        for _, step, details in sorted(lines):
            print(f"    {step:{width}}  {details}")

    print(f"\nOutputs, in {deployment.output}:")
    for name in OUTPUTS:
        folder = deployment.output / name
        files = sorted(f.name for f in folder.glob("*")) if folder.is_dir() else []
        print(f"  {name + '/':14} {', '.join(files) if files else '-'}")
    code, output = verify_lineage(deployment)
    print(f"\nLineage chain (publicdata lineage verify {deployment.output / 'lineage'}, against the head in NiFi's state):")
    print("\n".join("  " + line for line in output.splitlines()))
    released = sorted((deployment.output / "released").glob("*.json"))
    if released:
        records = json.loads(released[-1].read_text())
        print(f"\nA record as released (released/{released[-1].name}):")
        print("\n".join("  " + line for line in json.dumps(records[0], ensure_ascii=False, indent=2).splitlines()))


def cli_jar():
    jars = [j for j in (PROJECT / "nifi-publicdata-cli" / "target").glob("nifi-publicdata-cli-*.jar")
            if not j.name.startswith("original-")]
    if not jars:
        sys.exit("No command-line tool built yet: ./mvnw package -DskipTests builds it")
    return max(jars, key=lambda j: j.stat().st_mtime)


def lineage_head(deployment):
    """The chain head EmitLineage keeps in NiFi's state: chain id and last hash."""
    api = deployment.nifi.api
    step = next(p for p in flow.processors(api, deployment.group_id).values()
                if p["component"]["type"] == "io.publicdata.nifi.processors.EmitLineage")
    entries = api.get(f"/processors/{step['id']}/state")["componentState"]["localState"]["state"]
    state = {e["key"]: e["value"] for e in entries}
    return state.get("chain.id"), state.get("chain.hash")


def verify_lineage(deployment):
    """Runs `publicdata lineage verify` on the lineage folder against the head in NiFi's state; returns (exit code, output)."""
    chain, head = lineage_head(deployment)
    command = [str(java_home() / "bin" / "java"), "-jar", str(cli_jar()), "lineage", "verify"]
    if chain and head:
        command += ["--head", f"{chain}={head}"]
    command.append(str(deployment.output / "lineage"))
    result = subprocess.run(command, capture_output=True, text=True)
    return result.returncode, (result.stdout + result.stderr).strip()


def _filename(event):
    return next((a["value"] for a in event["attributes"] if a["name"] == "filename"), "?")


def disclose(deployment):
    """Writes the disclosure report (授权运营情况披露) of the run with `publicdata report`: the signed grant EnforceGrantScope
    enforces, with the key it verifies it with and the revocation list it reads, as NiFi holds them; the catalog tables NiFi
    read; the lineage chain, verified against the head in NiFi's state. Returns (exit code, what the command printed)."""
    java = java_home() / "bin" / "java"
    folder = deployment.nifi.home / "data" / "report-input"
    enforced = authority.enforced_grant(deployment.nifi.api, deployment.group_id, folder)
    url, password, driver = deployment.catalog
    password_file = folder / "catalog-password"
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    return catalog.write_report(java, cli_jar(), driver, enforced.grants, enforced.keys, url, password_file, deployment.output / "lineage",
                                lineage_head(deployment), deployment.report, enforced.revocation_list)


def start(args):
    began = time.monotonic()
    nars = project_nars(args.nar)
    assemble()
    nifi = sandbox_nifi()
    launch(nifi, nars)
    print("Importing the policy flow and running the sample data through it ...", flush=True)
    deployment = deploy(nifi)
    report(deployment)
    code, output = disclose(deployment)
    print("\nDisclosure report (publicdata report):")
    print("\n".join("  " + line for line in output.splitlines()))
    print(f"\nSandbox ready in {time.monotonic() - began:.0f} s.")
    print(f"  NiFi UI:   {nifi.ui_url}   (plain HTTP on 127.0.0.1, no login: a sandbox, not production)")
    print(f"             the flow is the process group \"{flow.GROUP_NAME}\" on the canvas")
    print(f"  More data: copy JSON files into {nifi.home / 'data' / 'in'}, each with the operator's signed use request of the")
    print(f"             same name in {nifi.home / 'data' / 'requests'} (see the README: how an operator signs a request)")
    print(f"  NiFi log:  {nifi.log_file}")
    print("  Stop it:   ./sandbox.sh stop")


def flow_definition(args):
    with own_nifi("flow-definition-nifi", project_nars(args.nar)) as nifi:
        root = nifi.api.get("/flow/process-groups/root")["processGroupFlow"]["id"]
        group = flow.build(nifi.api, root, {"x": 0, "y": 0})
        definition = json.loads(nifi.api.get(f"/process-groups/{group}/download", raw=True))
    FLOW_DEFINITION.parent.mkdir(parents=True, exist_ok=True)
    FLOW_DEFINITION.write_text(flow.definition_json(flow.normalize(definition)))
    print(f"Wrote {FLOW_DEFINITION.relative_to(PROJECT)}")


def stop(_args):
    nifi = sandbox_nifi()
    pid = stop_all(nifi)
    print(f"Stopped NiFi (pid {pid}) on {nifi.home}" if pid else f"No NiFi running on {nifi.home}")


def status(_args):
    nifi = sandbox_nifi()
    pid = nifi.pid()
    print(f"NiFi runs on {nifi.ui_url} (pid {pid}, home {nifi.home})" if pid else f"No NiFi running on {nifi.home}")


def test(args):
    import unittest
    import test_end_to_end
    # The NiFi stops whatever happens: tests pass or fail, NiFi does not start, Ctrl-C, or SIGTERM (see main).
    with own_nifi("e2e-nifi", project_nars(args.nar)) as nifi:
        test_end_to_end.deployment = deploy(nifi)
        test_end_to_end.verify_lineage = verify_lineage
        test_end_to_end.lineage_head = lineage_head
        test_end_to_end.disclosure = disclose(test_end_to_end.deployment)
        suite = unittest.defaultTestLoader.loadTestsFromModule(test_end_to_end)
        result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


def main():
    parser = argparse.ArgumentParser(prog="sandbox.sh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="start", choices=["start", "stop", "status", "test", "flow-definition",
                                                                        "cluster", "cluster-stop", "cluster-test"])
    parser.add_argument("--nar", action="append",
                        help="a NAR to install, repeated for each (default: the ones built in nifi-publicdata-nar/target "
                             "and nifi-publicdata-service-api-nar/target)")
    args = parser.parse_args()
    # Turn termination by a CI runner or a closed terminal into an exception, so that `finally` blocks run.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, _frame: sys.exit(128 + number))
    if args.command.startswith("cluster"):
        import cluster
        {"cluster": cluster.start, "cluster-stop": cluster.stop, "cluster-test": cluster.test}[args.command](args)
        return
    {"start": start, "stop": stop, "status": status, "test": test,
     "flow-definition": flow_definition}[args.command](args)


if __name__ == "__main__":
    main()
