"""One large FlowFile through the whole policy chain in a real NiFi with a small heap (./benchmark.sh large).

Generates a JSON array of social-insurance records (1 GB by default, the shape of the sandbox's social-insurance
dataset) with the benchmarks' data generator, starts a NiFi 2.3.0 of its own with a 512 MB heap, imports the policy
flow, drops the file in as one FlowFile and waits until GetFile → ClassifyRecord → EnforceGrantScope → ProtectRecord →
EmitLineage → PutFile are done. Prints the time each step took (from the provenance event times), the heap NiFi
used and its garbage collections, and checks that every record came out (released or unauthorized), that nothing
failed, and that the released file is the one the lineage event hashed. Records stream through each processor, so
the heap stays the same whatever the size.

    ./benchmark.sh large [--size-mb 1024] [--heap 512m] [--keep]
"""

import argparse
import datetime
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import authority
import central
import flow
import main as sandbox
import use_requests
from nifi import NiFi, free_port

PROJECT = sandbox.PROJECT
BENCHMARKS = PROJECT / "nifi-publicdata-benchmarks" / "target"
DATASET = "social-insurance"
STEPS = ("Pick up files", "Grade records (分类分级)", "Enforce grant scope (授权范围)", "Protect fields (脱敏与加密)",
         "Record lineage (使用过程可追溯)", "Release")


def generate(path, size):
    """Writes the input with the benchmarks' generator; returns its record count."""
    classpath = f"{BENCHMARKS / 'classes'}{os.pathsep}{(BENCHMARKS / 'benchmark.classpath').read_text().strip()}"
    result = subprocess.run([str(sandbox.java_home() / "bin" / "java"), "-Xmx256m", "-cp", classpath,
                             "io.publicdata.nifi.benchmarks.SampleData", str(path), str(size)],
                            capture_output=True, text=True, check=True)
    return int(result.stdout.strip())


def event_time(event):
    """A provenance event's time, e.g. "11/26/2026 02:40:11.123 UTC"."""
    return datetime.datetime.strptime(event["eventTime"].rsplit(" ", 1)[0], "%m/%d/%Y %H:%M:%S.%f")


def attribute(event, name):
    return next((a["value"] for a in event["attributes"] if a["name"] == name), None)


def deploy(nifi, heap_note):
    api = nifi.api
    root = api.get("/flow/process-groups/root")["processGroupFlow"]["id"]
    group = flow.upload(api, root, sandbox.FLOW_DEFINITION, {"x": 0, "y": 0})
    deployment = sandbox.Deployment(nifi, group["id"])
    deployment.input.mkdir(parents=True)
    deployment.output.mkdir(parents=True)
    deployment.request_folder.mkdir(parents=True)
    deployment.operator = use_requests.Operator(sandbox.java_home() / "bin" / "java", sandbox.cli_jar(), nifi.home / "data" / "operator")
    # The data authority signs the grant for the operator and publishes its revocation list (authority.py)
    deployment.authority = authority.issue(sandbox.java_home() / "bin" / "java", sandbox.cli_jar(), nifi.home / "data" / "authority",
                                           deployment.operator)
    flow.set_parameters(api, group["component"]["parameterContext"]["id"], {
        "input.directory": str(deployment.input), "output.directory": str(deployment.output),
        "request.directory": str(deployment.request_folder), **deployment.authority.parameters(),
        "protection.key": secrets.token_hex(32), "protection.pseudonym.key": secrets.token_hex(32)})
    flow.run(api, deployment.group_id)
    print(f"Policy flow running in NiFi {central.NIFI_VERSION} ({heap_note})", flush=True)
    return deployment


def heap(api):
    snapshot = api.get("/system-diagnostics")["systemDiagnostics"]["aggregateSnapshot"]
    collections = ", ".join(f"{gc['name']} {gc['collectionCount']}× {gc['collectionTime']}"
                            for gc in snapshot["garbageCollection"])
    return snapshot["maxHeap"], snapshot["usedHeap"], collections


