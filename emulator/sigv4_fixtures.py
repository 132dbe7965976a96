#!/usr/bin/env python3
"""Write SigV4 signing fixtures computed ONLY by botocore's SigV4Auth.

The Rust signer is checked against these (tests/fixtures/sigv4.json), so the
expected values come from an independent implementation.

Each signed request carries exactly: the case's headers, host (from the URL,
computed by botocore), x-amz-date and, when a session token is given,
x-amz-security-token.  No x-amz-content-sha256 header.

Also writes tests/fixtures/invoke_sigv4.json: InvokeAgentRuntime requests (data plane)
serialized by botocore's own rest-json serializer from the vendored model
(model/bedrock-agentcore.json), then signed as above with the headers the console signs
(content-type when set, host, x-amz-date, x-amz-security-token).

Usage: python emulator/sigv4_fixtures.py [--out tests/fixtures/sigv4.json] [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from unittest import mock

import botocore
import botocore.auth
import botocore.model
import botocore.serialize
from botocore.awsrequest import prepare_request_dict
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "sigv4.json"
INVOKE_OUT = ROOT / "tests" / "fixtures" / "invoke_sigv4.json"
DATA_PLANE_MODEL = ROOT / "model" / "bedrock-agentcore.json"
RUNTIME_ARN = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/sample_agent-Ab12Cd34Ef"
SESSION_ID = "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f-try"

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = (
    "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLE+"
    "token/with+slashes=and==padding"
)
TS = "20261128T213000Z"
US = "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
JSON_CT = [["content-type", "application/json"]]
ROLE = "arn:aws:iam::123456789012:role/AgentRuntimeRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.4.2"


def _json(obj: object) -> str:
    # compact, UTF-8 (not \u escapes), key order as written
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _update_body(**extra: object) -> str:
    body = {
        "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": IMAGE}},
        "roleArn": ROLE,
        "networkConfiguration": {"networkMode": "PUBLIC"},
    }
    body.update(extra)
    return _json(body)


def _long(n: int, seed: str) -> str:
    pattern = f"{seed}-0123456789abcdefghijklmnopqrstuvwxyz_"
    return (pattern * (n // len(pattern) + 1))[:n]


def cases() -> list[dict]:
    base = {
        "region": "us-east-1",
        "service": "bedrock-agentcore",
        "access_key_id": AKID,
        "secret_access_key": SECRET,
        "session_token": None,
        "timestamp": TS,
    }

    def case(name: str, method: str, url: str, headers: list, body: str, **over: object) -> dict:
        c = {"name": name, "method": method, "url": url, "headers": headers, "body": body}
        c.update(base)
        c.update(over)
        return c

    env50 = {f"VAR_{i:02d}": _long(5000, f"v{i:02d}") for i in range(50)}
    return [
        case("put_update_simple", "PUT", f"{US}/runtimes/abc-1234567890/", JSON_CT,
             _update_body(description="Production agent",
                          environmentVariables={"LOG_LEVEL": "info"})),
        case("put_update_non_ascii", "PUT", f"{US}/runtimes/abc-1234567890/", JSON_CT,
             _update_body(description="Café ☕ 日本語 emoji 🚀",
                          environmentVariables={"GREETING": "¡Hola! Grüße 👋"})),
        case("put_update_maximum_lengths", "PUT", f"{US}/runtimes/abc-1234567890/", JSON_CT,
             _update_body(description=_long(4096, "desc"), environmentVariables=env50)),
        case("get_percent_encoded_label", "GET", f"{US}/runtimes/my%20agent%2Fx-1234567890/", [], ""),
        case("get_with_version_query", "GET", f"{US}/runtimes/abc-1234567890/?version=3", [], ""),
        case("post_list_with_pagination_query", "POST",
             f"{US}/runtimes/?maxResults=10&nextToken=abc%2Bdef%3D%3D", JSON_CT, ""),
        case("post_unsorted_query", "POST", f"{US}/runtimes/?nextToken=t&maxResults=5", JSON_CT, "{}"),
        case("post_list_versions_empty_object", "POST", f"{US}/runtimes/abc-1234567890/versions/",
             JSON_CT, "{}"),
        case("put_update_with_session_token", "PUT", f"{US}/runtimes/abc-1234567890/", JSON_CT,
             _update_body(description="temporary credentials"), session_token=SESSION_TOKEN),
        case("get_empty_body_with_session_token", "GET", f"{US}/runtimes/abc-1234567890/", [], "",
             session_token=SESSION_TOKEN),
        case("put_update_eu_west_1", "PUT",
             "https://bedrock-agentcore-control.eu-west-1.amazonaws.com/runtimes/abc-1234567890/",
             JSON_CT, _update_body(), region="eu-west-1"),
        case("get_cn_north_1", "GET",
             "https://bedrock-agentcore-control.cn-north-1.amazonaws.com.cn/runtimes/abc-1234567890/",
             [], "", region="cn-north-1", session_token=SESSION_TOKEN),
        case("put_update_custom_endpoint_with_port", "PUT",
             "http://127.0.0.1:4566/runtimes/abc-1234567890/", JSON_CT,
             _update_body(description="local emulator"), session_token=SESSION_TOKEN),
        case("put_update_year_boundary_timestamp", "PUT", f"{US}/runtimes/abc-1234567890/", JSON_CT,
             _update_body(), timestamp="20261231T235959Z"),
    ]


def sign_case(c: dict) -> dict:
    when = dt.datetime.strptime(c["timestamp"], "%Y%m%dT%H%M%SZ")
    req = AWSRequest(method=c["method"], url=c["url"], data=c["body"].encode("utf-8"))
    for name, value in c["headers"]:
        req.headers[name] = value
    creds = Credentials(c["access_key_id"], c["secret_access_key"], c["session_token"])
    signer = SigV4Auth(creds, c["service"], c["region"])
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        signer.add_auth(req)
    assert req.context["timestamp"] == c["timestamp"]
    assert "X-Amz-Content-SHA256" not in req.headers
    authorization = req.headers["Authorization"]
    # recompute the intermediate values from the request as sent, minus Authorization
    del req.headers["Authorization"]
    canonical = signer.canonical_request(req)
    string_to_sign = signer.string_to_sign(req, canonical)
    signature = signer.signature(string_to_sign, req)
    signed_headers = signer.signed_headers(signer.headers_to_sign(req))
    assert authorization.endswith(f"Signature={signature}"), "add_auth and recomputation disagree"
    expected_names = {h[0].lower() for h in c["headers"]} | {"host", "x-amz-date"}
    if c["session_token"]:
        expected_names.add("x-amz-security-token")
    assert signed_headers == ";".join(sorted(expected_names)), signed_headers
    out = dict(c)
    out["expected"] = {
        "canonical_request": canonical,
        "string_to_sign": string_to_sign,
        "signed_headers": signed_headers,
        "signature": signature,
        "authorization": authorization,
    }
    return out


def invoke_cases() -> list[dict]:
    payload = _json({"prompt": "Hello, agent! Grüße 👋"})
    return [
        {"name": "invoke_arn_payload_session", "region": "us-east-1", "session_token": None,
         "input": {"agentRuntimeArn": RUNTIME_ARN, "runtimeSessionId": SESSION_ID,
                   "contentType": "application/json", "accept": "application/json, text/event-stream",
                   "payload": payload}},
        {"name": "invoke_qualifier_account_headers_token", "region": "us-east-1",
         "session_token": SESSION_TOKEN,
         "input": {"agentRuntimeArn": RUNTIME_ARN, "qualifier": "DEFAULT", "accountId": "123456789012",
                   "runtimeSessionId": SESSION_ID, "runtimeUserId": "user@example.com",
                   "contentType": "application/json", "traceId": "Root=1-5759e988-bd862e3fe1be46a994272793",
                   "baggage": "userId=alice,isProduction=false", "payload": payload}},
        {"name": "invoke_text_payload_no_content_type", "region": "eu-west-1", "session_token": None,
         "input": {"agentRuntimeArn": RUNTIME_ARN.replace("us-east-1", "eu-west-1"),
                   "runtimeSessionId": SESSION_ID, "qualifier": "prod endpoint/1", "payload": "plain text"}},
    ]


def invoke_case(c: dict) -> dict:
    model = botocore.model.ServiceModel(json.loads(DATA_PLANE_MODEL.read_text(encoding="utf-8")),
                                        "bedrock-agentcore")
    op = model.operation_model("InvokeAgentRuntime")
    params = dict(c["input"])
    params["payload"] = params["payload"].encode("utf-8")
    endpoint = f"https://bedrock-agentcore.{c['region']}.amazonaws.com"
    request_dict = botocore.serialize.create_serializer("rest-json").serialize_to_request(params, op)
    prepare_request_dict(request_dict, endpoint)
    body = request_dict["body"]
    body = body.decode("utf-8") if isinstance(body, bytes) else body
    headers = sorted([k.lower(), v] for k, v in request_dict["headers"].items())
    signed = [h for h in headers if h[0] == "content-type"]
    case = {"name": c["name"], "method": request_dict["method"], "url": request_dict["url"],
            "headers": signed, "body": body, "region": c["region"], "service": "bedrock-agentcore",
            "access_key_id": AKID, "secret_access_key": SECRET, "session_token": c["session_token"],
            "timestamp": TS}
    out = sign_case(case)
    out["input"] = c["input"]
    out["sent_headers"] = headers
    return out


def build_invoke() -> dict:
    return {
        "generator": f"botocore {botocore.__version__} rest-json serializer + SigV4Auth",
        "cases": [invoke_case(c) for c in invoke_cases()],
    }


def build() -> dict:
    return {
        "generator": f"botocore {botocore.__version__} SigV4Auth",
        "cases": [sign_case(c) for c in cases()],
    }


def render(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if the file differs from a fresh build")
    args = ap.parse_args(argv)
    status = 0
    for out, text in ((args.out, render(build())), (INVOKE_OUT, render(build_invoke()))):
        if args.check:
            current = out.read_text(encoding="utf-8") if out.exists() else ""
            if current != text:
                print(f"{out} is out of date; run emulator/sigv4_fixtures.py", file=sys.stderr)
                status = 1
            else:
                print(f"{out} is up to date")
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out} ({len(json.loads(text)['cases'])} cases)")
    return status


if __name__ == "__main__":
    sys.exit(main())
