"""InvokeAgentRuntime (data plane) answered by the emulator's fake agent:
routing of the ARN and qualifier, SigV4 or bearer authorization, SSE and JSON
answers, the payload selectors of docs/emulator.md, CORS."""

from __future__ import annotations

import http.client
import json
import secrets
import time
from urllib.parse import quote

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError

from test_proxy import (  # noqa: F401 (emu and _reset are fixtures)
    CONTROL_TOKEN,
    _fresh_runtime,
    _reset,
    _update,
    _wait,
    assert_rejected,
    emu,
    send,
    sign,
)

SESSION = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"
SESSION_ID = "console-test-session-0123456789abcdef"  # 37 characters
ACCOUNT = "123456789012"
DATA_HOST = "bedrock-agentcore.us-east-1.amazonaws.com"
JWT_AUTHORIZER = {
    "customJWTAuthorizer": {
        "discoveryUrl": "https://idp.example.com/.well-known/openid-configuration",
        "allowedClients": ["console"],
    }
}


def arn(rid: str) -> str:
    return f"arn:aws:bedrock-agentcore:us-east-1:{ACCOUNT}:runtime/{rid}"


def invoke_path(rid: str, query: str = "") -> str:
    # the ARN is a path label: percent-encoded once, ':' and '/' included
    return f"/runtimes/{quote(arn(rid), safe='')}/invocations" + (f"?{query}" if query else "")


def invoke(emu, rid, payload, accept="application/json", query="", headers=None, session=SESSION_ID):  # noqa: F811
    """A SigV4-signed invocation (signed with botocore); returns (status, headers, body)."""
    path = invoke_path(rid, query)
    extra = {"Accept": accept, **({SESSION: session} if session else {}), **(headers or {})}
    body = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    return send(emu, "POST", path, body, sign(emu, "POST", path, body, headers=extra))


def error(status, headers, data):
    return status, headers.get("x-amzn-errortype", "").split(":")[0], json.loads(data)["message"]


def open_stream(emu, rid, payload, query="", headers=None):  # noqa: F811
    """Start an SSE invocation; returns the open connection and response."""
    path = invoke_path(rid, query)
    body = json.dumps(payload).encode()
    extra = {"Accept": "text/event-stream", SESSION: SESSION_ID, **(headers or {})}
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=20)
    conn.request("POST", path, body, sign(emu, "POST", path, body, headers=extra))
    return conn, conn.getresponse()


def read_events(resp):
    """[(arrival time, event)] of an SSE body, read as it arrives."""
    events, buffer = [], b""
    while True:
        data = resp.read1(65536)
        if not data:
            break
        buffer += data
        while b"\n\n" in buffer:
            frame, buffer = buffer.split(b"\n\n", 1)
            assert frame.startswith(b"data: "), frame[:80]
            events.append((time.monotonic(), json.loads(frame[len(b"data: "):])))
    assert buffer == b""
    return events


def bearer_token(emu, rid, **extra):  # noqa: F811
    status, doc = emu.control("POST", "bearer-token", {"agentRuntimeId": rid, **extra})
    assert status == 200, doc
    return doc["token"]


def jwt_runtime(emu) -> str:  # noqa: F811
    resp = emu.client().create_agent_runtime(
        agentRuntimeName=f"jwt_agent_{secrets.token_hex(4)}",
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/a:1"}},
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/AgentRuntimeRole",
        networkConfiguration={"networkMode": "PUBLIC"},
        authorizerConfiguration=JWT_AUTHORIZER,
    )
    return resp["agentRuntimeId"]


@pytest.fixture(autouse=True)
def _fast_agent(emu):  # noqa: F811
    emu.control("POST", "config", {"invoke_event_interval_ms": 0})


# -- routing and signature ----------------------------------------------------

def test_the_seeded_runtime_answers_a_signed_invocation_with_json(emu):  # noqa: F811
    status, h, data = invoke(emu, emu.seeded_id, {"prompt": "hello"},
                             headers={"X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793",
                                      "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                      "Mcp-Session-Id": "mcp-1", "baggage": "userId=alice",
                                      "X-Amzn-Bedrock-AgentCore-Runtime-User-Id": "user-7"})
    assert status == 200, data
    assert h["content-type"] == "application/json"
    assert h[SESSION.lower()] == SESSION_ID
    assert h["x-amzn-trace-id"] == "Root=1-5759e988-bd862e3fe1be46a994272793"
    assert h["traceparent"] == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert (h["mcp-session-id"], h["baggage"]) == ("mcp-1", "userId=alice")
    doc = json.loads(data)
    assert doc["payload"] == {"prompt": "hello"}
    assert (doc["agentRuntimeVersion"], doc["endpointName"], doc["sessionId"]) == ("1", "DEFAULT", SESSION_ID)
    assert doc["agentRuntimeArn"] == arn(emu.seeded_id)
    assert doc["userId"] == "user-7"
    assert doc["text"] == "Echo from sample_agent version 1 (endpoint DEFAULT): hello"
    assert emu.control("GET", "requests")[1][-1]["outcome"] == "invoked"


