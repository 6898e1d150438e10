"""A two-node NiFi 2.3.0 cluster on 127.0.0.1 running the policy flow.

    ./sandbox.sh cluster        (re)start the cluster from a clean state, run the sample data through it and print
                                what each node did; the cluster keeps running
    ./sandbox.sh cluster-stop   stop it
    ./sandbox.sh cluster-test   the cluster end-to-end test, in a cluster of its own (own homes, free ports),
                                always stopped afterwards

Node 1 runs NiFi's embedded ZooKeeper; both nodes share the sensitive properties key (the flow is one and the same on
every node) and get every NAR the build produced. The policy flow is imported once, through node 1, and NiFi
replicates it. For a cluster, three things differ from one node: GetFile runs on the primary node only (both nodes
would otherwise race for the same folder), its connection is load-balanced round robin so both nodes grade, check,
protect and trace data, and EmitLineage's Chain ID is the node's name, read from a system property each node is
started with, so each node keeps its own lineage chain and says whose it is.

Plain HTTP on loopback without login, like the sandbox: a sandbox, not production. NiFi binds its cluster protocol
port on every interface (no property changes that); every other port is 127.0.0.1.

Environment (all optional): SANDBOX_CLUSTER_HOME (default .sandbox-cluster/), SANDBOX_HEAP (per node, default 1g), and
the sandbox's SANDBOX_CACHE and SANDBOX_MAVEN_REPOSITORY.
"""

import json
import os
import secrets
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import authority
import catalog
import central
import flow
import main as sandbox
import use_requests
from nifi import NiFi, NiFiError, PROPERTIES, free_port

# The system property that names a node; EmitLineage's Chain ID reads it with the expression language
NODE_PROPERTY = "publicdata.cluster.node"
CHAIN_ID = "${" + NODE_PROPERTY + "}"
ROUNDS = 8
EMIT_LINEAGE = "io.publicdata.nifi.processors.EmitLineage"
PICK_UP = "org.apache.nifi.processors.standard.GetFile"

CLUSTER_PROPERTIES = """\
nifi.cluster.is.node=true
nifi.cluster.protocol.is.secure=false
nifi.cluster.node.address=127.0.0.1
nifi.cluster.node.protocol.port={protocol_port}
nifi.cluster.node.protocol.max.threads=20
nifi.cluster.node.connection.timeout=10 sec
nifi.cluster.node.read.timeout=10 sec
nifi.cluster.protocol.heartbeat.interval=5 sec
nifi.cluster.flow.election.max.candidates=2
nifi.cluster.flow.election.max.wait.time=1 min
nifi.cluster.load.balance.host=127.0.0.1
nifi.cluster.load.balance.port={load_balance_port}
nifi.cluster.load.balance.connections.per.node=1
nifi.cluster.load.balance.max.thread.count=4
nifi.zookeeper.connect.string=127.0.0.1:{zookeeper_port}
nifi.zookeeper.connect.timeout=10 secs
nifi.zookeeper.session.timeout=10 secs
nifi.zookeeper.root.node=/nifi
nifi.state.management.provider.cluster=zk-provider
nifi.state.management.embedded.zookeeper.properties=./conf/zookeeper.properties
"""

STATE_MANAGEMENT = """\
<stateManagement>
    <local-provider>
        <id>local-provider</id>
        <class>org.apache.nifi.controller.state.providers.local.WriteAheadLocalStateProvider</class>
        <property name="Directory">./state/local</property>
        <property name="Always Sync">false</property>
        <property name="Partitions">16</property>
        <property name="Checkpoint Interval">2 mins</property>
    </local-provider>
    <cluster-provider>
        <id>zk-provider</id>
        <class>org.apache.nifi.controller.state.providers.zookeeper.ZooKeeperStateProvider</class>
        <property name="Connect String">127.0.0.1:{zookeeper_port}</property>
        <property name="Root Node">/nifi</property>
        <property name="Session Timeout">10 seconds</property>
        <property name="Access Control">Open</property>
    </cluster-provider>
</stateManagement>
"""

# One server: a standalone ZooKeeper, embedded in node 1
ZOOKEEPER = """\
initLimit=10
syncLimit=5
tickTime=2000
dataDir=./state/zookeeper
autopurge.snapRetainCount=30
autopurge.purgeInterval=24
admin.enableServer=false
server.1=127.0.0.1:{quorum_port}:{election_port};127.0.0.1:{zookeeper_port}
"""


