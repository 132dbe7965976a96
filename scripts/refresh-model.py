#!/usr/bin/env python3
"""Vendor the part of the Bedrock AgentCore service models the console needs.

Usage:
  scripts/refresh-model.py                 # from ../shared/aws-model (botocore 1.44.8)
  scripts/refresh-model.py --from-botocore # from the newest botocore release (pip download)
  scripts/refresh-model.py --from DIR      # from a folder holding the botocore data files

Keeps the operations below, every shape they reach (inputs, outputs, errors) with all
their traits and documentation, and the paginators of those operations; copies the
endpoint rule set and partitions unchanged. The control plane
(bedrock-agentcore-control, model/bedrock-agentcore-control.json), the data plane
(bedrock-agentcore, model/bedrock-agentcore.json: InvokeAgentRuntime, "Try the agent"),
and IAM Identity Center's sign-in (sso-oidc, model/sso-oidc.json) and access portal
(sso, model/sso.json), read by host tests only for now (src/core/sso/).
"""
import argparse
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

OPERATIONS = [
    "UpdateAgentRuntime",
    "GetAgentRuntime",
    "ListAgentRuntimes",
    "ListAgentRuntimeVersions",
    "ListAgentRuntimeEndpoints",
    "GetAgentRuntimeEndpoint",
    "UpdateAgentRuntimeEndpoint",
]
SERVICE = "bedrock-agentcore-control"
VERSION = "2023-06-05"
DATA_PLANE_OPERATIONS = ["InvokeAgentRuntime"]
DATA_PLANE_SERVICE = "bedrock-agentcore"
DATA_PLANE_VERSION = "2024-02-28"
# IAM Identity Center: the device-code sign-in and the access portal.
SSO_SERVICES = [
    ("sso-oidc", "2019-06-10", ["RegisterClient", "StartDeviceAuthorization", "CreateToken"]),
    ("sso", "2019-06-10", ["ListAccounts", "ListAccountRoles", "GetRoleCredentials", "Logout"]),
]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "model")


def botocore_dir():
    tmp = tempfile.mkdtemp()
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, "botocore"])
    wheel = glob.glob(os.path.join(tmp, "botocore-*.whl"))[0]
    src = os.path.join(tmp, "data")
    os.makedirs(src)
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            wanted = (f"/data/{SERVICE}/{VERSION}/", f"/data/{DATA_PLANE_SERVICE}/{DATA_PLANE_VERSION}/",
                      *(f"/data/{name}/{version}/" for name, version, _ in SSO_SERVICES))
            if any(w in name for w in wanted) or name.endswith("/data/partitions.json"):
                service = name.split("/data/")[1].split("/")[0]
                base = os.path.basename(name)
                # both services' files are named service-2.json etc.: prefix them as in shared/aws-model
                target = os.path.join(src, base if base == "partitions.json" else f"{service}-{name.split('/')[-2]}.{base}")
                data = zf.read(name)
                if target.endswith(".gz"):  # newer wheels gzip the large data files
                    target, data = target[:-3], gzip.decompress(data)
                with open(target, "wb") as out:
                    out.write(data)
    print("botocore", os.path.basename(wheel))
    return src


def find(src, *names):
    for n in names:
        p = os.path.join(src, n)
        if os.path.exists(p):
            return p
    sys.exit(f"none of {names} in {src}")


def vendor(src, SERVICE, VERSION, OPERATIONS):
    service = json.load(open(find(src, f"{SERVICE}-{VERSION}.service-2.json")))
    shapes = service["shapes"]
    keep = {}

    def walk(name):
        if name in keep:
            return
        keep[name] = shapes[name]
        s = shapes[name]
        for m in s.get("members", {}).values():
            walk(m["shape"])
        for k in ("member", "key", "value"):
            if k in s:
                walk(s[k]["shape"])

    ops = {}
    for op in OPERATIONS:
        o = service["operations"][op]
        ops[op] = o
        for k in ("input", "output"):
            if k in o:
                walk(o[k]["shape"])
        for e in o.get("errors", []):
            walk(e["shape"])
    model = {
        "version": service.get("version", "2.0"),
        "metadata": service["metadata"],
        "operations": ops,
        "shapes": {n: keep[n] for n in sorted(keep)},
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"{SERVICE}.json"), "w") as f:
        json.dump(model, f, indent=1, ensure_ascii=False)
        f.write("\n")
    # ../shared/aws-model holds no paginators for IAM Identity Center (its
    # machine reads nextToken itself)
    pages_file = os.path.join(src, f"{SERVICE}-{VERSION}.paginators-1.json")
    paginators = json.load(open(pages_file)) if os.path.exists(pages_file) else {"pagination": {}}
    kept = {op: p for op, p in paginators["pagination"].items() if op in ops}
    if kept or SERVICE not in (DATA_PLANE_SERVICE, *(name for name, _, _ in SSO_SERVICES)):
        with open(os.path.join(OUT, f"{SERVICE}-{VERSION}.paginators-1.json"), "w") as f:
            json.dump({"pagination": dict(sorted(kept.items()))}, f, indent=2)
            f.write("\n")
    shutil.copyfile(find(src, f"{SERVICE}-{VERSION}.endpoint-rule-set-1.json"),
                os.path.join(OUT, f"{SERVICE}-{VERSION}.endpoint-rule-set-1.json"))
    print(f"{SERVICE}: kept {len(ops)} operations, {len(keep)} shapes, {len(kept)} paginators -> model/")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", default=os.path.join(HERE, "..", "..", "shared", "aws-model"))
    ap.add_argument("--from-botocore", action="store_true")
    args = ap.parse_args()
    src = botocore_dir() if args.from_botocore else args.src
    vendor(src, SERVICE, VERSION, OPERATIONS)
    vendor(src, DATA_PLANE_SERVICE, DATA_PLANE_VERSION, DATA_PLANE_OPERATIONS)
    for name, version, operations in SSO_SERVICES:
        vendor(src, name, version, operations)
    shutil.copyfile(find(src, "partitions.json"), os.path.join(OUT, "partitions.json"))


if __name__ == "__main__":
    main()
