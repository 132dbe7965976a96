#!/usr/bin/env python3
"""Local AWS emulator for the AgentCore console.

One process: moto (in-process, ThreadedMotoServer on a private loopback port)
behind a SigV4-verifying proxy that also answers CORS, lets tests inject
faults, and makes UpdateAgentRuntime behave like AWS (omitted members are
cleared, UPDATING -> READY / UPDATE_FAILED transitions). It also answers
InvokeAgentRuntime with a fake agent, and IAM Identity Center's sign-in and
access portal (sso.py), whose role credentials its signature checks accept.

Usage:
  EMULATOR_CONTROL_TOKEN=... python emulator/server.py --port 4566 [--host 127.0.0.1] [--seed]
      [--dev-defaults PATH] [--control-token-file PATH]
      [--static-dir DIR --static-port 8080 --static-prefix /] [--csp]

The control API (/__emulator/*) answers only requests that carry the control
token in the X-Emulator-Token header and name a loopback Host; it sends no
CORS headers. The token is EMULATOR_CONTROL_TOKEN, or a random one written to
--control-token-file.

Secrets are never printed; request logs go to stderr without them.
"""

from __future__ import annotations

import argparse
import calendar
import copy
import datetime as dt
import email.utils
import functools
import hashlib
import hmac
import http.client
import json
import mimetypes
import os
import posixpath
import re
import secrets
import signal
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import sso

# --------------------------------------------------------------------------
# Constants

FIXED_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
FIXED_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
MAX_SKEW_SECONDS = 300
SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"

ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.coral.service/"
EXPOSE_HEADERS = "x-amzn-RequestId, x-amzn-ErrorType, x-amz-apigw-id, Date"
ALLOW_METHODS = "GET,POST,PUT,DELETE,OPTIONS"

MSG_MISSING_TOKEN = "Missing Authentication Token"
MSG_INVALID_TOKEN = "The security token included in the request is invalid."
MSG_EXPIRED_TOKEN = "The security token included in the request is expired"
MSG_BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details."
)

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
}

# Optional UpdateAgentRuntime members moto stores as attributes of AgentRuntime.
# value: (moto attribute, cleared value)
MOTO_OPTIONAL_MEMBERS = {
    "description": ("description", None),
    "authorizerConfiguration": ("authorizer_configuration", None),
    "requestHeaderConfiguration": ("request_header_configuration", None),
    "protocolConfiguration": ("protocol_configuration", None),
    "lifecycleConfiguration": ("lifecycle_configuration", None),
    "environmentVariables": ("environment_variables", None),
}
# Optional members moto ignores; kept by the emulator on the runtime object
# (attribute EXTRA_ATTR) and merged into GetAgentRuntime responses.
EXTRA_MEMBERS = [
    "hooksConfiguration",
    "metadataConfiguration",
    "filesystemConfigurations",
    "capacityProviderConfiguration",
    "platformVersion",
    "allowedPorts",
    "resourceConfigurations",
]
EXTRA_ATTR = "emulator_extra_members"
# What an update sets: the members a version's configuration is made of.
CONFIG_MEMBERS = ["agentRuntimeArtifact", "roleArn", "networkConfiguration", *MOTO_OPTIONAL_MEMBERS, *EXTRA_MEMBERS]
FAILURE_ATTR = "emulator_failure_reason"

RUNTIME_PATH_RE = re.compile(r"^/runtimes/([^/]+)/?$")
ENDPOINTS_PATH_RE = re.compile(r"^/runtimes/([^/]+)/runtime-endpoints/?$")
ENDPOINT_PATH_RE = re.compile(r"^/runtimes/([^/]+)/runtime-endpoints/([^/]+)/?$")
# Each version's configuration ({version: request members}), kept on the
# runtime object: moto keeps only the latest.
VERSIONS_ATTR = "emulator_version_configs"
# The endpoint AWS creates with every runtime and moves to each new version.
DEFAULT_ENDPOINT = "DEFAULT"

# InvokeAgentRuntime (data plane, bedrock-agentcore-2024-02-28): answered by
# the emulator's fake agent, moto does not implement it.
INVOKE_PATH_RE = re.compile(r"^/runtimes/([^/]+)/invocations/?$")
SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"
USER_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-User-Id"
SESSION_ID_MIN, SESSION_ID_MAX = 33, 256
# What the fake agent answers (docs/emulator.md, "The fake agent").
AGENT_TEXT_EVENTS = 5
AGENT_SLOW = {"events": 30, "intervalMs": 1000}
AGENT_BIG_BYTES = 20_000_000
AGENT_MAX_EVENTS = 1000
AGENT_MAX_INTERVAL_MS = 60_000
AGENT_MAX_STREAM_BYTES = 200_000_000
AGENT_MIN_STREAM_BYTES = 64
AGENT_CHUNK_BYTES = 64 * 1024
BEARER_TOKEN_SECONDS = 3600

CONTROL_PREFIX = "/__emulator/"
CONTROL_TOKEN_HEADER = "X-Emulator-Token"
CONTROL_TOKEN_ENV = "EMULATOR_CONTROL_TOKEN"
CONTROL_TOKEN_MIN_LENGTH = 16
# Host names the control API answers to (any port): a DNS-rebound name that
# resolves to 127.0.0.1 still arrives with its own Host, and is refused.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
CREDENTIAL_RE = re.compile(r"Credential=([A-Za-z0-9]{1,128})/")
HOST_RE = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(?::(\d{1,5}))?")

DEFAULT_CONFIG = {
    "clock_offset_seconds": 0,
    "cors": True,
    "ready_after_seconds": 2.0,
    "fail_next_update": None,
    "fail_next_endpoint_update": None,
    "invoke_event_interval_ms": 300,
    # IAM Identity Center (sso.py): lifetimes, polling interval, page size
    **sso.DEFAULT_SETTINGS,
}

SAMPLE_RUNTIME = {
    "agentRuntimeName": "sample_agent",
    "agentRuntimeArtifact": {
        "containerConfiguration": {
            "containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.4.2"
        }
    },
    "roleArn": "arn:aws:iam::123456789012:role/AgentRuntimeRole",
    "networkConfiguration": {"networkMode": "PUBLIC"},
    "description": "Sample agent runtime seeded by the local emulator",
    "environmentVariables": {
        "LOG_LEVEL": "info",
        "MODEL_ID": "anthropic.claude-sonnet-4",
        "FEATURE_FLAGS": "streaming,tools",
    },
    "lifecycleConfiguration": {"idleRuntimeSessionTimeout": 900, "maxLifetime": 28800},
    "protocolConfiguration": {"serverProtocol": "HTTP"},
}

CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self' http://127.0.0.1:{port} "
    "https://*.amazonaws.com https://*.amazonaws.com.cn https://*.api.aws; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def log(msg: str) -> None:
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()


def is_loopback_host(value: str | None) -> bool:
    """Whether a Host header names this machine's loopback interface
    (127.0.0.1, localhost or [::1], with or without a port)."""
    if not value:
        return False
    m = HOST_RE.fullmatch(value.strip().lower())
    return m is not None and m.group(1) in LOOPBACK_HOSTS