def test_boto3_invoke_agent_runtime_encodes_the_arn_and_is_answered(emu):  # noqa: F811
    client = emu.client("bedrock-agentcore")
    resp = client.invoke_agent_runtime(agentRuntimeArn=arn(emu.seeded_id), payload=b'{"prompt": "hi"}',
                                       runtimeSessionId=SESSION_ID)
    assert resp["runtimeSessionId"] == SESSION_ID and resp["contentType"] == "application/json"
    assert json.loads(resp["response"].read())["payload"] == {"prompt": "hi"}
    logged = emu.control("GET", "requests")[1][-1]["path"]
    assert logged == f"/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-east-1%3A{ACCOUNT}%3Aruntime%2F{emu.seeded_id}/invocations"
    # without a session id boto3 makes one (idempotency token); the answer carries it back
    resp = client.invoke_agent_runtime(agentRuntimeArn=arn(emu.seeded_id), payload=b"{}")
    assert len(resp["runtimeSessionId"]) >= 33
    # the runtime id with accountId instead of the ARN
    resp = client.invoke_agent_runtime(agentRuntimeArn=emu.seeded_id, accountId=ACCOUNT, payload=b"{}")
    assert json.loads(resp["response"].read())["agentRuntimeId"] == emu.seeded_id


def test_a_bad_signature_is_refused(emu):  # noqa: F811
    path = invoke_path(emu.seeded_id)
    headers = sign(emu, "POST", path, b'{"prompt": "a"}')
    status, h, data = send(emu, "POST", path, b'{"prompt": "b"}', headers)  # body not the one signed
    assert_rejected(status, h, data, "InvalidSignatureException")
    # signed with the ARN encoded once only (as if the canonical URI were not encoded again)
    once = "/runtimes/" + quote(arn(emu.seeded_id), safe="") + "/invocations"
    req = AWSRequest(method="POST", url=emu.url + once, data=b"{}")
    SigV4Auth(emu.creds, "bedrock-agentcore", "us-east-1").add_auth(req)
    good = dict(req.headers.items())
    assert send(emu, "POST", once, b"{}", good)[0] == 200
    unencoded = "/runtimes/" + arn(emu.seeded_id).replace("/", "%2F") + "/invocations"  # ':' left as is
    status, h, data = send(emu, "POST", unencoded, b"{}", good)
    assert_rejected(status, h, data, "InvalidSignatureException")
    status, h, data = send(emu, "POST", once, b"{}", {})
    assert_rejected(status, h, data, "MissingAuthenticationTokenException")


def test_the_data_plane_hosts_are_answered_for_their_own_region(emu):  # noqa: F811
    path = invoke_path(emu.seeded_id)
    for host, region, expected in (
        (DATA_HOST, "us-east-1", 200),
        ("bedrock-agentcore-fips.us-east-1.amazonaws.com", "us-east-1", 200),
        ("bedrock-agentcore.us-east-1.api.aws", "us-east-1", 200),
        (DATA_HOST, "eu-west-1", 403),
        ("bedrock-agentcore.example.com", "us-east-1", 403),
    ):
        req = AWSRequest(method="POST", url=f"https://{host}{path}", data=b"{}")
        SigV4Auth(emu.creds, "bedrock-agentcore", region).add_auth(req)
        headers = {**dict(req.headers.items()), "Host": host}
        status, _, data = send(emu, "POST", path, b"{}", headers)
        assert status == expected, (host, region, data)
    # a bearer-token runtime checks the host too
    rid = jwt_runtime(emu)
    headers = {"Host": "bedrock-agentcore.example.com", "Authorization": f"Bearer {bearer_token(emu, rid)}"}
    assert_rejected(*send(emu, "POST", invoke_path(rid), b"{}", headers), "UnrecognizedHostException")
    headers["Host"] = DATA_HOST
    assert send(emu, "POST", invoke_path(rid), b"{}", headers)[0] == 200