@dataclass(frozen=True)
class Ports:
    http: int
    management: int
    protocol: int
    load_balance: int


@dataclass(frozen=True)
class ZooKeeperPorts:
    client: int
    quorum: int
    election: int


class ClusterNode(NiFi):
    """One node: a NiFi whose configuration joins the cluster; node 1 also runs the embedded ZooKeeper."""

    def __init__(self, number, home, lib, java_home, ports, zookeeper, sensitive_key, heap):
        self.number = number
        self.name = f"cluster-node-{number}"
        super().__init__(home, lib, java_home, ports.http, ports.management, heap,
                         jvm_args=[f"-D{NODE_PROPERTY}={self.name}"])
        self.ports = ports
        self.zookeeper = zookeeper
        self.sensitive_key = sensitive_key

    def _configure(self):
        conf = self.home / "conf"
        properties = PROPERTIES.format(lib=self.lib, port=self.port, sensitive_props_key=self.sensitive_key)
        properties = properties.replace("nifi.cluster.is.node=false\n", "").replace(
            "nifi.state.management.embedded.zookeeper.start=false",
            f"nifi.state.management.embedded.zookeeper.start={'true' if self.number == 1 else 'false'}")
        properties += CLUSTER_PROPERTIES.format(protocol_port=self.ports.protocol, load_balance_port=self.ports.load_balance,
                                                zookeeper_port=self.zookeeper.client)
        (conf / "nifi.properties").write_text(properties)
        super()._configure()  # logging; keeps the nifi.properties above
        (conf / "state-management.xml").write_text(STATE_MANAGEMENT.format(zookeeper_port=self.zookeeper.client))
        (conf / "zookeeper.properties").write_text(ZOOKEEPER.format(
            quorum_port=self.zookeeper.quorum, election_port=self.zookeeper.election, zookeeper_port=self.zookeeper.client))
        if self.number == 1:
            (self.home / "state" / "zookeeper").mkdir(parents=True, exist_ok=True)
            (self.home / "state" / "zookeeper" / "myid").write_text("1\n")