def write_private(path: str, text: str) -> None:
    """Write `text` to `path` atomically, readable by this user only (0600)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# Shared state


class State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.config: dict[str, Any] = dict(DEFAULT_CONFIG)
        self.queue: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        # Credentials minted by the emulator for GetSessionToken/GetFederationToken:
        # access key id -> (secret, session token, expiration datetime UTC aware)
        self.issued: dict[str, tuple[str, str, dt.datetime]] = {}
        self.moto_port = 0
        self.proxy_port = 0
        self.seeded_id: str | None = None
        self.control_token = ""
        # Bearer tokens issued by /__emulator/bearer-token for runtimes with a
        # custom JWT authorizer: token -> (agent runtime id, expiry epoch seconds)
        self.bearer_tokens: dict[str, tuple[str, float]] = {}
        # IAM Identity Center: its role credentials join `issued`
        self.sso = sso.Sso(self.now, self.settings, self.issue_keys)

    def now(self) -> float:
        with self.lock:
            offset = float(self.config.get("clock_offset_seconds") or 0)
        return time.time() + offset

    def now_dt(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.now(), tz=dt.timezone.utc)

    def settings(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.config)

    def issue_keys(self, akid: str, secret: str, session_token: str, expires: float) -> None:
        """Make temporary keys known to the signature checks until `expires`."""
        with self.lock:
            self.issued[akid] = (secret, session_token, dt.datetime.fromtimestamp(expires, tz=dt.timezone.utc))

    def cors_enabled(self) -> bool:
        with self.lock:
            return bool(self.config.get("cors", True))

    def reset(self) -> None:
        with self.lock:
            self.config = dict(DEFAULT_CONFIG)
            self.queue = []
            self.requests = []
        self.sso.reset()

    def take_injection(self, method: str, path: str, before_auth: bool | None) -> dict | None:
        """Return (and consume when before_auth matches) the first matching entry.

        before_auth=None -> peek only, returns the entry without consuming."""
        with self.lock:
            for entry in self.queue:
                if entry["remaining"] <= 0:
                    continue
                m = entry.get("match") or {}
                if m.get("method") and str(m["method"]).upper() != method.upper():
                    continue
                if m.get("path_prefix") and not path.startswith(str(m["path_prefix"])):
                    continue
                if before_auth is None:
                    return entry
                if bool(entry.get("before_auth", False)) != before_auth:
                    return None
                entry["remaining"] -= 1
                if entry["remaining"] <= 0:
                    self.queue.remove(entry)
                return entry
        return None

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.requests.append(entry)


STATE = State()


# --------------------------------------------------------------------------
# moto helpers (in-process backends)


def _backend_items(backend_dict: Any):
    for account_id, per_account in list(dict.items(backend_dict)):
        for region, backend in list(dict.items(per_account)):
            yield account_id, region, backend


def find_runtime(runtime_id: str):
    from moto.bedrockagentcorecontrol.models import bedrockagentcorecontrol_backends

    for _acct, _region, backend in _backend_items(bedrockagentcorecontrol_backends):
        rt = backend.agent_runtimes.get(runtime_id)
        if rt is not None:
            return rt
    return None


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def lookup_credentials(akid: str):
    """Return (secret, required session token or None, expiration or None) or None."""
    if akid == FIXED_ACCESS_KEY_ID:
        return FIXED_SECRET_ACCESS_KEY, None, None
    with STATE.lock:
        issued = STATE.issued.get(akid)
    if issued:
        return issued
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for _acct, _part, backend in _backend_items(sts_backends):
        for role in list(backend.assumed_roles):
            if role.access_key_id == akid:
                return role.secret_access_key, role.session_token, _as_utc(role.expiration)
    for _acct, _part, backend in _backend_items(iam_backends):
        for user in list(backend.users.values()):
            for key in list(getattr(user, "access_keys", [])):
                if key.access_key_id == akid and key.status == "Active":
                    return key.secret_access_key, None, None
    return None


def runtime_to_json(rt: Any) -> dict[str, Any]:
    def ts(v: Any) -> Any:
        return _as_utc(v).isoformat().replace("+00:00", "Z") if isinstance(v, dt.datetime) else v

    out = {
        "agentRuntimeId": rt.agent_runtime_id,
        "agentRuntimeArn": rt.agent_runtime_arn,
        "agentRuntimeName": rt.agent_runtime_name,
        "agentRuntimeVersion": rt.agent_runtime_version,
        "status": rt.status,
        "failureReason": getattr(rt, FAILURE_ATTR, None),
        "createdAt": ts(rt.created_at),
        "lastUpdatedAt": ts(rt.last_updated_at),
        "roleArn": rt.role_arn,
        "networkConfiguration": rt.network_configuration,
        "agentRuntimeArtifact": rt.agent_runtime_artifact,
        "workloadIdentityDetails": rt.workload_identity_details,
    }
    for member, (attr, _cleared) in MOTO_OPTIONAL_MEMBERS.items():
        out[member] = getattr(rt, attr, None)
    extras = getattr(rt, EXTRA_ATTR, {}) or {}
    for member in EXTRA_MEMBERS:
        out[member] = extras.get(member)
    out["versions"] = [
        {k: ts(v) for k, v in snap.items()} for snap in getattr(rt, "versions", [])
    ]
    return out


def find_backend(runtime_id: str):
    """The moto backend holding a runtime, or None."""
    from moto.bedrockagentcorecontrol.models import bedrockagentcorecontrol_backends

    for _acct, _region, backend in _backend_items(bedrockagentcorecontrol_backends):
        if runtime_id in backend.agent_runtimes:
            return backend
    return None


def runtime_config(rt: Any) -> dict[str, Any]:
    """The runtime's configuration now: the members an update sets."""
    doc = runtime_to_json(rt)
    out = {m: copy.deepcopy(doc[m]) for m in CONFIG_MEMBERS if doc.get(m) not in (None, "", {})}
    return strip_none(out)


def remember_version(rt: Any, replace: bool = False) -> None:
    """Keep the configuration of the runtime's current version (moto keeps
    only the latest, and ignores ?version=)."""
    configs = getattr(rt, VERSIONS_ATTR, None) or {}
    if replace or rt.agent_runtime_version not in configs:
        configs[rt.agent_runtime_version] = runtime_config(rt)
    setattr(rt, VERSIONS_ATTR, configs)


def version_view(rt: Any, version: str, latest: dict[str, Any]) -> dict[str, Any] | None:
    """GetAgentRuntime's answer for an older version, or None if unknown."""
    config = (getattr(rt, VERSIONS_ATTR, None) or {}).get(version)
    snap = next((v for v in rt.versions if v.get("agentRuntimeVersion") == version), None)
    if config is None or snap is None:
        return None
    doc = {k: v for k, v in latest.items() if k not in CONFIG_MEMBERS}
    doc.update(copy.deepcopy(config))
    doc["agentRuntimeVersion"] = version
    doc["agentRuntimeArn"] = rt.agent_runtime_arn.rsplit(":", 1)[0] + ":" + version
    doc["status"] = snap.get("status") or "READY"
    doc.pop("failureReason", None)
    updated = snap.get("lastUpdatedAt")
    if isinstance(updated, dt.datetime):
        doc["lastUpdatedAt"] = _as_utc(updated).isoformat().replace("+00:00", "Z")
    return doc


def ensure_default_endpoint(runtime_id: str) -> None:
    """AWS gives every runtime a DEFAULT endpoint on the latest version; moto
    does not, so the proxy adds it the first time it is needed."""
    backend = find_backend(runtime_id)
    if backend is None or (runtime_id, DEFAULT_ENDPOINT) in backend.agent_runtime_endpoints:
        return
    rt = backend.agent_runtimes[runtime_id]
    ep = backend.create_agent_runtime_endpoint(runtime_id, DEFAULT_ENDPOINT, rt.agent_runtime_version, None, None)
    ep.status = "READY"


def runtime_endpoints(runtime_id: str) -> dict[str, Any]:
    backend = find_backend(runtime_id)
    if backend is None:
        return {}
    return {name: ep for (rid, name), ep in list(backend.agent_runtime_endpoints.items()) if rid == runtime_id}


def schedule(delay: float, action) -> None:
    timer = threading.Timer(max(delay, 0.0), action)
    timer.daemon = True
    timer.start()


def apply_endpoint_update(runtime_id: str, name: str) -> None:
    """After moto accepted UpdateAgentRuntimeEndpoint (target set, UPDATING):
    the endpoint serves the target version after ready_after_seconds."""
    ep = runtime_endpoints(runtime_id).get(name)
    if ep is None:
        return
    target = ep.target_version
    with STATE.lock:
        delay = float(STATE.config.get("ready_after_seconds") or 0)
        reason = STATE.config.get("fail_next_endpoint_update")
        STATE.config["fail_next_endpoint_update"] = None
    setattr(ep, FAILURE_ATTR, None)

    def transition() -> None:
        if ep.target_version != target:
            return  # superseded
        if reason:
            ep.status = "UPDATE_FAILED"
            setattr(ep, FAILURE_ATTR, str(reason))
        else:
            ep.live_version = target
            ep.status = "READY"

    schedule(delay, transition)


def apply_aws_update_semantics(runtime_id: str, body: dict[str, Any]) -> None:
    """After moto accepted UpdateAgentRuntime: clear omitted members, keep extras,
    and schedule the UPDATING -> READY/UPDATE_FAILED transition."""
    rt = find_runtime(runtime_id)
    if rt is None:
        return
    for member, (attr, cleared) in MOTO_OPTIONAL_MEMBERS.items():
        if member not in body or body[member] is None:
            setattr(rt, attr, cleared)
        else:
            setattr(rt, attr, copy.deepcopy(body[member]))
    setattr(rt, EXTRA_ATTR, {m: copy.deepcopy(body[m]) for m in EXTRA_MEMBERS if m in body})
    setattr(rt, FAILURE_ATTR, None)
    # moto's version snapshot was taken before the clearing above
    if rt.versions:
        rt.versions[-1]["description"] = rt.description
    version = rt.agent_runtime_version
    remember_version(rt, replace=True)
    # AWS moves DEFAULT to each new version; named endpoints stay where they are.
    ensure_default_endpoint(runtime_id)
    default = runtime_endpoints(runtime_id).get(DEFAULT_ENDPOINT)
    if default is not None:
        default.target_version = version
        default.status = "UPDATING"
    with STATE.lock:
        delay = float(STATE.config.get("ready_after_seconds") or 0)
        reason = STATE.config.get("fail_next_update")
        STATE.config["fail_next_update"] = None

    def transition() -> None:
        if rt.agent_runtime_version != version:
            return  # superseded by a newer update
        if reason:
            rt.status = "UPDATE_FAILED"
            setattr(rt, FAILURE_ATTR, str(reason))
        else:
            rt.status = "READY"
        for snap in rt.versions:
            if snap.get("agentRuntimeVersion") == version:
                snap["status"] = rt.status
        if default is not None and default.target_version == version:
            if not reason:
                default.live_version = version
            default.target_version = default.live_version
            default.status = "READY"

    schedule(delay, transition)


def strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_none(v) for v in value]
    return value


def patch_agentcore_response(method: str, path: str, status: int, body: bytes, query: str = "") -> bytes:
    """Make moto's JSON look like AWS: drop nulls; GetAgentRuntime gains
    failureReason and the members moto does not model, and answers
    ?version= with that version; endpoints carry their live and target
    versions (and failureReason); runtime ARNs read as AWS's
    (`runtime/<agentRuntimeId>`)."""
    if not path.startswith("/runtimes"):
        return body
    try:
        doc = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return body
    if not isinstance(doc, dict):
        return body
    m = RUNTIME_PATH_RE.match(path)
    if method == "GET" and status == 200 and m:
        rt = find_runtime(unquote(m.group(1)))
        if rt is not None:
            reason = getattr(rt, FAILURE_ATTR, None)
            if reason:
                doc["failureReason"] = reason
            for k, v in (getattr(rt, EXTRA_ATTR, {}) or {}).items():
                doc.setdefault(k, v)
            if rt.description in (None, ""):
                doc.pop("description", None)
            if not rt.lifecycle_configuration:
                doc.pop("lifecycleConfiguration", None)
            version = (parse_qs(query).get("version") or [""])[0]
            if version and version != rt.agent_runtime_version:
                doc = version_view(rt, version, doc) or doc
    m = ENDPOINTS_PATH_RE.match(path)
    if method == "POST" and status == 200 and m:
        eps = runtime_endpoints(unquote(m.group(1)))
        for item in doc.get("runtimeEndpoints") or []:
            ep = eps.get(item.get("name"))
            if ep is not None:
                item["liveVersion"] = ep.live_version
                item["targetVersion"] = ep.target_version
                item["status"] = ep.status
    m = ENDPOINT_PATH_RE.match(path)
    if method == "GET" and status == 200 and m:
        ep = runtime_endpoints(unquote(m.group(1))).get(unquote(m.group(2)))
        reason = getattr(ep, FAILURE_ATTR, None) if ep is not None else None
        if reason:
            doc["failureReason"] = reason
    # AWS's runtime ARN, `runtime/<agentRuntimeId>` (moto's is `agent/<uuid>:<version>`)
    for item in [doc, *(doc.get("agentRuntimes") or [])]:
        rt = find_runtime(item["agentRuntimeId"]) if item.get("agentRuntimeArn") and item.get("agentRuntimeId") else None
        if rt is not None:
            item["agentRuntimeArn"] = aws_runtime_arn(rt)
    return json.dumps(strip_none(doc)).encode("utf-8")


# --------------------------------------------------------------------------
# SigV4 verification


class AuthError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# The AWS hosts a relay may send (deploy/relay-hosts.txt, generated by
# scripts/gen-relay-hosts.py from the vendored endpoint rules), each with the
# region of its name: the emulator answers for them as AWS would, checking
# that the signature is for that host and that region.
REPO_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
_RELAY_HOSTS: dict[str, str] | None = None


def relay_hosts() -> dict[str, str]:
    """{allowed AWS host: its region}."""
    global _RELAY_HOSTS
    if _RELAY_HOSTS is None:
        with open(os.path.join(REPO_ROOT, "model", "partitions.json")) as f:
            regions = [r for p in json.load(f)["partitions"] for r in p.get("regions", {})]
        hosts = {}
        with open(os.path.join(REPO_ROOT, "deploy", "relay-hosts.txt")) as f:
            for line in f:
                host = line.strip()
                if host and not host.startswith("#"):
                    hosts[host] = next(r for r in regions if f".{r}." in host)
        _RELAY_HOSTS = hosts
    return _RELAY_HOSTS


def check_host(host: str, region: str) -> None:
    """Raise AuthError unless `host` is a loopback name (any region) or an
    allowed AWS host whose region is the credential scope's."""
    if is_loopback_host(host):
        return
    expected = relay_hosts().get(host)
    if expected is None:
        raise AuthError(
            "UnrecognizedHostException",
            f"The emulator answers for 127.0.0.1, localhost, [::1] and the AgentCore hosts of "
            f"deploy/relay-hosts.txt, not for '{host[:200]}'.",
        )
    if region != expected:
        # AWS's answer to a credential scope for another region than its own
        raise AuthError(
            "InvalidSignatureException",
            f"Credential should be scoped to a valid region, not '{region}'. ",
        )