def test_qualifier_selects_default_a_named_endpoint_or_a_version(emu):  # noqa: F811
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.2})
    client = emu.client()
    client.create_agent_runtime_endpoint(agentRuntimeId=rid, name="prod", agentRuntimeVersion="1")
    _update(client, rid, "2.0.0")
    _wait(lambda: client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="DEFAULT"),
          lambda g: g["liveVersion"] == "2", "DEFAULT on version 2")

    def answered(query):
        status, _, data = invoke(emu, rid, {"prompt": "q"}, query=query)
        assert status == 200, (query, data)
        doc = json.loads(data)
        return doc["agentRuntimeVersion"], doc["endpointName"]

    assert answered("") == ("2", "DEFAULT")
    assert answered("qualifier=DEFAULT") == ("2", "DEFAULT")
    assert answered("qualifier=prod") == ("1", "prod")
    assert answered("qualifier=1") == ("1", None)
    assert answered("qualifier=2") == ("2", None)


def test_unknown_runtime_endpoint_or_version_is_not_found(emu):  # noqa: F811
    assert error(*invoke(emu, "nosuch_agent-0123456789", {"prompt": "x"}))[:2] == (404, "ResourceNotFoundException")
    status, code, message = error(*invoke(emu, emu.seeded_id, {"prompt": "x"}, query="qualifier=staging"))
    assert (status, code) == (404, "ResourceNotFoundException") and "'staging'" in message
    assert error(*invoke(emu, emu.seeded_id, {"prompt": "x"}, query="qualifier=9"))[:2] == (404, "ResourceNotFoundException")
    # boto3 reads it as the model's error shape
    with pytest.raises(ClientError) as err:
        emu.client("bedrock-agentcore").invoke_agent_runtime(
            agentRuntimeArn=arn(emu.seeded_id), qualifier="staging", payload=b"{}")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_session_id_and_payload_are_validated(emu):  # noqa: F811
    status, code, message = error(*invoke(emu, emu.seeded_id, {"prompt": "x"}, session="too-short"))
    assert (status, code) == (400, "ValidationException") and SESSION in message
    assert error(*invoke(emu, emu.seeded_id, b""))[:2] == (400, "ValidationException")
    # no session id: the emulator makes one and says which
    status, h, data = invoke(emu, emu.seeded_id, {"prompt": "x"}, session=None)
    assert status == 200 and json.loads(data)["sessionId"] == h[SESSION.lower()]
    assert len(h[SESSION.lower()]) >= 33


# -- the fake agent -------------------------------------------------------------

def test_sse_events_arrive_one_by_one_over_time(emu):  # noqa: F811
    emu.control("POST", "config", {"invoke_event_interval_ms": 150})
    conn, resp = open_stream(emu, emu.seeded_id, {"prompt": "stream me"})
    try:
        assert resp.status == 200
        assert resp.getheader("Content-Type") == "text/event-stream"
        assert resp.getheader("Transfer-Encoding") == "chunked"
        assert resp.getheader(SESSION) == SESSION_ID
        events = read_events(resp)
    finally:
        conn.close()
    kinds = [e["type"] for _, e in events]
    assert kinds == ["start"] + ["text"] * 5 + ["end"]
    start, end = events[0][1], events[-1][1]
    assert (start["agentRuntimeVersion"], start["endpointName"], start["sessionId"]) == ("1", "DEFAULT", SESSION_ID)
    assert "".join(e["text"] for _, e in events if e["type"] == "text") == end["text"]
    assert end["payload"] == {"prompt": "stream me"}
    # six pauses of 150 ms: the start event was read long before the end was made
    assert events[-1][0] - events[0][0] > 0.5


def test_emulator_selector_sets_events_and_their_interval(emu):  # noqa: F811
    conn, resp = open_stream(emu, emu.seeded_id, {"prompt": "p", "emulator": {"events": 12, "intervalMs": 0}})
    events = read_events(resp)
    conn.close()
    assert [e["type"] for _, e in events].count("text") == 12
    status, code, message = error(*invoke(emu, emu.seeded_id, {"emulator": {"events": 0}}))
    assert (status, code) == (424, "RuntimeClientError") and "emulator.events" in message


def test_json_mode_answers_one_document(emu):  # noqa: F811
    status, h, data = invoke(emu, emu.seeded_id, b"plain words", accept="*/*", headers={"Content-Type": "text/plain"})
    assert status == 200 and h["content-type"] == "application/json"
    assert "transfer-encoding" not in h and int(h["content-length"]) == len(data)
    doc = json.loads(data)
    assert doc["payload"] == "plain words" and doc["text"].endswith(": plain words")
    doc = json.loads(invoke(emu, emu.seeded_id, "a JSON string")[2])
    assert doc["payload"] == "a JSON string" and doc["text"].endswith(": a JSON string")


