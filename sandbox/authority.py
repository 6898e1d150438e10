"""The data authority (数据主管部门) of the sandbox: its key, the grant it signs for the operator, its revocation lists.

A deployment enforces the grant its data authority signed, not a grant anybody can type into a processor; so does the
sandbox. It plays the authority with the project's own command line: `publicdata grant keygen` makes the authority's
key pair, `grant sign` signs the grant of sandbox/grant.json (with a term around today and the operator's public key,
which verifies the operator's use requests), and `grant revoke` signs its revocation list (吊销清单). The flow gets the
signed grant and the authority's public key as parameters (neither is secret: a grant is disclosed, a public key is
public) and reads the list from a file, which the authority replaces whenever it revokes a grant or the list falls due.
The authority's private key stays in its folder; NiFi never sees it.
"""

import copy
import datetime
import json
import os
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

GRANT = Path(__file__).resolve().parent / "grant.json"
CHINA = datetime.timezone(datetime.timedelta(hours=8))
# How long each revocation list the sandbox signs is current: the flow denies everything once it is past
LIST_VALIDITY = "P30D"


def _now():
    return datetime.datetime.now(CHINA).replace(microsecond=0)


def _day(delta_days):
    today = datetime.datetime.now(CHINA).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today + datetime.timedelta(days=delta_days)).isoformat()


class Authority:
    """The authority's key pair (made with `grant keygen`), the grant it issued and the revocation list it publishes."""

    def __init__(self, java, cli_jar, folder):
        self.java = str(java)
        self.cli_jar = str(cli_jar)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.private_key = self.folder / "authority.key"
        self.public_key = self.folder / "authority.pub"
        self._cli("grant", "keygen", "--algorithm", "SM2", "--private-key", self.private_key, "--public-key", self.public_key, "--force")
        self.grant = None
        self.grant_document = None
        # Where the flow reads the authority's current revocation list
        self.revocation_list = self.folder / "revocation-list.json"

    def _cli(self, *args):
        result = subprocess.run([self.java, "-jar", self.cli_jar, *map(str, args)], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"publicdata {' '.join(map(str, args[:2]))} failed: {result.stdout}{result.stderr}")
        return result.stdout

    def public_key_pem(self):
        return self.public_key.read_text()

    def sign_grant(self, grant, out):
        """Signs a grant (a dict) with `grant sign` into out; returns the signed document's text."""
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        unsigned = out.with_name(out.stem + ".unsigned.json")
        unsigned.write_text(json.dumps(grant, ensure_ascii=False, indent=2), encoding="utf-8")
        self._cli("grant", "sign", "--private-key", self.private_key, "--public-key", self.public_key, "--out", out, unsigned)
        return out.read_text(encoding="utf-8")

    def issue(self, operator_public_key):
        """The sandbox grant (sandbox/grant.json) for the operator: in force from 30 days ago for a year, naming the operator's
        public key; signed into grants/<id>.json. Returns the signed document's text."""
        grant = json.loads(GRANT.read_text(encoding="utf-8"))
        grant["validFrom"], grant["validUntil"] = _day(-30), _day(365)
        grant["granteeKeys"] = [grantee_key_entry(operator_public_key)]
        self.grant = grant
        self.grant_document = self.sign_grant(grant, self.folder / "grants" / f"{grant['id']}.json")
        return self.grant_document

    def variant(self, name, **changes):
        """The issued grant with some members changed, signed by this authority (for tests of what the flow refuses)."""
        grant = {**copy.deepcopy(self.grant), **changes}
        return self.sign_grant(grant, self.folder / "variants" / f"{name}.json")

    def sign_revocation_list(self, out, revoke=(), reason=None, previous=None, issued_at=None, next_update=None):
        """Signs a revocation list with `grant revoke` into out: the grants named in revoke (GRANT_ID[@SERIAL]), those of a
        previous list, issued now (or issued_at) and current for LIST_VALIDITY (or until next_update)."""
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        args = ["grant", "revoke", "--private-key", self.private_key, "--public-key", self.public_key, "--out", out]
        args += ["--previous", previous] if previous else ["--issuer", self.grant["issuer"]]
        for grant in revoke:
            args += ["--revoke", grant]
        if reason:
            args += ["--reason", reason]
        if issued_at:
            args += ["--issued-at", issued_at.isoformat(), "--revoked-at", issued_at.isoformat()]
        args += ["--next-update", next_update.isoformat()] if next_update else ["--valid-for", LIST_VALIDITY]
        self._cli(*args)
        return Path(out)

    def publish(self, signed_list, target=None):
        """Puts a signed list where the flow reads it (by default the flow's list), replacing the file in one step (a rename),
        so that the flow never reads half a list."""
        target = Path(target or self.revocation_list)
        hidden = target.with_name(f".{target.name}.new")
        hidden.write_bytes(Path(signed_list).read_bytes())
        os.replace(hidden, target)
        return target

    def parameters(self):
        """The flow's parameter values for the grant: the signed document, the key that verifies it, the list's file."""
        return {"grant.document": self.grant_document, "grant.verification.key": self.public_key_pem(),
                "grant.revocation.list": str(self.revocation_list)}