def parse_authorization(value: str) -> tuple[str, str, str, str, list[str], str]:
    """Returns (akid, date, region, service, signed_headers, signature)."""
    value = value.strip()
    algo, _, rest = value.partition(" ")
    if algo != "AWS4-HMAC-SHA256":
        raise AuthError(
            "IncompleteSignatureException",
            f"Unsupported Authorization Type. Authorization={algo or value!s}",
        )
    params: dict[str, str] = {}
    for part in rest.split(","):
        k, sep, v = part.strip().partition("=")
        if sep:
            params[k.strip()] = v.strip()
    missing = []
    for name in ("Credential", "SignedHeaders", "Signature"):
        if not params.get(name):
            missing.append(f"Authorization header requires '{name}' parameter.")
    if missing:
        raise AuthError("IncompleteSignatureException", " ".join(missing))
    scope = params["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or not all(scope):
        raise AuthError(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential' parameter in the form "
            "'<access key id>/<date>/<region>/<service>/aws4_request'. "
            f"Credential={params['Credential']}",
        )
    signed = [h.strip().lower() for h in params["SignedHeaders"].split(";") if h.strip()]
    if not re.fullmatch(r"[0-9a-fA-F]{64}", params["Signature"]):
        raise AuthError(
            "IncompleteSignatureException",
            "Authorization header requires 'Signature' parameter as 64 hex digits.",
        )
    return scope[0], scope[1], scope[2], scope[3], signed, params["Signature"].lower()


def _fmt(ts: float) -> str:
    return time.strftime(SIGV4_TIMESTAMP, time.gmtime(ts))


def verify_request(method: str, raw_path: str, headers: list[tuple[str, str]], body: bytes) -> dict:
    """Raise AuthError, or return {'akid','region','service'}."""
    hmap: dict[str, list[str]] = {}
    for k, v in headers:
        hmap.setdefault(k.lower(), []).append(v)
    auth_values = hmap.get("authorization")
    if not auth_values:
        raise AuthError("MissingAuthenticationTokenException", MSG_MISSING_TOKEN)
    akid, scope_date, region, service, signed, signature = parse_authorization(auth_values[0])

    amz_date = (hmap.get("x-amz-date") or [None])[0]
    if amz_date is None and hmap.get("date"):
        parsed = email.utils.parsedate_tz(hmap["date"][0])
        if parsed:
            amz_date = _fmt(email.utils.mktime_tz(parsed))
    if amz_date is None:
        raise AuthError(
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    try:
        req_ts = calendar.timegm(time.strptime(amz_date, SIGV4_TIMESTAMP))
    except ValueError:
        raise AuthError(
            "IncompleteSignatureException",
            f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. "
            "See http://en.wikipedia.org/wiki/ISO_8601",
        )
    if "host" not in signed:
        raise AuthError(
            "InvalidSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        )

    creds = lookup_credentials(akid)
    if creds is None:
        raise AuthError("UnrecognizedClientException", MSG_INVALID_TOKEN)
    secret, required_token, expiration = creds
    sent_token = (hmap.get("x-amz-security-token") or [None])[0]
    if required_token is not None:
        if sent_token is None or not hmac.compare_digest(
            sent_token.encode("utf-8"), required_token.encode("utf-8")
        ):
            raise AuthError("UnrecognizedClientException", MSG_INVALID_TOKEN)
    now = STATE.now()
    if expiration is not None and expiration.timestamp() < now:
        raise AuthError("ExpiredTokenException", MSG_EXPIRED_TOKEN)
    if req_ts < now - MAX_SKEW_SECONDS:
        raise AuthError(
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is now earlier than "
            f"{_fmt(now - MAX_SKEW_SECONDS)} ({_fmt(now)} - 5 min.)",
        )
    if req_ts > now + MAX_SKEW_SECONDS:
        raise AuthError(
            "InvalidSignatureException",
            f"Signature not yet current: {amz_date} is still later than "
            f"{_fmt(now + MAX_SKEW_SECONDS)} ({_fmt(now)} + 5 min.)",
        )
    if raw_path.split("?", 1)[0].startswith("/runtimes") and service != "bedrock-agentcore":
        raise AuthError(
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'bedrock-agentcore'. ",
        )
    # A signed x-amz-content-sha256 must be the real body hash (we do not let the
    # client choose the payload hash for these services).
    content_sha = (hmap.get("x-amz-content-sha256") or [None])[0]
    if content_sha is not None and "x-amz-content-sha256" in signed:
        if content_sha.strip().lower() != hashlib.sha256(body).hexdigest():
            raise AuthError("InvalidSignatureException", MSG_BAD_SIGNATURE)

    # Rebuild the request exactly as the client sent it, with only the signed headers.
    host = (hmap.get("host") or [""])[0]
    check_host(host, region)
    req = AWSRequest(method=method, url=f"http://{host}{raw_path}", data=body)
    for name in signed:
        for value in hmap.get(name, []):
            req.headers[name] = value  # HTTPHeaders: assignment appends
        if name not in hmap:
            raise AuthError("InvalidSignatureException", MSG_BAD_SIGNATURE)
    req.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(akid, secret, required_token), service, region)
    if scope_date != amz_date[:8]:
        raise AuthError(
            "InvalidSignatureException",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
            f"of date from HTTP: '{scope_date}' != '{amz_date[:8]}', from '{amz_date}'.",
        )
    canonical = signer.canonical_request(req)
    string_to_sign = signer.string_to_sign(req, canonical)
    expected = signer.signature(string_to_sign, req)
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii")):
        # Like AWS: the message quotes what the service expected was signed.
        raise AuthError(
            "InvalidSignatureException",
            f"{MSG_BAD_SIGNATURE}\n\nThe Canonical String for this request should have been\n"
            f"'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n",
        )
    return {"akid": akid, "region": region, "service": service}


# --------------------------------------------------------------------------
# InvokeAgentRuntime: the target, its authorization, and the fake agent


@functools.lru_cache(maxsize=None)
def invoke_model() -> dict[str, Any]:
    """What the service model (botocore's, the vendored one's source) says of
    InvokeAgentRuntime: each error shape's HTTP status, the response's header
    names, and the request headers the response echoes (in both shapes)."""
    import botocore.session

    operation = botocore.session.get_session().get_service_model("bedrock-agentcore").operation_model(
        "InvokeAgentRuntime"
    )

    def header_names(shape: Any) -> list[str]:
        return [m.serialization["name"] for m in shape.members.values() if m.serialization.get("location") == "header"]

    response_headers = [h for h in header_names(operation.output_shape) if h.lower() != "content-type"]
    request_headers = {h.lower() for h in header_names(operation.input_shape)}
    return {
        "error_status": {e.name: e.metadata["error"]["httpStatusCode"] for e in operation.error_shapes},
        "echoed": [h for h in response_headers if h.lower() in request_headers and h != SESSION_HEADER],
        "expose": ", ".join([EXPOSE_HEADERS, *response_headers]),
    }


class InvokeError(Exception):
    """An InvokeAgentRuntime error shape (rest-json: x-amzn-ErrorType and a
    JSON body with the message), its status taken from the model."""

    def __init__(self, code: str, message: str, runtime: Any = None):
        super().__init__(message)
        self.code = code
        self.status = invoke_model()["error_status"][code]
        self.message = message
        # the runtime named, when it exists: its authorizer decides how the caller must authenticate
        self.runtime = runtime


RUNTIME_ARN_RE = re.compile(r"arn:([a-z-]+):bedrock-agentcore:([a-z0-9-]+):(\d{12}):runtime/([^/:]+)")


def aws_runtime_arn(rt: Any) -> str:
    """The runtime's ARN as AWS spells it (moto's is `agent/<uuid>:<version>`)."""
    partition = rt.agent_runtime_arn.split(":")[1]
    return f"arn:{partition}:bedrock-agentcore:{rt.region_name}:{rt.account_id}:runtime/{rt.agent_runtime_id}"


def find_invoked_runtime(label: str, account_id: str | None) -> Any:
    """The runtime an invocation's `agentRuntimeArn` label names (decoded once):
    AWS's runtime ARN, moto's ARN (with or without its version), or an id
    with `accountId`. Raises InvokeError."""
    m = RUNTIME_ARN_RE.fullmatch(label)
    if m is not None:
        rt = find_runtime(m.group(4))
        if rt is not None and (rt.region_name, rt.account_id) == (m.group(2), m.group(3)):
            return rt
        raise InvokeError("ResourceNotFoundException", f"No agent runtime {label}")
    if label.startswith("arn:"):
        from moto.bedrockagentcorecontrol.models import bedrockagentcorecontrol_backends

        for _acct, _region, backend in _backend_items(bedrockagentcorecontrol_backends):
            for rt in list(backend.agent_runtimes.values()):
                base = rt.agent_runtime_arn.rsplit(":", 1)[0]
                if label in (base, rt.agent_runtime_arn) or label.rsplit(":", 1)[0] == base:
                    return rt
        raise InvokeError("ResourceNotFoundException", f"No agent runtime {label}")
    if not account_id:
        raise InvokeError(
            "ValidationException",
            "accountId is required when agentRuntimeArn is an agent runtime id instead of its ARN",
        )
    rt = find_runtime(label)
    if rt is None or rt.account_id != account_id:
        raise InvokeError("ResourceNotFoundException", f"No agent runtime {label} in account {account_id}")
    return rt


def resolve_invocation(label: str, query: str) -> tuple[Any, str, str | None]:
    """(runtime, version that answers, endpoint name or None when the
    qualifier is a version). No qualifier means DEFAULT. Raises InvokeError."""
    params = parse_qs(query, keep_blank_values=True)
    account_id = (params.get("accountId") or [None])[0]
    qualifier = (params.get("qualifier") or [""])[0] or DEFAULT_ENDPOINT
    rt = find_invoked_runtime(label, account_id)
    rid = rt.agent_runtime_id
    remember_version(rt)
    ensure_default_endpoint(rid)
    endpoint = runtime_endpoints(rid).get(qualifier)
    if endpoint is not None and endpoint.live_version:
        return rt, str(endpoint.live_version), qualifier
    if qualifier.isdigit() and qualifier in (getattr(rt, VERSIONS_ATTR, None) or {}):
        return rt, qualifier, None
    raise InvokeError(
        "ResourceNotFoundException",
        f"Agent runtime {rid} has no endpoint or version named '{qualifier[:100]}'",
        runtime=rt,
    )


def version_authorizer(rt: Any, version: str | None) -> dict | None:
    """The custom JWT authorizer of that version's configuration (the
    latest when None), or None."""
    if version is None:
        authorizer = rt.authorizer_configuration or {}
    else:
        config = (getattr(rt, VERSIONS_ATTR, None) or {}).get(version) or {}
        authorizer = config.get("authorizerConfiguration") or {}
    return authorizer.get("customJWTAuthorizer") if isinstance(authorizer, dict) else None


def bearer_runtime(target: tuple[Any, str, str | None] | None, refusal: InvokeError | None) -> Any:
    """The runtime an invocation must authenticate to with a bearer token
    (its version that answers has a custom JWT authorizer), or None: SigV4."""
    if target is not None:
        return target[0] if version_authorizer(target[0], target[1]) is not None else None
    rt = refusal.runtime if refusal is not None else None
    return rt if rt is not None and version_authorizer(rt, None) is not None else None


def issue_bearer_token(rid: str, seconds: float) -> tuple[str, float]:
    token = secrets.token_urlsafe(32)
    expires = STATE.now() + seconds
    with STATE.lock:
        STATE.bearer_tokens[token] = (rid, expires)
    return token, expires


def verify_bearer(rt: Any, headers: list[tuple[str, str]]) -> dict:
    """For a runtime with a custom JWT authorizer: the request must carry
    `Authorization: Bearer <token>` with a token the emulator issued for this
    runtime and that has not expired. Raises AuthError (AccessDeniedException)."""
    rid = rt.agent_runtime_id
    values = [v for k, v in headers if k.lower() == "authorization"]
    host = next((v for k, v in headers if k.lower() == "host"), "")
    if not is_loopback_host(host):
        # the host must be one the emulator answers for; no signature, so no region to match
        check_host(host, relay_hosts().get(host, ""))
    if not values:
        raise AuthError(
            "AccessDeniedException",
            f"Agent runtime {rid} has a custom JWT authorizer: send Authorization: Bearer <token>.",
        )
    scheme, _, token = values[0].strip().partition(" ")
    if scheme == "AWS4-HMAC-SHA256":
        raise AuthError(
            "AccessDeniedException",
            f"Authorization method mismatch: agent runtime {rid} has a custom JWT authorizer and "
            "takes Authorization: Bearer <token>, not a SigV4 signature.",
        )
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError(
            "AccessDeniedException",
            f"Agent runtime {rid} has a custom JWT authorizer: send Authorization: Bearer <token>.",
        )
    token = token.strip()
    with STATE.lock:
        issued = list(STATE.bearer_tokens.items())
    found = next(
        (entry for known, entry in issued if hmac.compare_digest(known.encode("utf-8"), token.encode("utf-8"))),
        None,
    )
    if found is None or found[0] != rid:
        raise AuthError("AccessDeniedException", f"The bearer token is not valid for agent runtime {rid}.")
    if found[1] < STATE.now():
        raise AuthError("AccessDeniedException", "The bearer token has expired.")
    return {"service": "bedrock-agentcore", "bearer": True}


def agent_plan(payload: bytes, default_interval_ms: float) -> dict[str, Any]:
    """What the fake agent does with a payload: {prompt, echo, fail, events,
    interval, stream_bytes}. The selector is the payload's `emulator` object
    (fail, events, intervalMs, streamBytes); the prompts "fail", "slow" and
    "big" are shorthands. Raises InvokeError (RuntimeClientError) for a
    selector out of range, as the agent itself would refuse it."""
    text = payload.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    echo: Any = doc if doc is not None else text
    # the prompt: a JSON object's "prompt", a JSON string, or a payload that is not JSON
    prompt = doc.get("prompt") if isinstance(doc, dict) else (text if doc is None else doc)
    prompt = prompt if isinstance(prompt, str) else ""
    selector: dict[str, Any] = {}
    if prompt == "fail":
        selector["fail"] = 'The agent failed, as asked (prompt "fail").'
    elif prompt == "slow":
        selector.update(AGENT_SLOW)
    elif prompt == "big":
        selector["streamBytes"] = AGENT_BIG_BYTES
    given = doc.get("emulator") if isinstance(doc, dict) else None
    if given is not None and not isinstance(given, dict):
        raise InvokeError("RuntimeClientError", "The payload's emulator member must be an object.")
    selector.update(given or {})

    def number(name: str, low: int, high: int, default: float) -> float:
        value = selector.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise InvokeError("RuntimeClientError", f"emulator.{name} must be a number from {low} to {high}.")
        return value

    fail = selector.get("fail")
    if fail is not None and not isinstance(fail, str):
        raise InvokeError("RuntimeClientError", "emulator.fail must be a string (the agent's error message).")
    stream_bytes = selector.get("streamBytes")
    return {
        "prompt": prompt,
        "echo": echo,
        "fail": fail,
        "events": int(number("events", 1, AGENT_MAX_EVENTS, AGENT_TEXT_EVENTS)),
        "interval": number("intervalMs", 0, AGENT_MAX_INTERVAL_MS, default_interval_ms) / 1000.0,
        "stream_bytes": None
        if stream_bytes is None
        else int(number("streamBytes", AGENT_MIN_STREAM_BYTES, AGENT_MAX_STREAM_BYTES, 0)),
    }


def sse_event(doc: Any) -> bytes:
    return b"data: " + json.dumps(doc, separators=(",", ":")).encode("utf-8") + b"\n\n"


def filler_event(size: int, sse: bool) -> bytes:
    """One event (SSE) or document (JSON) of exactly `size` bytes of text."""
    frame = sse_event({"type": "text", "text": ""}) if sse else b'{"type":"text","text":""}'
    head, tail = frame.split(b'""', 1)
    return head + b'"' + b"x" * (size - len(frame)) + b'"' + tail


def big_stream(total: int, sse: bool):
    """Exactly `total` bytes, made on the fly: SSE text events of about
    AGENT_CHUNK_BYTES, or one JSON document sent in pieces."""
    if not sse:
        frame = b'{"type":"text","text":""}'
        yield 0.0, b'{"type":"text","text":"'
        remaining = total - len(frame)
        while remaining > 0:
            n = min(AGENT_CHUNK_BYTES, remaining)
            yield 0.0, b"x" * n
            remaining -= n
        yield 0.0, b'"}'
        return
    remaining = total
    while remaining > 0:
        # split the last two events evenly so that none is smaller than its frame
        if remaining <= AGENT_CHUNK_BYTES:
            size = remaining
        elif remaining < 2 * AGENT_CHUNK_BYTES:
            size = remaining // 2
        else:
            size = AGENT_CHUNK_BYTES
        yield 0.0, filler_event(size, True)
        remaining -= size


def agent_reply(plan: dict[str, Any], about: dict[str, Any]) -> str:
    """The fake agent's answer: who answered, and the prompt."""
    return (
        f"Echo from {about['agentRuntimeName']} version {about['agentRuntimeVersion']} "
        f"(endpoint {about['endpointName'] or 'none, qualifier is a version'}): {plan['prompt'] or '(no prompt)'}"
    )


def agent_answer(plan: dict[str, Any], about: dict[str, Any]):
    """The fake agent's SSE events as (delay before, bytes): a start event
    naming who answered, the reply in `events` text pieces `interval` apart,
    and an end event echoing the payload."""
    reply = agent_reply(plan, about)
    n = plan["events"]
    yield 0.0, sse_event({"type": "start", **about})
    for i in range(n):
        piece = reply[i * len(reply) // n:(i + 1) * len(reply) // n]
        yield plan["interval"], sse_event({"type": "text", "index": i, "text": piece})
    yield plan["interval"], sse_event({"type": "end", "text": reply, "payload": plan["echo"]})


# --------------------------------------------------------------------------
# STS response rewriting (moto's GetSessionToken returns fixed example keys)


def rewrite_sts_token_response(body: bytes) -> bytes:
    from moto.iam.models import iam_backends
    from moto.sts.utils import random_session_token

    text = body.decode("utf-8", "replace")
    exp_m = re.search(r"<Expiration>([^<]+)</Expiration>", text)
    if not exp_m or "<AccessKeyId>" not in text:
        return body
    try:
        expiration = _as_utc(dt.datetime.fromisoformat(exp_m.group(1).replace("Z", "+00:00")))
    except ValueError:
        return body
    key = iam_backends[DEFAULT_ACCOUNT]["aws"].create_temp_access_key()
    token = random_session_token()
    with STATE.lock:
        STATE.issued[key.access_key_id] = (key.secret_access_key, token, expiration)
    text = re.sub(r"<AccessKeyId>[^<]*</AccessKeyId>", f"<AccessKeyId>{key.access_key_id}</AccessKeyId>", text)
    text = re.sub(
        r"<SecretAccessKey>[^<]*</SecretAccessKey>",
        lambda _m: f"<SecretAccessKey>{key.secret_access_key}</SecretAccessKey>",
        text,
    )
    text = re.sub(r"<SessionToken>[^<]*</SessionToken>", lambda _m: f"<SessionToken>{token}</SessionToken>", text)
    return text.encode("utf-8")


# --------------------------------------------------------------------------
# Proxy handler


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, indent=None, default=str).encode("utf-8")


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AgentCoreEmulator/1.0"

    def version_string(self) -> str:
        return self.server_version

    def date_time_string(self, timestamp: float | None = None) -> str:
        # send_response() emits Date from here: follow the (shiftable) server clock
        return email.utils.formatdate(STATE.now(), usegmt=True)

    # quiet default logging; we log ourselves
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    # -- plumbing ---------------------------------------------------------
    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0] or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _expose_headers(self) -> str:
        """The response headers a page may read: an invocation's add the session id and the echoed headers."""
        return invoke_model()["expose"] if INVOKE_PATH_RE.match(self._split_path()[0]) else EXPOSE_HEADERS

    def _cors_headers(self) -> list[tuple[str, str]]:
        if not STATE.cors_enabled():
            return []
        origin = self.headers.get("Origin")
        out = [
            ("Access-Control-Allow-Origin", origin or "*"),
            ("Access-Control-Expose-Headers", self._expose_headers()),
        ]
        if origin:
            out.append(("Vary", "Origin"))
        return out

    def _send(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        cors: bool = True,
    ) -> None:
        names = {k.lower() for k, _ in headers}
        final = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP and k.lower() != "date"]
        final = [(k, v) for k, v in final if not k.lower().startswith("access-control-")]
        if "x-amzn-requestid" not in names:
            final.append(("x-amzn-RequestId", str(uuid.uuid4())))
        if cors:
            final.extend(self._cors_headers())
        final.append(("Content-Length", str(len(body))))
        self.send_response(status)
        for k, v in final:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.wfile.flush()

    def _send_json(self, status: int, obj: Any, **kw: Any) -> None:
        self._send(status, [("Content-Type", "application/json")], _json_bytes(obj), **kw)

    def _split_path(self) -> tuple[str, str]:
        path, _, query = self.path.partition("?")
        return path, query

    def _log_entry(self, method: str, path: str, query: str, body: bytes, outcome: str, status: int) -> None:
        headers: dict[str, str] = {}
        for k, v in self.headers.items():
            lk = k.lower()
            if lk in ("authorization", "x-amz-security-token", sso.BEARER_HEADER, CONTROL_TOKEN_HEADER.lower()):
                v = "<redacted>"
            headers[lk] = v if lk not in headers else headers[lk] + "," + v
        # which key signed it (not a secret: AWS logs it too), to see a renewal
        signer = CREDENTIAL_RE.search(self.headers.get("Authorization") or "")
        STATE.record(
            {
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": sso.redact_body(body),
                "accessKeyId": signer.group(1) if signer else None,
                "outcome": outcome,
                "status": status,
            }
        )
        log(f"{method} {path} -> {outcome} {status}")

    # -- dispatch ---------------------------------------------------------
    def do_OPTIONS(self) -> None:
        path, _ = self._split_path()
        self._read_body()
        if path.startswith(CONTROL_PREFIX):
            # no page may call the control API from a browser
            log(f"OPTIONS {path} -> control preflight refused 403")
            self._send(403, [("Content-Type", "application/json")],
                       _json_bytes({"message": "the control API does not answer cross-origin requests"}),
                       cors=False)
            return
        if not STATE.cors_enabled():
            log(f"OPTIONS {path} -> preflight refused (cors off) 403")
            self._send(403, [("Content-Type", "application/json")],
                       _json_bytes({"message": "CORS disabled"}), cors=False)
            return
        headers = [
            ("Access-Control-Allow-Origin", self.headers.get("Origin") or "*"),
            ("Access-Control-Allow-Methods", ALLOW_METHODS),
            ("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers") or ""),
            ("Access-Control-Max-Age", "600"),
            ("Access-Control-Expose-Headers", self._expose_headers()),
        ]
        if self.headers.get("Origin"):
            headers.append(("Vary", "Origin"))
        # _send strips access-control-*; write directly.
        self.send_response(204)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.send_header("Content-Length", "0")
        self.end_headers()
        log(f"OPTIONS {path} -> preflight 204")

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def _handle(self) -> None:
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        path, query = self._split_path()
        if path.startswith(CONTROL_PREFIX):
            self._control(self.command, path, body)
            return
        method = self.command
        try:
            self._aws(method, path, query, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- AWS side ---------------------------------------------------------
    def _reject(self, err: AuthError, method: str, path: str, query: str, body: bytes) -> None:
        # log before answering so a client that reads the log right after the
        # response always finds its request there
        self._log_entry(method, path, query, body, f"rejected:{err.code}", 403)
        self._send(
            403,
            [
                ("Content-Type", "application/json"),
                ("x-amzn-ErrorType", err.code + ERROR_TYPE_SUFFIX),
                ("x-amzn-RequestId", str(uuid.uuid4())),
            ],
            _json_bytes({"message": err.message}),
        )

    def _apply_injection(self, entry: dict, method: str, path: str, query: str, body: bytes) -> bool:
        """Returns True when the request was fully answered by the injection."""
        delay = float(entry.get("delay_ms") or 0) / 1000.0
        if delay > 0:
            time.sleep(delay)
        if entry.get("drop"):
            self._log_entry(method, path, query, body, "injected", 0)
            self.close_connection = True
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if entry.get("status") is None:
            return False
        status = int(entry["status"])
        hdrs = [(str(k), str(v)) for k, v in (entry.get("headers") or {}).items()]
        if not any(k.lower() == "content-type" for k, _ in hdrs):
            hdrs.append(("Content-Type", "application/json"))
        raw = entry.get("body")
        if raw is None:
            raw = ""
        elif not isinstance(raw, str):
            raw = json.dumps(raw)
        self._log_entry(method, path, query, body, "injected", status)
        self._send(status, hdrs, raw.encode("utf-8"))
        return True

    def _aws(self, method: str, path: str, query: str, body: bytes) -> None:
        entry = STATE.take_injection(method, path, before_auth=True)
        if entry is not None and self._apply_injection(entry, method, path, query, body):
            return
        identity_center = self._sso_target(method, path)
        if identity_center is not None:
            if entry is None:
                entry = STATE.take_injection(method, path, before_auth=False)
                if entry is not None and self._apply_injection(entry, method, path, query, body):
                    return
            self._sso(*identity_center, method, path, query, body)
            return
        invocation = INVOKE_PATH_RE.match(path) if method == "POST" else None
        target: tuple[Any, str, str | None] | None = None
        refusal: InvokeError | None = None
        if invocation is not None:
            try:
                target = resolve_invocation(unquote(invocation.group(1)), query)
            except InvokeError as err:
                refusal = err
        # before_auth delay-only injection: still check the signature
        jwt_runtime = bearer_runtime(target, refusal)
        try:
            if jwt_runtime is not None:
                auth = verify_bearer(jwt_runtime, list(self.headers.items()))
            else:
                auth = verify_request(method, self.path, list(self.headers.items()), body)
        except AuthError as err:
            self._reject(err, method, path, query, body)
            return
        if entry is None:
            entry = STATE.take_injection(method, path, before_auth=False)
            if entry is not None and self._apply_injection(entry, method, path, query, body):
                return
        if invocation is None:
            self._forward(method, path, query, body, auth or {})
        elif refusal is not None or target is None:
            self._invoke_error(refusal or InvokeError("InternalServerException", "no target"), method, path, query, body)
        else:
            self._invoke(target, method, path, query, body)

    # -- IAM Identity Center (sso.py) --------------------------------------
    def _sso_target(self, method: str, path: str) -> tuple[str, str | None, str] | None:
        """(service, operation, region) when the request is Identity
        Center's: by path on a loopback Host, by name on an AWS host of
        deploy/relay-hosts.txt (oidc.<region>…, portal.sso.<region>…)."""
        host = (self.headers.get("Host") or "").strip()
        if is_loopback_host(host):
            found = sso.route(method, path, None)
            region = DEFAULT_REGION
        else:
            service = sso.host_service(host)
            region = relay_hosts().get(host, "")
            found = sso.route(method, path, service) if service and region else None
        return None if found is None else (*found, region)

    def _sso(self, service: str, operation: str | None, region: str, method: str, path: str, query: str,
             body: bytes) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            out = STATE.sso.answer(service, operation, method, path, query, headers, body, region)
        except sso.SsoError as err:
            self._log_entry(method, path, query, body, f"sso:{operation}:{err.code}", err.status())
            self._send(
                err.status(),
                [("Content-Type", "application/json"), ("x-amzn-ErrorType", err.code)],
                _json_bytes(err.body()),
            )
            return
        self._log_entry(method, path, query, body, f"sso:{operation}", 200)
        # Logout has no output: an empty body
        self._send(200, [("Content-Type", "application/json")], b"" if operation == "Logout" else _json_bytes(out))

    # -- InvokeAgentRuntime: the fake agent --------------------------------
    def _invoke_error(self, err: InvokeError, method: str, path: str, query: str, body: bytes) -> None:
        self._log_entry(method, path, query, body, f"invoke:{err.code}", err.status)
        self._send(
            err.status,
            [("Content-Type", "application/json"), ("x-amzn-ErrorType", err.code)],
            _json_bytes({"message": err.message}),
        )

    def _invoke(self, target: tuple[Any, str, str | None], method: str, path: str, query: str, body: bytes) -> None:
        """Answer InvokeAgentRuntime as the fake agent of docs/emulator.md:
        SSE events sent as they are made (chunked) when Accept allows
        text/event-stream, one JSON document otherwise."""
        rt, version, endpoint = target
        session_id = self.headers.get(SESSION_HEADER)
        try:
            if session_id is not None and not SESSION_ID_MIN <= len(session_id) <= SESSION_ID_MAX:
                raise InvokeError(
                    "ValidationException",
                    f"{SESSION_HEADER} must be {SESSION_ID_MIN} to {SESSION_ID_MAX} characters long, "
                    f"not {len(session_id)}",
                )
            if not body:
                raise InvokeError("ValidationException", "payload is required")
            with STATE.lock:
                default_interval = float(STATE.config.get("invoke_event_interval_ms") or 0)
            plan = agent_plan(body, default_interval)
            if plan["fail"] is not None:
                raise InvokeError("RuntimeClientError", plan["fail"])
        except InvokeError as err:
            self._invoke_error(err, method, path, query, body)
            return
        session_id = session_id or f"emulator-session-{uuid.uuid4()}"
        sse = "text/event-stream" in (self.headers.get("Accept") or "").lower()
        headers = [
            ("Content-Type", "text/event-stream" if sse else "application/json"),
            (SESSION_HEADER, session_id),
        ]
        headers += [(name, self.headers[name]) for name in invoke_model()["echoed"] if self.headers.get(name) is not None]
        about = {
            "agentRuntimeArn": aws_runtime_arn(rt),
            "agentRuntimeId": rt.agent_runtime_id,
            "agentRuntimeName": rt.agent_runtime_name,
            "agentRuntimeVersion": version,
            "endpointName": endpoint,
            "sessionId": session_id,
            "userId": self.headers.get(USER_HEADER),
        }
        self._log_entry(method, path, query, body, "invoked", 200)
        if plan["stream_bytes"] is not None:
            self._stream(headers, big_stream(plan["stream_bytes"], sse))
        elif sse:
            self._stream(headers, agent_answer(plan, about))
        else:
            # as long as the stream would take, then the whole answer at once
            time.sleep(plan["interval"] * (plan["events"] + 1))
            doc = {**about, "text": agent_reply(plan, about), "payload": plan["echo"]}
            self._send(200, headers, _json_bytes(doc))

    def _stream(self, headers: list[tuple[str, str]], parts) -> None:
        """Send `parts` ((delay before, bytes), ...) with chunked transfer,
        flushing each one, so a browser sees each event as it is made."""
        self.send_response(200)
        for k, v in [*headers, ("x-amzn-RequestId", str(uuid.uuid4())), *self._cors_headers()]:
            self.send_header(k, v)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.flush()
        for delay, data in parts:
            if delay > 0:
                time.sleep(delay)
            if data:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _forward(self, method: str, path: str, query: str, body: bytes, auth: dict) -> None:
        service = auth.get("service", "")
        runtime_match = RUNTIME_PATH_RE.match(path)
        is_update = service == "bedrock-agentcore" and method == "PUT" and runtime_match is not None
        update_body: dict[str, Any] | None = None
        fwd_body = body
        if is_update:
            try:
                update_body = json.loads(body.decode("utf-8") or "{}")
            except (ValueError, UnicodeDecodeError):
                update_body = None
            if isinstance(update_body, dict) and "networkConfiguration" not in update_body:
                # moto requires it; AWS keeps the current value (we forward the stored one)
                rt = find_runtime(unquote(runtime_match.group(1)))
                if rt is not None:
                    patched = dict(update_body)
                    patched["networkConfiguration"] = rt.network_configuration
                    fwd_body = json.dumps(patched).encode("utf-8")
        if service == "bedrock-agentcore" and self._answer_versions(method, path, query, runtime_match, body):
            return
        fwd_headers = {}
        for k, v in self.headers.items():
            if k.lower() in HOP_BY_HOP or k.lower() == "expect":
                continue
            fwd_headers[k] = v
        fwd_headers["Content-Length"] = str(len(fwd_body))
        conn = http.client.HTTPConnection("127.0.0.1", STATE.moto_port, timeout=60)
        try:
            conn.request(method, self.path, body=fwd_body, headers=fwd_headers)
            resp = conn.getresponse()
            resp_body = resp.read()
            status = resp.status
            resp_headers = list(resp.getheaders())
        except (OSError, http.client.HTTPException) as exc:
            log(f"{method} {path} -> backend error {type(exc).__name__}")
            self._log_entry(method, path, query, body, "forwarded", 500)
            self._send_json(500, {"message": "emulator backend error"})
            return
        finally:
            conn.close()

        if service == "sts" and status == 200 and b"<AccessKeyId>AKIAIOSFODNN7EXAMPLE<" in resp_body:
            resp_body = rewrite_sts_token_response(resp_body)
        if is_update and status == 202 and isinstance(update_body, dict):
            apply_aws_update_semantics(unquote(runtime_match.group(1)), update_body)
        endpoint_match = ENDPOINT_PATH_RE.match(path)
        if service == "bedrock-agentcore" and method == "PUT" and status == 202 and endpoint_match:
            apply_endpoint_update(unquote(endpoint_match.group(1)), unquote(endpoint_match.group(2)))
        if service == "bedrock-agentcore" and status < 300:
            resp_body = patch_agentcore_response(method, path, status, resp_body, query)
        out_headers = []
        for k, v in resp_headers:
            lk = k.lower()
            if lk in ("server",):
                continue
            if lk == "x-amzn-requestid":
                out_headers.append(("x-amzn-RequestId", v))
            else:
                out_headers.append((k, v))
        self._log_entry(method, path, query, body, "forwarded", status)
        self._send(status, out_headers, resp_body)

    def _answer_versions(self, method: str, path: str, query: str, runtime_match: Any, body: bytes) -> bool:
        """Keeps versions and endpoints as AWS does before moto sees the
        request; answers (and returns True) when AWS would refuse it."""
        endpoints = ENDPOINTS_PATH_RE.match(path) or ENDPOINT_PATH_RE.match(path)
        rid = unquote((runtime_match or endpoints).group(1)) if (runtime_match or endpoints) else None
        rt = find_runtime(rid) if rid else None
        if rt is None:
            return False
        remember_version(rt)
        known = {v.get("agentRuntimeVersion") for v in rt.versions}
        refusal = None
        if runtime_match and method == "GET":
            version = (parse_qs(query).get("version") or [""])[0]
            if version and version not in known:
                refusal = (404, "ResourceNotFoundException", f"Version {version} of agent runtime {rid} not found")
        if endpoints:
            ensure_default_endpoint(rid)
        if endpoints and method == "PUT":
            try:
                wanted = json.loads(body.decode("utf-8") or "{}").get("agentRuntimeVersion")
            except (ValueError, UnicodeDecodeError, AttributeError):
                wanted = None
            if wanted is not None and str(wanted) not in known:
                refusal = (400, "ValidationException", f"Version {wanted} of agent runtime {rid} does not exist")
        if refusal is None:
            return False
        status, code, message = refusal
        self._log_entry(method, path, query, body, "refused", status)
        self._send(
            status,
            [("Content-Type", "application/json"), ("x-amzn-ErrorType", code), ("x-amzn-RequestId", str(uuid.uuid4()))],
            _json_bytes({"message": message}),
        )
        return True

    # -- control API ------------------------------------------------------
    def _control_refusal(self) -> str | None:
        """Why this request may not use the control API, or None."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not is_loopback_host(hosts[0]):
            return "the control API answers only requests for 127.0.0.1, localhost or [::1]"
        sent = self.headers.get_all(CONTROL_TOKEN_HEADER) or []
        expected = STATE.control_token
        if len(sent) != 1 or not expected or not hmac.compare_digest(
            sent[0].strip().encode("utf-8"), expected.encode("utf-8")
        ):
            return f"the control API needs the emulator's control token in {CONTROL_TOKEN_HEADER}"
        return None

    def _control(self, method: str, path: str, body: bytes) -> None:
        def reply(status: int, obj: Any) -> None:
            # never CORS: a web page has no business reading or driving this
            self._send_json(status, obj, cors=False)
            log(f"{method} {path} -> control {status}")

        refusal = self._control_refusal()
        if refusal is not None:
            reply(403, {"message": refusal})
            return
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (ValueError, UnicodeDecodeError):
            reply(400, {"message": "invalid JSON"})
            return
        if path == "/__emulator/inject" and method == "POST":
            items = payload.get("responses") if isinstance(payload, dict) else None
            if not isinstance(items, list):
                reply(400, {"message": "expected {\"responses\": [...]}"})
                return
            with STATE.lock:
                for item in items:
                    entry = dict(item)
                    entry["remaining"] = int(item.get("count", 1) or 1)
                    STATE.queue.append(entry)
                queued = sum(e["remaining"] for e in STATE.queue)
            reply(200, {"queued": queued})
        elif path == "/__emulator/requests" and method == "GET":
            with STATE.lock:
                snapshot = list(STATE.requests)
            reply(200, snapshot)
        elif path == "/__emulator/config" and method == "GET":
            with STATE.lock:
                snapshot = dict(STATE.config)
            reply(200, snapshot)
        elif path == "/__emulator/config" and method == "POST":
            if not isinstance(payload, dict):
                reply(400, {"message": "expected an object"})
                return
            unknown = set(payload) - set(DEFAULT_CONFIG)
            if unknown:
                reply(400, {"message": f"unknown settings: {sorted(unknown)}"})
                return
            with STATE.lock:
                STATE.config.update(payload)
                snapshot = dict(STATE.config)
            reply(200, snapshot)
        elif path == "/__emulator/reset" and method == "POST":
            STATE.reset()
            reply(200, dict(STATE.config))
        elif path == "/__emulator/bearer-token" and method == "POST":
            rid = payload.get("agentRuntimeId") if isinstance(payload, dict) else None
            seconds = payload.get("expiresInSeconds", BEARER_TOKEN_SECONDS) if isinstance(payload, dict) else None
            if not isinstance(rid, str) or find_runtime(rid) is None:
                reply(404, {"message": f"no runtime {rid}"})
            elif isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                reply(400, {"message": "expiresInSeconds must be a number"})
            else:
                token, expires = issue_bearer_token(rid, float(seconds))
                expires_at = dt.datetime.fromtimestamp(expires, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                reply(200, {"token": token, "agentRuntimeId": rid, "expiresAt": expires_at})
        elif path == "/__emulator/sso-device" and method == "POST":
            user_code = payload.get("userCode") if isinstance(payload, dict) else None
            decision = payload.get("decision", "approve") if isinstance(payload, dict) else None
            if user_code is not None and not isinstance(user_code, str):
                reply(400, {"message": "userCode must be a string"})
                return
            try:
                reply(200, STATE.sso.decide(user_code, decision))
            except ValueError as err:
                reply(400, {"message": str(err)})
            except KeyError:
                reply(404, {"message": f"no pending device code {user_code or ''}".strip()})
        elif path == "/__emulator/sso" and method == "GET":
            reply(200, STATE.sso.view())
        elif path == "/__emulator/seed" and method == "POST":
            rid = seed_runtime()
            reply(200, {"agentRuntimeId": rid})
        elif path.startswith("/__emulator/runtime/") and method == "GET":
            rid = unquote(path[len("/__emulator/runtime/"):].strip("/"))
            rt = find_runtime(rid)
            if rt is None:
                reply(404, {"message": f"no runtime {rid}"})
            else:
                reply(200, runtime_to_json(rt))
        else:
            reply(404, {"message": f"unknown control endpoint {method} {path}"})


# --------------------------------------------------------------------------
# Seeding / dev defaults


def seed_runtime() -> str:
    import boto3

    client = boto3.client(
        "bedrock-agentcore-control",
        endpoint_url=f"http://127.0.0.1:{STATE.moto_port}",
        region_name=DEFAULT_REGION,
        aws_access_key_id=FIXED_ACCESS_KEY_ID,
        aws_secret_access_key=FIXED_SECRET_ACCESS_KEY,
    )
    resp = client.create_agent_runtime(**copy.deepcopy(SAMPLE_RUNTIME))
    rid = resp["agentRuntimeId"]
    rt = find_runtime(rid)
    if rt is not None:
        rt.status = "READY"
        for snap in rt.versions:
            snap["status"] = "READY"
        remember_version(rt)
    STATE.seeded_id = rid
    return rid


def write_dev_defaults(path: str) -> None:
    import boto3

    sts = boto3.client(
        "sts",
        endpoint_url=f"http://127.0.0.1:{STATE.proxy_port}",
        region_name=DEFAULT_REGION,
        aws_access_key_id=FIXED_ACCESS_KEY_ID,
        aws_secret_access_key=FIXED_SECRET_ACCESS_KEY,
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/AgentRuntimeConsoleDev",
        RoleSessionName="agentcore-console-dev",
        DurationSeconds=3600,
    )["Credentials"]
    expiration = _as_utc(creds["Expiration"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = {
        "endpointUrl": f"http://127.0.0.1:{STATE.proxy_port}",
        "region": DEFAULT_REGION,
        "credentials": {
            "accessKeyId": creds["AccessKeyId"],
            "secretAccessKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"],
            "expiration": expiration,
        },
        "agentRuntimeId": STATE.seeded_id,
    }
    write_private(path, json.dumps(doc, indent=2) + "\n")


# --------------------------------------------------------------------------
# Static file server

MIME_OVERRIDES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}


def make_static_handler(root: str, prefix: str, dev_defaults: str | None, csp: str | None):
    root = os.path.realpath(root)
    if not prefix.startswith("/"):
        prefix = "/" + prefix
    if not prefix.endswith("/"):
        prefix = prefix + "/"

    class StaticHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "AgentCoreEmulatorStatic/1.0"

        def version_string(self) -> str:
            return self.server_version

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _write(self, status: int, ctype: str, body: bytes, extra: list[tuple[str, str]] = ()) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.send_header("X-Content-Type-Options", "nosniff")
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            log(f"STATIC {self.command} {self.path.split('?')[0]} -> {status}")

        def _file(self, fs_path: str, extra: list[tuple[str, str]] = ()) -> None:
            ext = os.path.splitext(fs_path)[1].lower()
            ctype = MIME_OVERRIDES.get(ext) or mimetypes.guess_type(fs_path)[0] or "application/octet-stream"
            # a precompressed FILE.br next to FILE is sent to clients that take br
            # (as nginx's brotli_static; scripts/bench-browser.mjs makes such copies)
            accepts = [e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")]
            if "br" in accepts and os.path.isfile(fs_path + ".br"):
                fs_path += ".br"
                extra = [*extra, ("Content-Encoding", "br"), ("Vary", "Accept-Encoding")]
            with open(fs_path, "rb") as fh:
                data = fh.read()
            self._write(200, ctype, data, extra)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
            if path + "/" == prefix:
                self.send_response(301)
                self.send_header("Location", prefix)
                self.send_header("Content-Length", "0")
                if csp:
                    self.send_header("Content-Security-Policy", csp)
                self.end_headers()
                return
            if not path.startswith(prefix):
                self._write(404, "text/plain; charset=utf-8", b"not found\n")
                return
            rel = path[len(prefix):]
            if dev_defaults and rel == "dev-defaults.json":
                if os.path.isfile(dev_defaults):
                    self._file(dev_defaults, [("Cache-Control", "no-store")])
                else:
                    self._write(404, "application/json", b'{"message":"no dev defaults"}',
                                [("Cache-Control", "no-store")])
                return
            norm = posixpath.normpath("/" + rel).lstrip("/")
            candidate = os.path.realpath(os.path.join(root, norm)) if norm not in ("", ".") else root
            inside = candidate == root or candidate.startswith(root + os.sep)
            if inside and os.path.isfile(candidate):
                self._file(candidate)
                return
            if inside and os.path.isdir(candidate) and os.path.isfile(os.path.join(candidate, "index.html")) and candidate != root:
                self._file(os.path.join(candidate, "index.html"))
                return
            index = os.path.join(root, "index.html")
            if os.path.isfile(index):
                self._file(index, [("Cache-Control", "no-cache")])
            else:
                self._write(404, "text/plain; charset=utf-8", b"not found\n")

    return StaticHandler


# --------------------------------------------------------------------------
# main


class QuietThreadingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            return
        log(f"handler error: {type(exc).__name__}: {exc}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=4566)
    ap.add_argument("--host", default="127.0.0.1", help="bind address (loopback only)")
    ap.add_argument("--seed", action="store_true", help="create the sample runtime on start")
    ap.add_argument("--dev-defaults", metavar="PATH", help="write assumed-role dev credentials here (0600)")
    ap.add_argument("--control-token-file", metavar="PATH",
                    help=f"write the control API token here (0600); it is ${CONTROL_TOKEN_ENV} or a random one")
    ap.add_argument("--static-dir", metavar="DIR")
    ap.add_argument("--static-port", type=int, default=8080)
    ap.add_argument("--static-prefix", default="/")
    ap.add_argument("--csp", action="store_true", help="send a Content-Security-Policy on static responses")
    ap.add_argument("--csp-value", metavar="POLICY", help="with --csp: send this policy instead of the built-in one")
    args = ap.parse_args(argv)

    if args.host not in ("127.0.0.1", "localhost"):
        log("emulator: only 127.0.0.1 is supported; binding 127.0.0.1")
    host = "127.0.0.1"

    token = os.environ.get(CONTROL_TOKEN_ENV, "")
    if token and len(token) < CONTROL_TOKEN_MIN_LENGTH:
        log(f"emulator: {CONTROL_TOKEN_ENV} must be at least {CONTROL_TOKEN_MIN_LENGTH} characters")
        return 2
    STATE.control_token = token or secrets.token_urlsafe(32)
    if args.control_token_file:
        write_private(args.control_token_file, STATE.control_token + "\n")

    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    # installed first: a signal during start-up (seeding can take seconds) still
    # ends the process cleanly
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from moto.server import ThreadedMotoServer

    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    STATE.moto_port = moto_server.get_host_and_port()[1]

    proxy = QuietThreadingHTTPServer((host, args.port), ProxyHandler)
    STATE.proxy_port = proxy.server_address[1]
    threads = [threading.Thread(target=proxy.serve_forever, name="proxy", daemon=True)]
    servers = [proxy]

    if args.static_dir:
        handler = make_static_handler(
            args.static_dir,
            args.static_prefix,
            os.path.abspath(args.dev_defaults) if args.dev_defaults else None,
            (args.csp_value or CSP_TEMPLATE.format(port=STATE.proxy_port)) if args.csp else None,
        )
        static = QuietThreadingHTTPServer((host, args.static_port), handler)
        servers.append(static)
        threads.append(threading.Thread(target=static.serve_forever, name="static", daemon=True))

    for t in threads:
        t.start()

    if args.seed and not stop.is_set():
        seed_runtime()
    if args.dev_defaults and not stop.is_set():
        write_dev_defaults(args.dev_defaults)
        with STATE.lock:
            STATE.requests = []  # the dev-defaults AssumeRole is not part of a test's log

    if args.static_dir:
        log(f"emulator static files: http://127.0.0.1:{servers[1].server_address[1]}{args.static_prefix}")
    if not stop.is_set():
        print(f"emulator ready: http://127.0.0.1:{STATE.proxy_port}", flush=True)

    while not stop.is_set():
        stop.wait(0.5)
    for s in servers:
        s.shutdown()
        s.server_close()
    try:
        moto_server.stop()
    except Exception:  # noqa: BLE001 - best effort on shutdown
        pass
    log("emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