def test_prompt_fail_is_the_agents_own_error_424(emu):  # noqa: F811
    status, code, message = error(*invoke(emu, emu.seeded_id, {"prompt": "fail"}, accept="text/event-stream"))
    assert (status, code, message) == (424, "RuntimeClientError", 'The agent failed, as asked (prompt "fail").')
    status, code, message = error(*invoke(emu, emu.seeded_id, {"emulator": {"fail": "tool 'search' timed out"}}))
    assert (status, code, message) == (424, "RuntimeClientError", "tool 'search' timed out")
    with pytest.raises(ClientError) as err:
        emu.client("bedrock-agentcore").invoke_agent_runtime(agentRuntimeArn=arn(emu.seeded_id), payload=b'{"prompt": "fail"}')
    assert err.value.response["Error"]["Code"] == "RuntimeClientError"


def test_prompt_slow_streams_an_event_a_second_and_stop_leaves_the_emulator_well(emu):  # noqa: F811
    conn, resp = open_stream(emu, emu.seeded_id, {"prompt": "slow"})
    first = resp.read1(65536)
    assert first.startswith(b'data: {"type":"start"')
    started = time.monotonic()
    second = resp.read1(65536)
    assert b'"type":"text","index":0' in second
    assert time.monotonic() - started > 0.5  # the next event came about a second later
    conn.close()  # Stop: the client goes away mid-stream
    assert invoke(emu, emu.seeded_id, {"prompt": "after stop"})[0] == 200


@pytest.mark.parametrize("accept", ["text/event-stream", "application/json"])
def test_big_stream_is_exactly_the_bytes_asked_for(emu, accept):  # noqa: F811
    path = invoke_path(emu.seeded_id)
    body = b'{"prompt": "big"}'
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=60)
    conn.request("POST", path, body, sign(emu, "POST", path, body, headers={"Accept": accept, SESSION: SESSION_ID}))
    resp = conn.getresponse()
    total, reads, tail = 0, 0, b""
    while chunk := resp.read1(1 << 20):
        total += len(chunk)
        reads += 1
        tail = (tail + chunk)[-64:]
    conn.close()
    assert resp.status == 200 and resp.getheader("Content-Type") == accept
    assert total == 20_000_000 and reads > 1
    assert tail.endswith(b'"}\n\n' if accept == "text/event-stream" else b'"}')
    # an odd size, so that the last events are split, still comes out exact and well formed
    conn, resp = open_stream(emu, emu.seeded_id, {"emulator": {"streamBytes": 3 * 65536 + 17}})
    raw = resp.read()
    conn.close()
    assert len(raw) == 3 * 65536 + 17
    assert all(f.startswith(b'data: {"type":"text","text":"') for f in raw.split(b"\n\n")[:-1])


def test_injected_errors_answer_the_invoke_route(emu):  # noqa: F811
    emu.control("POST", "inject", {"responses": [{
        "status": 429, "headers": {"x-amzn-ErrorType": "ThrottlingException"},
        "body": {"message": "Rate exceeded"}, "match": {"path_prefix": "/runtimes/arn"}}]})
    assert error(*invoke(emu, emu.seeded_id, {"prompt": "x"})) == (429, "ThrottlingException", "Rate exceeded")
    assert invoke(emu, emu.seeded_id, {"prompt": "x"})[0] == 200


# -- runtimes with a custom JWT authorizer ----------------------------------------

def bearer_invoke(emu, rid, token, payload=b'{"prompt": "jwt"}', authorization=None):  # noqa: F811
    headers = {"Content-Type": "application/json", SESSION: SESSION_ID,
               "Authorization": authorization or f"Bearer {token}"}
    return send(emu, "POST", invoke_path(rid), payload, headers)


