"""The policy flow on a two-node NiFi cluster (./sandbox.sh cluster-test): both nodes take part, each keeps its own
lineage chain whose head is in its own state, and an auditor's `lineage verify` with both heads catches what one
node's chain alone would not. `deployment` is set by cluster.test() before the tests run, once the data went through."""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

import cluster

deployment = None


def chain_facet(event):
    return event["run"]["facets"]["publicdata_chain"]


class BothNodesTakePart(unittest.TestCase):

    def test_two_nodes_are_connected_one_of_them_primary(self):
        members = deployment.cluster.members()
        self.assertEqual(2, len(members))
        self.assertTrue(all(m["status"] == "CONNECTED" for m in members), members)
        self.assertEqual(1, sum("Primary Node" in m["roles"] for m in members))

    def test_every_nar_is_on_both_nodes(self):
        for node in deployment.cluster.nodes:
            installed = sorted(p.name for p in (node.home / "lib").glob("*.nar"))
            self.assertTrue(any(n.startswith("nifi-publicdata-nar-") for n in installed), installed)
            self.assertTrue(any(n.startswith("nifi-publicdata-service-api-nar-") for n in installed), installed)
            types = {t["type"] for t in node.api.get("/flow/processor-types")["processorTypes"]}
            self.assertIn(cluster.EMIT_LINEAGE, types, node.name)

    def test_each_node_graded_checked_protected_and_traced_data(self):
        provenance = cluster.per_node_provenance(deployment)
        for node in deployment.cluster.nodes:
            steps = provenance[node.name]
            for step in ("Grade records (分类分级)", "Enforce grant scope (授权范围)", "Protect fields (脱敏与加密)",
                         "Record lineage (使用过程可追溯)"):
                self.assertTrue(steps.get(step), f"{node.name}: no provenance event of {step}")

    def test_only_the_primary_node_picked_up_files_and_each_once(self):
        provenance = cluster.per_node_provenance(deployment)
        received = {name: len([e for e in steps.get("Pick up files", []) if e["eventType"] == "RECEIVE"])
                    for name, steps in provenance.items()}
        self.assertEqual(deployment.files, sum(received.values()), received)
        self.assertEqual(1, len([n for n, count in received.items() if count]), received)

    def test_every_record_was_graded_once_by_one_of_the_nodes(self):
        provenance = cluster.per_node_provenance(deployment)
        graded = {name: cluster.records(steps.get("Grade records (分类分级)", [])) for name, steps in provenance.items()}
        self.assertEqual(deployment.records, sum(graded.values()), graded)
        self.assertTrue(all(graded.values()), graded)

    def test_nothing_failed(self):
        failure = deployment.output / "failure"
        self.assertEqual([], sorted(p.name for p in failure.glob("*")) if failure.is_dir() else [])


class OneChainPerNode(unittest.TestCase):

    def test_each_node_has_its_own_chain_named_after_it_with_its_head_in_its_state(self):
        heads = cluster.chain_heads(deployment)
        chains = cluster.lineage_events(deployment)
        self.assertEqual({n.name for n in deployment.cluster.nodes}, set(heads))
        self.assertEqual(2, len(chains), list(chains))
        for node in deployment.cluster.nodes:
            head = heads[node.name]
            self.assertTrue(head["chain.id"].startswith(node.name + "@"), head)
            events = chains[head["chain.id"]]
            self.assertEqual(list(range(1, len(events) + 1)), [chain_facet(e)["sequence"] for e in events])
            self.assertEqual(int(head["chain.sequence"]), len(events))
            self.assertEqual(head["chain.hash"], chain_facet(events[-1])["hash"])

    def test_every_flowfile_that_left_is_on_its_nodes_chain(self):
        # A release event for each FlowFile released, a denial event for each one quarantined, on the chain of the node
        # that handled it, and the records of the release events are the records released
        provenance = cluster.per_node_provenance(deployment)
        heads = cluster.chain_heads(deployment)
        chains = cluster.lineage_events(deployment)
        for node in deployment.cluster.nodes:
            steps = provenance[node.name]
            released = {e["flowFileUuid"] for e in steps.get("Release", []) if e["eventType"] == "SEND"}
            quarantined = {e["flowFileUuid"] for e in steps.get("Quarantine unauthorized", []) if e["eventType"] == "SEND"}
            events = chains[heads[node.name]["chain.id"]]
            self.assertEqual(len(released), len([e for e in events if e["eventType"] == "COMPLETE"]), node.name)
            self.assertEqual(len(quarantined), len([e for e in events if e["eventType"] != "COMPLETE"]), node.name)
            released_records = cluster.records([e for e in steps.get("Release", []) if e["eventType"] == "SEND"])
            self.assertEqual(released_records, cluster.released_records(events), node.name)
            self.assertGreater(released_records, 0, node.name)

    def test_lineage_verify_passes_against_both_heads(self):
        code, output = cluster.verify_lineage(deployment)
        self.assertEqual(0, code, output)
        self.assertIn("VERIFIED", output)
        self.assertIn("2 chains", output)


class AnAuditorCatches(unittest.TestCase):
    """What one node's operator could try on the shared lineage store, and why both heads matter."""

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="cluster-lineage-"))
        shutil.copytree(deployment.output / "lineage", self.folder, dirs_exist_ok=True)
        self.heads = cluster.chain_heads(deployment)

    def tearDown(self):
        shutil.rmtree(self.folder)

    def last_event_file(self, node):
        head = self.heads[node.name]
        return self.folder / f"{head['chain.id']}-{head['chain.sequence']}.json"

    def test_deleting_one_nodes_last_event(self):
        node = deployment.cluster.nodes[1]
        self.last_event_file(node).unlink()
        code, output = cluster.verify_lineage(deployment, self.folder, self.heads)
        self.assertEqual(1, code, output)
        self.assertIn(self.heads[node.name]["chain.id"], output)
        self.assertIn("known head", output)

    def test_moving_an_event_onto_the_other_nodes_chain(self):
        first, second = deployment.cluster.nodes
        moved = self.last_event_file(first)
        event = json.loads(moved.read_text())
        chain_facet(event)["chainId"] = self.heads[second.name]["chain.id"]
        chain_facet(event)["sequence"] = int(self.heads[second.name]["chain.sequence"]) + 1
        moved.unlink()
        (self.folder / f"{self.heads[second.name]['chain.id']}-{chain_facet(event)['sequence']}.json").write_text(
            json.dumps(event, ensure_ascii=False))
        code, output = cluster.verify_lineage(deployment, self.folder, self.heads)
        self.assertEqual(1, code, output)
        self.assertIn("edited", output)

    def test_a_head_from_one_node_does_not_vouch_for_the_other(self):
        # Verifying with node 1's head alone does not see node 2's chain cut short; with both heads it does
        node = deployment.cluster.nodes[1]
        self.last_event_file(node).unlink()
        only_first = {n: h for n, h in self.heads.items() if n == deployment.cluster.nodes[0].name}
        code, output = cluster.verify_lineage(deployment, self.folder, only_first)
        self.assertEqual(0, code, output)
        code, output = cluster.verify_lineage(deployment, self.folder, self.heads)
        self.assertEqual(1, code, output)


if __name__ == "__main__":
    unittest.main()
