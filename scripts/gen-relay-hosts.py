#!/usr/bin/env python3
"""The relay's allowlist, from botocore's own rules-engine resolver.

Usage:
  .venv/bin/python scripts/gen-relay-hosts.py          # (re)write the generated files
  .venv/bin/python scripts/gen-relay-hosts.py --check  # exit 1 if any is stale

A relay in `{host}` mode (`relayUrl` = `/aws/{host}`) forwards
`/aws/<host>/<path>` to `https://<host>/<path>`, but only for the hosts this
script lists: every host the vendored endpoint rules
(model/*.endpoint-rule-set-1.json) resolve to, with botocore's
EndpointProvider, for every region model/partitions.json lists and each of
the 4 variants (standard, FIPS, dual-stack, both), of these services:

- bedrock-agentcore-control (the control plane the console calls today),
- bedrock-agentcore (the data plane: InvokeAgentRuntime and the rest),
- sso-oidc and sso (IAM Identity Center: `oidc.<region>…` and
  `portal.sso.<region>…`, for a sign-in that runs in the page).

It writes, from that one list:
- deploy/relay-hosts.txt: the hosts, one a line (what the tests and the
  emulator read);
- deploy/nginx-relay-hosts.map: the same as `map` entries for nginx
  (deploy/nginx.conf includes it);
- the block between `// >>> generated` and `// <<< generated` in
  deploy/relay-function.js: the list compacted to fit CloudFront Functions'
  10 KB (each partition's regions, and per DNS suffix the host prefixes; the
  function expands them into a Set at load, `prefix.region.suffix`);
- deploy/cloudfront.yaml's FunctionCode: deploy/relay-function.js, byte for
  byte.
"""
import json
import os
import sys

from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
RULE_SETS = [
    "model/bedrock-agentcore-control-2023-06-05.endpoint-rule-set-1.json",
    "model/bedrock-agentcore-2024-02-28.endpoint-rule-set-1.json",
    "model/sso-oidc-2019-06-10.endpoint-rule-set-1.json",
    "model/sso-2019-06-10.endpoint-rule-set-1.json",
]
PARTITIONS = "model/partitions.json"
VARIANTS = [(False, False), (True, False), (False, True), (True, True)]
HOSTS_TXT = "deploy/relay-hosts.txt"
NGINX_MAP = "deploy/nginx-relay-hosts.map"
FUNCTION = "deploy/relay-function.js"
TEMPLATE = "deploy/cloudfront.yaml"
BEGIN = "// >>> generated"
END = "// <<< generated"
# The line in deploy/cloudfront.yaml after which the function's code follows,
# indented by YAML_INDENT more spaces than the line itself.
YAML_KEY = "FunctionCode: |"
YAML_INDENT = 2
SOURCES = f"{', '.join(os.path.basename(r) for r in RULE_SETS)} and {os.path.basename(PARTITIONS)}"


def load(path):
    with open(os.path.join(ROOT, path)) as f:
        return json.load(f)


def read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def hosts_by_partition():
    """{partition id: (regions, {host, ...})}, in partitions.json's order."""
    partitions = load(PARTITIONS)
    providers = [EndpointProvider(load(r), partitions) for r in RULE_SETS]
    out = {}
    for partition in partitions["partitions"]:
        regions = list(partition.get("regions", {}))
        hosts = set()
        for region in regions:
            for provider in providers:
                for use_fips, use_dual_stack in VARIANTS:
                    try:
                        url = provider.resolve_endpoint(
                            Region=region, UseFIPS=use_fips, UseDualStack=use_dual_stack
                        ).url
                    except EndpointResolutionError:
                        continue  # this variant does not exist in this partition
                    scheme, _, host = url.partition("://")
                    if scheme != "https" or "/" in host or ":" in host:
                        sys.exit(f"{url}: the relay only forwards to https://<host> endpoints")
                    hosts.add(host)
        out[partition["id"]] = (regions, hosts)
    return out