def test_jwt_runtime_takes_a_bearer_token_and_refuses_sigv4(emu):  # noqa: F811
    rid = jwt_runtime(emu)
    token = bearer_token(emu, rid)
    status, h, data = bearer_invoke(emu, rid, token)
    assert status == 200, data
    assert json.loads(data)["agentRuntimeId"] == rid and h[SESSION.lower()] == SESSION_ID
    # the token is redacted in the request log
    assert token not in json.dumps(emu.control("GET", "requests")[1])
    # SigV4, however good, is the wrong method for this runtime
    status, h, data = invoke(emu, rid, {"prompt": "x"})
    message = assert_rejected(status, h, data, "AccessDeniedException")
    assert "Authorization method mismatch" in message and "Bearer" in message
    # a wrong token, one issued for another runtime, an expired one, none
    message = assert_rejected(*bearer_invoke(emu, rid, token + "x"), "AccessDeniedException")
    assert message == f"The bearer token is not valid for agent runtime {rid}."
    assert_rejected(*bearer_invoke(emu, rid, bearer_token(emu, emu.seeded_id)), "AccessDeniedException")
    message = assert_rejected(*bearer_invoke(emu, rid, bearer_token(emu, rid, expiresInSeconds=-1)), "AccessDeniedException")
    assert message == "The bearer token has expired."
    status, h, data = send(emu, "POST", invoke_path(rid), b"{}", {"Content-Type": "application/json"})
    assert "Bearer" in assert_rejected(status, h, data, "AccessDeniedException")
    # an unknown qualifier is still answered only after the bearer check
    assert_rejected(*send(emu, "POST", invoke_path(rid, "qualifier=nope"), b"{}", {}), "AccessDeniedException")
    status, h, data = send(emu, "POST", invoke_path(rid, "qualifier=nope"), b"{}", {"Authorization": f"Bearer {token}"})
    assert error(status, h, data)[:2] == (404, "ResourceNotFoundException")


def test_a_sigv4_runtime_refuses_a_bearer_token(emu):  # noqa: F811
    token = bearer_token(emu, emu.seeded_id)
    status, h, data = bearer_invoke(emu, emu.seeded_id, token)
    assert_rejected(status, h, data, "IncompleteSignatureException")


def test_bearer_tokens_come_only_from_the_control_api(emu):  # noqa: F811
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    conn.request("POST", "/__emulator/bearer-token", json.dumps({"agentRuntimeId": emu.seeded_id}),
                 {"Content-Type": "application/json"})
    resp = conn.getresponse()
    assert resp.status == 403 and "token" not in json.loads(resp.read())
    conn.close()
    assert emu.control("POST", "bearer-token", {"agentRuntimeId": "nosuch-0123456789"})[0] == 404
    status, doc = emu.control("POST", "bearer-token", {"agentRuntimeId": emu.seeded_id})
    assert status == 200 and len(doc["token"]) >= 40 and doc["expiresAt"].endswith("Z")
    assert CONTROL_TOKEN != doc["token"]


# -- CORS --------------------------------------------------------------------------

def test_cors_preflight_and_exposed_headers_of_the_invoke_route(emu):  # noqa: F811
    origin = "http://127.0.0.1:8080"
    asked = ("authorization,content-type,accept,x-amz-date,x-amz-security-token,"
             "x-amzn-bedrock-agentcore-runtime-session-id,x-amzn-bedrock-agentcore-runtime-user-id,traceparent")
    status, h, _ = send(emu, "OPTIONS", invoke_path(emu.seeded_id, "qualifier=DEFAULT"), headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": asked})
    assert status == 204
    assert h["access-control-allow-origin"] == origin
    assert "POST" in h["access-control-allow-methods"].split(",")
    assert h["access-control-allow-headers"] == asked
    exposed = [x.strip() for x in h["access-control-expose-headers"].split(",")]
    assert SESSION in exposed and "x-amzn-ErrorType" in exposed
    # the streamed answer itself carries them, and so does an error
    conn, resp = open_stream(emu, emu.seeded_id, {"prompt": "cors"}, headers={"Origin": origin})
    resp.read()
    conn.close()
    assert resp.getheader("Access-Control-Allow-Origin") == origin
    assert resp.getheader("Access-Control-Expose-Headers") == h["access-control-expose-headers"]
    status, h2, _ = invoke(emu, emu.seeded_id, {"prompt": "fail"}, headers={"Origin": origin})
    assert status == 424 and h2["access-control-allow-origin"] == origin
    assert h2["access-control-expose-headers"] == h["access-control-expose-headers"]
    # other routes keep their list
    status, h3, _ = send(emu, "OPTIONS", f"/runtimes/{emu.seeded_id}/", headers={
        "Origin": origin, "Access-Control-Request-Method": "PUT"})
    assert SESSION not in h3["access-control-expose-headers"]


def test_json_answer_comes_after_as_long_as_the_stream_would_take(emu):  # noqa: F811
    started = time.monotonic()
    status, _, data = invoke(emu, emu.seeded_id, {"prompt": "p", "emulator": {"events": 2, "intervalMs": 200}})
    assert status == 200 and json.loads(data)["text"].endswith(": p")
    assert time.monotonic() - started >= 0.6  # three pauses: before each text event and the end