class Cluster:
    """Two nodes started together; node 1's REST API is the cluster's (NiFi replicates requests to every node)."""

    def __init__(self, base, lib, java_home, node_ports, zookeeper, heap):
        # The flow's sensitive values are encrypted with this key: it must be the same on every node
        key = secrets.token_urlsafe(24)
        self.base = Path(base).resolve()
        self.nodes = [ClusterNode(n + 1, self.base / f"node{n + 1}", lib, java_home, ports, zookeeper, key, heap)
                      for n, ports in enumerate(node_ports)]
        self.api = self.nodes[0].api

    def running(self):
        return [node for node in self.nodes if node.pid()]

    def stop(self):
        """Stops every node that runs; returns their pids."""
        stopped = []
        for node in reversed(self.nodes):  # node 1, with ZooKeeper, last
            pid = node.stop()
            if pid:
                stopped.append(pid)
        # The server of the catalog database both nodes read
        catalog.CatalogServer(self.base / "catalog", "java", "h2.jar").stop()
        return stopped

    def launch(self, nars, timeout=420):
        """Clean homes with the NARs installed, both nodes started, until both are CONNECTED."""
        self.stop()
        if self.base.exists():
            shutil.rmtree(self.base)
        for node in self.nodes:
            node.reset()
            for nar in nars:
                node.install(nar)
        print(f"Starting a {len(self.nodes)}-node NiFi {central.NIFI_VERSION} cluster with "
              f"{', '.join(n.name for n in nars)}: " + ", ".join(node.ui_url for node in self.nodes), flush=True)
        began = time.monotonic()
        errors = []

        def start(node):
            try:
                node.start(timeout=timeout)
            except BaseException as e:  # reported below, after both threads ended
                errors.append(e)
        threads = [threading.Thread(target=start, args=(node,)) for node in self.nodes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            self.stop()
            raise errors[0]
        deadline = time.monotonic() + timeout
        while True:
            nodes = self.members()
            if len(nodes) == len(self.nodes) and all(n["status"] == "CONNECTED" for n in nodes):
                break
            if time.monotonic() > deadline:
                self.stop()
                raise NiFiError(f"cluster not connected after {timeout} s: {[(n['address'], n['apiPort'], n['status']) for n in nodes]}")
            time.sleep(1)
        print(f"Cluster CONNECTED after {time.monotonic() - began:.0f} s: " + ", ".join(
            f"{self.node_name(n)} {n['status']}{' (primary)' if 'Primary Node' in n['roles'] else ''}" for n in nodes), flush=True)

    def members(self):
        try:
            return self.api.get("/controller/cluster")["cluster"]["nodes"]
        except (OSError, NiFiError):
            return []

    def node_name(self, member):
        """Our name of a cluster member (from /controller/cluster, provenance or state), by its API port."""
        port = member.get("apiPort") or int(str(member.get("clusterNodeAddress", ":0")).rsplit(":", 1)[1])
        return next(node.name for node in self.nodes if node.port == port)


def sandbox_cluster():
    """The interactive cluster: fixed ports (node 1 on 18580, node 2 on 18680), home .sandbox-cluster/."""
    base = Path(os.environ.get("SANDBOX_CLUSTER_HOME") or sandbox.PROJECT / ".sandbox-cluster")
    lib = sandbox.cache_dir() / f"nifi-{central.NIFI_VERSION}" / "lib"
    ports = [Ports(18480 + 100 * n, 18481 + 100 * n, 18482 + 100 * n, 18483 + 100 * n) for n in (1, 2)]
    return Cluster(base, lib, os.environ.get("JAVA_HOME", ""), ports, ZooKeeperPorts(18584, 18585, 18586),
                   os.environ.get("SANDBOX_HEAP", "1g"))


def own_cluster(name):
    """A cluster for a test: homes under sandbox/target/, free ports everywhere."""
    ports = [Ports(free_port(), free_port(), free_port(), free_port()) for _ in range(2)]
    return Cluster(sandbox.PROJECT / "sandbox" / "target" / name, sandbox.assemble(), sandbox.java_home(), ports,
                   ZooKeeperPorts(free_port(), free_port(), free_port()), os.environ.get("SANDBOX_HEAP", "1g"))


class ClusterDeployment(sandbox.Deployment):
    """The policy flow in the cluster; folders are shared by both nodes (they run on one machine)."""

    def __init__(self, cluster, group_id, base):
        super().__init__(cluster.nodes[0], group_id)
        self.cluster = cluster
        self.input = base / "data" / "in"
        self.output = base / "data" / "out"
        self.request_folder = base / "data" / "requests"
        self.operator = None
        self.files = 0
        self.records = 0
        self.provenance = None


def deploy(cluster):
    """Imports the policy flow through node 1, sets it up for a cluster, starts it and feeds it the sample data,
    ROUNDS times over, in folders of their own so each file is a FlowFile of its own."""
    api = cluster.api
    root = api.get("/flow/process-groups/root")["processGroupFlow"]["id"]
    group = flow.upload(api, root, sandbox.FLOW_DEFINITION, {"x": 0, "y": 0})
    deployment = ClusterDeployment(cluster, group["id"], cluster.base)
    deployment.input.mkdir(parents=True)
    deployment.output.mkdir(parents=True)
    # The operator signs a use request (用途申请) for every file it asks for, with the project's command line
    deployment.operator = use_requests.Operator(sandbox.java_home() / "bin" / "java", sandbox.cli_jar(), cluster.base / "data" / "operator")
    # The data authority signs the grant for the operator and publishes its revocation list (authority.py)
    deployment.authority = authority.issue(sandbox.java_home() / "bin" / "java", sandbox.cli_jar(), cluster.base / "data" / "authority",
                                           deployment.operator)
    # The resource catalog's database, one for both nodes, served on 127.0.0.1 (see catalog.py)
    h2_jar, postgresql_driver = catalog.drivers(sandbox.cache_dir())
    catalog_password = secrets.token_urlsafe(18)
    server = catalog.CatalogServer(cluster.base / "catalog", sandbox.java_home() / "bin" / "java", h2_jar)
    server.create(sandbox.cli_jar(), catalog_password)
    catalog_url = server.start(free_port())
    # Keys and grants are parameters: set once, through any node, for every node (the key stays sensitive)
    flow.set_parameters(api, group["component"]["parameterContext"]["id"], {
        "catalog.database.url": catalog_url, "catalog.database.password": catalog_password,
        "catalog.driver.location": str(postgresql_driver),
        "input.directory": str(deployment.input), "output.directory": str(deployment.output),
        "request.directory": str(deployment.request_folder), **deployment.authority.parameters(),
        "protection.key": secrets.token_hex(32), "protection.pseudonym.key": secrets.token_hex(32)})
    prepare_for_cluster(api, deployment.group_id)
    flow.run(api, deployment.group_id)
    feed(deployment)
    await_done(deployment)
    return deployment


def prepare_for_cluster(api, group_id):
    """GetFile on the primary node only, its output load-balanced round robin; one lineage chain per node."""
    processors = {p["component"]["type"]: p for p in api.get(f"/process-groups/{group_id}/processors")["processors"]}
    pick_up = processors[PICK_UP]
    api.put(f"/processors/{pick_up['id']}", {"revision": pick_up["revision"], "component": {
        "id": pick_up["id"], "config": {"executionNode": "PRIMARY"}}})
    for connection in api.get(f"/process-groups/{group_id}/connections")["connections"]:
        if connection["sourceId"] == pick_up["id"]:
            api.put(f"/connections/{connection['id']}", {"revision": connection["revision"], "component": {
                "id": connection["id"], "loadBalanceStrategy": "ROUND_ROBIN"}})
    trace = processors[EMIT_LINEAGE]
    api.put(f"/processors/{trace['id']}", {"revision": trace["revision"], "component": {
        "id": trace["id"], "config": {"properties": {"Chain ID": CHAIN_ID}}}})


def feed(deployment):
    for round_ in range(1, ROUNDS + 1):
        folder = deployment.input / f"round-{round_:02d}"
        folder.mkdir()
        samples = sorted(sandbox.SAMPLE_DATA.glob("*.json"))
        # Each file comes with its own signed use request, under the same relative name
        use_requests.deliver(deployment.operator, samples, folder, deployment.request_folder / folder.name)
        for sample in samples:
            deployment.files += 1
            deployment.records += len(json.loads(sample.read_text()))


def await_done(deployment, timeout=300):
    """Until every input file is picked up and nothing is queued or running in the group, twice a second apart."""
    api = deployment.cluster.api
    deadline = time.monotonic() + timeout
    idle = 0
    while idle < 2:
        status = api.get(f"/flow/process-groups/{deployment.group_id}/status")["processGroupStatus"]["aggregateSnapshot"]
        waiting = [f for f in deployment.input.rglob("*.json")]
        busy = waiting or status["flowFilesQueued"] or status["activeThreadCount"]
        idle = 0 if busy else idle + 1
        if time.monotonic() > deadline:
            raise RuntimeError(f"flow still busy after {timeout} s: {len(waiting)} files not picked up, "
                               f"{status['flowFilesQueued']} FlowFiles queued, {status['activeThreadCount']} threads active")
        time.sleep(1)


def chain_heads(deployment):
    """Each node's lineage chain head, from EmitLineage's local state on that node: node name → {chain.id, chain.sequence, chain.hash}."""
    api = deployment.cluster.api
    trace = next(p for p in flow.processors(api, deployment.group_id).values() if p["component"]["type"] == EMIT_LINEAGE)
    heads = {}
    for entry in api.get(f"/processors/{trace['id']}/state")["componentState"]["localState"]["state"]:
        heads.setdefault(deployment.cluster.node_name(entry), {})[entry["key"]] = entry["value"]
    return heads


def lineage_events(deployment):
    """The lineage events on disk, by chain id, in sequence order."""
    chains = {}
    for path in (deployment.output / "lineage").glob("*.json"):
        event = json.loads(path.read_text())
        chain = event["run"]["facets"]["publicdata_chain"]
        chains.setdefault(chain["chainId"], []).append(event)
    for events in chains.values():
        events.sort(key=lambda e: e["run"]["facets"]["publicdata_chain"]["sequence"])
    return chains


def released_records(events):
    """Records the release events of a chain describe (a denial event has no output dataset)."""
    return sum(e["outputs"][0]["facets"]["publicdata_content"]["recordCount"] for e in events
               if e["eventType"] == "COMPLETE" and e.get("outputs"))


def verify_lineage(deployment, folder=None, heads=None):
    """`publicdata lineage verify` over the lineage folder against every node's head in NiFi's state."""
    heads = chain_heads(deployment) if heads is None else heads
    command = [str(sandbox.java_home() / "bin" / "java"), "-jar", str(sandbox.cli_jar()), "lineage", "verify"]
    for head in heads.values():
        command += ["--head", f"{head['chain.id']}={head['chain.hash']}"]
    command.append(str(folder or deployment.output / "lineage"))
    result = subprocess.run(command, capture_output=True, text=True)
    return result.returncode, (result.stdout + result.stderr).strip()


def per_node_provenance(deployment):
    """node name → processor name → its provenance events on that node (queried once, then kept)."""
    if deployment.provenance is None:
        api = deployment.cluster.api
        found = {node.name: {} for node in deployment.cluster.nodes}
        for step in flow.processors(api, deployment.group_id).values():
            for event in flow.provenance(api, step["id"]):
                found[deployment.cluster.node_name(event)].setdefault(step["component"]["name"], []).append(event)
        deployment.provenance = found
    return deployment.provenance


def records(events):
    """Records the FlowFiles of these events held: their record.count attributes, once per FlowFile."""
    counted = {}
    for event in events:
        count = next((a["value"] for a in event["attributes"] if a["name"] == "record.count"), None)
        if count is not None and count.isdigit():
            counted[event["flowFileUuid"]] = int(count)
    return sum(counted.values())


def report(deployment):
    cluster = deployment.cluster
    print(f"\nThe policy flow ran the sample data {ROUNDS} times ({deployment.files} files), GetFile on the primary node, "
          "load-balanced round robin.")
    provenance = per_node_provenance(deployment)
    for node in cluster.nodes:
        steps = provenance[node.name]
        print(f"\n{node.name} ({node.ui_url}): FlowFiles and records per step, from this node's provenance")
        for step, events in sorted(steps.items()):
            flowfiles = len({e["flowFileUuid"] for e in events if e["eventType"] != "DROP"})
            details = [e["details"] for e in events if e.get("details") and e["eventType"] != "DROP"]
            print(f"  {step:36} {flowfiles:3} FlowFiles {records(events):4} records" + (f"; e.g. {details[-1]}" if details else ""))
    heads = chain_heads(deployment)
    chains = lineage_events(deployment)
    print("\nLineage: one chain per node (head from each node's EmitLineage state)")
    for node in cluster.nodes:
        head = heads.get(node.name, {})
        events = chains.get(head.get("chain.id"), [])
        denials = [e for e in events if e["eventType"] != "COMPLETE"]
        print(f"  {node.name}: chain {head.get('chain.id')} head #{head.get('chain.sequence')} {head.get('chain.hash')}; "
              f"{len(events)} events: {len(events) - len(denials)} releases of {released_records(events)} records, "
              f"{len(denials)} denials")
    code, output = verify_lineage(deployment)
    print(f"\npublicdata lineage verify {deployment.output / 'lineage'} with both heads:")
    print("\n".join("  " + line for line in output.splitlines()))
    return code


def start(_args):
    began = time.monotonic()
    nars = sandbox.project_nars(None)
    sandbox.assemble()
    cluster = sandbox_cluster()
    cluster.launch(nars)
    print("Importing the policy flow through node 1 and running the sample data through the cluster ...", flush=True)
    report(deploy(cluster))
    print(f"\nCluster ready in {time.monotonic() - began:.0f} s.")
    for node in cluster.nodes:
        print(f"  {node.name}: {node.ui_url}  (log {node.log_file})")
    print(f"  More data: copy JSON files into {cluster.base / 'data' / 'in'}")
    print("  Stop it:   ./sandbox.sh cluster-stop")


def stop(_args):
    cluster = sandbox_cluster()
    pids = cluster.stop()
    print(f"Stopped the cluster (pids {', '.join(map(str, pids))})" if pids else f"No cluster running on {cluster.base}")


def test(_args):
    import unittest
    import test_cluster
    cluster = own_cluster("cluster-test")
    began = time.monotonic()
    try:
        cluster.launch(sandbox.project_nars(None))
        test_cluster.deployment = deploy(cluster)
        report(test_cluster.deployment)
        suite = unittest.defaultTestLoader.loadTestsFromModule(test_cluster)
        passed = unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful()
    finally:
        if cluster.stop():
            print(f"Stopped the cluster on {cluster.base}", flush=True)
        print(f"Cluster test took {time.monotonic() - began:.0f} s", flush=True)
    raise SystemExit(0 if passed else 1)