def compact(regions, hosts):
    """Each host as prefix.region.suffix: {suffix: [prefix, ...]}, checked to
    expand, over every region, to exactly `hosts`."""
    forms = {}
    for host in hosts:
        for region in regions:
            prefix, sep, suffix = host.partition(f".{region}.")
            if sep:
                forms.setdefault(suffix, set()).add(prefix)
                break
        else:
            sys.exit(f"{host}: names none of its partition's regions; extend the compact form")
    expanded = {f"{p}.{r}.{s}" for s, ps in forms.items() for p in ps for r in regions}
    if expanded != hosts:
        extra = sorted(expanded - hosts)[:5]
        sys.exit(f"the compact form would also allow {extra}: extend the compact form")
    return {s: sorted(ps) for s, ps in sorted(forms.items())}


def function_block(by_partition):
    lines = [
        f"{BEGIN} by scripts/gen-relay-hosts.py from {SOURCES}: do not edit.",
        "// [regions, {DNS suffix: host prefixes}] per partition: each prefix.region.suffix is allowed.",
        "const PARTITIONS = [",
    ]
    for _pid, (regions, hosts) in by_partition.items():
        forms = compact(regions, hosts)
        forms_js = ", ".join(f"'{s}': '{' '.join(ps)}'" for s, ps in forms.items())
        lines.append(f"  ['{' '.join(regions)}', {{{forms_js}}}],")
    lines += ["];", END]
    return "\n".join(lines)


def render(by_partition):
    """{path: text} of every generated file."""
    hosts = sorted(h for _, hs in by_partition.values() for h in hs)
    header = f"generated by scripts/gen-relay-hosts.py from {SOURCES}: do not edit"
    txt = f"# The hosts the relay forwards to ({len(hosts)}), {header}.\n" + "".join(
        f"{h}\n" for h in hosts
    )
    nginx = (
        f"# deploy/nginx.conf's allowlist ({len(hosts)} hosts), {header}.\n"
        + "".join(f"{h} 1;\n" for h in hosts)
    )
    function = read(FUNCTION)
    start, end = function.find(BEGIN), function.find(END)
    if start < 0 or end < start:
        sys.exit(f"{FUNCTION}: no `{BEGIN}` … `{END}` block")
    function = function[:start] + function_block(by_partition) + function[end + len(END):]
    return {HOSTS_TXT: txt, NGINX_MAP: nginx, FUNCTION: function, TEMPLATE: with_code(function)}


def with_code(function):
    """deploy/cloudfront.yaml with `FunctionCode: |` followed by `function`."""
    template = read(TEMPLATE).split("\n")
    at = [i for i, line in enumerate(template) if line.strip() == YAML_KEY]
    if len(at) != 1:
        sys.exit(f"{TEMPLATE}: expected one `{YAML_KEY}` line, found {len(at)}")
    key = at[0]
    indent = len(template[key]) - len(template[key].lstrip()) + YAML_INDENT
    end = key + 1
    # the old code: every line indented deeper than the key, or empty
    while end < len(template) and (
        template[end].strip() == "" or len(template[end]) - len(template[end].lstrip()) >= indent
    ):
        end += 1
    while end > key + 1 and template[end - 1].strip() == "":
        end -= 1
    if not function.endswith("\n") or function.endswith("\n\n") or "\t" in function:
        sys.exit(f"{FUNCTION}: must end with one newline and hold no tabs (YAML `|` keeps it byte for byte)")
    code = [(" " * indent + line) if line else "" for line in function[:-1].split("\n")]
    return "\n".join(template[: key + 1] + code + template[end:])


def main():
    files = render(hosts_by_partition())
    if "--check" in sys.argv[1:]:
        stale = [p for p, text in files.items() if read(p) != text]
        if stale:
            sys.exit(f"stale: {', '.join(stale)}: run scripts/gen-relay-hosts.py")
        print(f"current: {', '.join(files)}")
        return
    for path, text in files.items():
        with open(os.path.join(ROOT, path), "w") as f:
            f.write(text)
    hosts = files[HOSTS_TXT].count("\n") - 1
    size = len(files[FUNCTION].encode())
    print(f"wrote {', '.join(files)}: {hosts} hosts; {FUNCTION} is {size} bytes (limit 10240)")


if __name__ == "__main__":
    main()