def grantee_key_entry(public_key_pem):
    """A granteeKeys entry: the base64 of the key's DER SubjectPublicKeyInfo, i.e. the PEM body on one line."""
    return "".join(line.strip() for line in public_key_pem.splitlines() if line.strip() and not line.startswith("-----"))


def issue(java, cli_jar, folder, operator):
    """The authority of a sandbox run: its key made, the grant signed for the operator, a current revocation list that
    revokes nothing published. Returns the Authority; its parameters() go into the flow's parameter context."""
    authority = Authority(java, cli_jar, folder)
    authority.issue(operator.public_key_pem())
    authority.publish(authority.sign_revocation_list(authority.folder / "lists" / "current.json"))
    return authority


ENFORCE = "io.publicdata.nifi.processors.EnforceGrantScope"


class EnforcedGrant(NamedTuple):
    """What an EnforceGrantScope enforces, written out for `publicdata report`."""
    document: str           # the signed grant document's text
    grants: Path            # a folder holding only that document
    keys: list              # the public key it is verified with, and the revocation list's if that has its own
    revocation_list: Path   # the revocation list file it reads, or None


def enforced_grant(api, group_id, folder):
    """The signed grant the group's EnforceGrantScope enforces, as NiFi holds it: its Grant Document and Verification Key
    (inline or file paths, parameter references resolved against the group's parameter context), its Revocation List and
    the key of that list, the document and keys written into folder. Fails if the processor does not enforce a signed grant document."""
    found = [p for p in api.get(f"/process-groups/{group_id}/processors")["processors"] if p["component"]["type"] == ENFORCE]
    if len(found) != 1:
        raise RuntimeError(f"expected one EnforceGrantScope in the flow, found {len(found)}")
    properties = found[0]["component"]["config"]["properties"]
    context = api.get(f"/process-groups/{group_id}")["component"]["parameterContext"]["id"]
    values = {p["parameter"]["name"]: p["parameter"].get("value")
              for p in api.get(f"/parameter-contexts/{context}")["component"]["parameters"]}

    def resolved(name):
        value = properties.get(name)
        return None if value is None else re.sub(r"#\{([^}]+)\}", lambda m: values.get(m.group(1)) or "", value)

    def text(value):
        # The property takes the text itself or a file path
        single_line = value.strip() and "\n" not in value.strip()
        return Path(value.strip()).read_text(encoding="utf-8") if single_line and Path(value.strip()).is_file() else value

    if resolved("Grant Source") != "SIGNED_DOCUMENT" or not resolved("Grant Document") or not resolved("Verification Key"):
        raise RuntimeError("EnforceGrantScope does not enforce a signed grant document: the report discloses signed grants only")
    folder = Path(folder)
    grants = folder / "grants"
    grants.mkdir(parents=True, exist_ok=True)
    for old in grants.glob("*.json"):
        old.unlink()
    document = text(resolved("Grant Document"))
    (grants / "enforced-grant.json").write_text(document, encoding="utf-8")
    keys = [folder / "verification-key.pem"]
    keys[0].write_text(text(resolved("Verification Key")), encoding="utf-8")
    revocation_list = resolved("Revocation List")
    if revocation_list and resolved("Revocation List Key"):
        keys.append(folder / "revocation-list-key.pem")
        keys[1].write_text(text(resolved("Revocation List Key")), encoding="utf-8")
    return EnforcedGrant(document, grants, keys, Path(revocation_list) if revocation_list else None)