def run(args):
    size = args.size_mb * 1024 * 1024
    nars = sandbox.project_nars(None)
    lib = sandbox.assemble()
    nifi = NiFi(PROJECT / "sandbox" / "target" / "large-input-nifi", lib, sandbox.java_home(), free_port(), free_port(),
                heap=args.heap)
    try:
        sandbox.launch(nifi, nars)
        deployment = deploy(nifi, f"-Xmx{args.heap}")
        staging = nifi.home / "data" / "staging"
        staging.mkdir(parents=True)
        source = staging / f"{DATASET}.json"
        began = time.monotonic()
        records = generate(source, size)
        print(f"Generated {source.stat().st_size / 2**20:,.0f} MB, {records:,} records, in {time.monotonic() - began:.0f} s",
              flush=True)

        # The operator's signed use request for the file, beside it under the same name, as the flow expects
        deployment.operator.sign({deployment.request_folder / source.name: deployment.operator.request(DATASET)})
        began = time.monotonic()
        source.rename(deployment.input / source.name)
        flow.await_idle(nifi.api, deployment.group_id, deployment.input, timeout=args.timeout)
        elapsed = time.monotonic() - began
        return report(deployment, records, source.name, elapsed)
    finally:
        if not args.keep and nifi.stop():
            print(f"Stopped the NiFi on {nifi.home}", flush=True)


def report(deployment, records, name, elapsed):
    api = deployment.nifi.api
    steps = flow.processors(api, deployment.group_id)
    problems = []
    print(f"\n{name}: {records:,} records through the chain in {elapsed:.0f} s "
          f"({records / elapsed:,.0f} records/s end to end, one FlowFile)")
    previous = None
    for step in STEPS:
        events = flow.provenance(api, steps[step]["id"])
        if not events:
            problems.append(f"{step} reported no provenance event")
            continue
        finished = max(event_time(e) for e in events)
        if previous is not None:
            seconds = (finished - previous).total_seconds()
            print(f"  {step:34} {seconds:7.1f} s  {records / max(seconds, 0.001):>10,.0f} records/s")
        previous = finished
    max_heap, used_heap, collections = heap(api)
    print(f"  NiFi heap: max {max_heap}, used now {used_heap}; GC: {collections}")

    out = deployment.output
    failed = sorted(f.name for f in (out / "failure").glob("*")) if (out / "failure").is_dir() else []
    if failed:
        problems.append(f"FlowFiles went to failure: {failed}")
    unauthorized = 0
    for event in flow.provenance(api, steps["Quarantine unauthorized"]["id"]):
        if event["eventType"] == "SEND":
            unauthorized += int(attribute(event, "record.count") or 0)
    events = [json.loads(f.read_text()) for f in sorted((out / "lineage").glob("*.json"))]
    releases = [e for e in events if e["eventType"] == "COMPLETE"]
    released = out / "released" / name
    if len(releases) != 1 or not released.is_file():
        problems.append(f"expected one release event and {released}; found {len(releases)} release events")
    else:
        content = releases[0]["outputs"][0]["facets"]["publicdata_content"]
        digest = hashlib.sha256()
        with open(released, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
        print(f"  released: {content['recordCount']:,} records, {released.stat().st_size / 2**20:,.0f} MB; "
              f"unauthorized: {unauthorized:,} records ({len(events) - len(releases)} denial events on the chain)")
        if digest.hexdigest() != content["sha256"]:
            problems.append("the released file does not hash to the SHA-256 its lineage event recorded")
        if content["recordCount"] + unauthorized != records:
            problems.append(f"{records:,} records in, {content['recordCount'] + unauthorized:,} out")
    code, output = sandbox.verify_lineage(deployment)
    print("  lineage verify: " + output.splitlines()[0] if output else "  lineage verify: (no output)")
    if code != 0:
        problems.append("lineage verify failed")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("OK" if not problems else "FAILED")
    return 0 if not problems else 1


def main():
    parser = argparse.ArgumentParser(prog="benchmark.sh large", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the input in MB (default 1024)")
    parser.add_argument("--heap", default="512m", help="NiFi's maximum heap (default 512m)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait for the flow (default 3600)")
    parser.add_argument("--keep", action="store_true", help="leave NiFi running afterwards (sandbox/target/large-input-nifi)")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
