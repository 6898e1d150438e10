"""Use requests signed by the grantee (用途申请) for the sandbox's policy flow.

In production the operator signs a request with its own key and sends it with its call for data; the flow reads it into
the attribute publicdata.use.request and EnforceGrantScope verifies it against the grant. The sandbox plays the
operator: it makes the operator's key pair and signs one request per data file with the project's own command line
(`publicdata request keygen` and `request sign`), and writes it beside the data, where the flow's "Read signed use
request" step picks it up by the data file's name.
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

GRANT_ID = "JN-DATA-2025-017"
GRANTEE = "91370100MA3QLPH82D"
# The use the operator asks for: inside the demo grant (SCENARIO 依场景授权, priced 政府指导价 for 产业发展)
USE = {"purpose": "数据产品开发", "purposeCategory": "产业发展", "domain": "金融", "scenario": "普惠金融信用评估"}
CHINA = datetime.timezone(datetime.timedelta(hours=8))


class Operator:
    """The grantee: its key pair (made with `request keygen`), and the requests it signs (with `request sign`)."""

    def __init__(self, java, cli_jar, folder, name="operator"):
        self.java = str(java)
        self.cli_jar = str(cli_jar)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.private_key = self.folder / f"{name}.key"
        self.public_key = self.folder / f"{name}.pub"
        self._cli("request", "keygen", "--algorithm", "SM2", "--private-key", str(self.private_key),
                  "--public-key", str(self.public_key), "--force")
        self.counter = 0

    def _cli(self, *args):
        result = subprocess.run([self.java, "-jar", self.cli_jar, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"publicdata {' '.join(args[:2])} failed: {result.stdout}{result.stderr}")
        return result.stdout

    def public_key_pem(self):
        return self.public_key.read_text()

    def request(self, dataset, issued=None, valid_for=datetime.timedelta(minutes=50)):
        """A request of this operator for one dataset, unsigned: a new id each time."""
        self.counter += 1
        issued = issued or datetime.datetime.now(CHINA).replace(microsecond=0)
        return {"id": f"RQ-{issued:%Y%m%d%H%M%S}-{self.counter:04d}", "grantId": GRANT_ID, "grantee": GRANTEE,
                "datasets": [dataset], **USE, "issuedAt": issued.isoformat(), "validUntil": (issued + valid_for).isoformat()}

    def sign(self, requests):
        """Signs requests in one run of the command line: {path of the signed request: request}."""
        if not requests:
            return
        staging = self.folder / "unsigned"
        staging.mkdir(exist_ok=True)
        by_name = {}
        for target, request in requests.items():
            unsigned = staging / f"{len(by_name):05d}.json"
            unsigned.write_text(json.dumps(request, ensure_ascii=False))
            by_name[unsigned.name] = Path(target)
        signed = self.folder / "signed"
        signed.mkdir(exist_ok=True)
        self._cli("request", "sign", "--private-key", str(self.private_key), "--public-key", str(self.public_key),
                  "--out-dir", str(signed), *[str(staging / name) for name in sorted(by_name)])
        for name, target in by_name.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(signed / name), str(target))
            (staging / name).unlink()


def dataset_of(data_file):
    """The catalog id of a data file, as the flow takes it: its name up to the first dot."""
    return Path(data_file).name.split(".")[0]


def deliver(operator, samples, input_folder, request_folder, requests=None):
    """Puts each data file into the input folder with its request beside it in the request folder (same relative
    name): the request signed by the operator for the file's dataset, unless requests gives a signed one to use
    ({file name: signed request path}). The data is written under a hidden name and renamed, after its request, so
    the flow never picks up a half-written file or a file without its request."""
    requests = requests or {}
    Path(request_folder).mkdir(parents=True, exist_ok=True)
    unsigned = {Path(request_folder) / sample.name: operator.request(dataset_of(sample))
                for sample in samples if sample.name not in requests}
    operator.sign(unsigned)
    for sample in samples:
        if sample.name in requests:
            shutil.copyfile(requests[sample.name], Path(request_folder) / sample.name)
    for sample in samples:
        hidden = Path(input_folder) / f".{sample.name}"
        shutil.copyfile(sample, hidden)
        hidden.rename(Path(input_folder) / sample.name)


ATTACKS = {
    # file name: (sample it copies, what is wrong with its request)
    "enterprise-registry.forged.json": ("enterprise-registry.json", "signed by someone who is not the operator"),
    "social-insurance.replayed.json": ("social-insurance.json", "the request social-insurance.json already used"),
    "enterprise-registry.expired.json": ("enterprise-registry.json", "valid for an hour that ended an hour ago"),
}


def deliver_attacks(operator, impostor, samples, input_folder, request_folder):
    """After the sample files went through: data files whose requests must be refused, each named for what is wrong."""
    staging = Path(request_folder).parent / "attacks"
    staging.mkdir(exist_ok=True)
    forged = staging / "forged.json"
    impostor.sign({forged: operator.request("enterprise-registry")})
    expired = staging / "expired.json"
    an_hour_ago = datetime.datetime.now(CHINA).replace(microsecond=0) - datetime.timedelta(hours=2)
    operator.sign({expired: operator.request("enterprise-registry", issued=an_hour_ago, valid_for=datetime.timedelta(hours=1))})
    signed = {"enterprise-registry.forged.json": forged, "enterprise-registry.expired.json": expired,
              "social-insurance.replayed.json": Path(request_folder) / "social-insurance.json"}
    files = []
    for name, (sample, _) in ATTACKS.items():
        shutil.copyfile(Path(samples) / sample, staging / name)
        files.append(staging / name)
    deliver(operator, files, input_folder, request_folder, signed)
