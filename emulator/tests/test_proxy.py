"""End-to-end tests for emulator/server.py (run it as a subprocess)."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import os
import re
import secrets
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

EMULATOR = Path(__file__).resolve().parents[1] / "server.py"
FIXED_AKID = "AKIAIOSFODNN7EXAMPLE"
FIXED_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
BAD_SIG_MSG = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service "
    "documentation for details."
)
ERR_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.coral.service/"
CONTROL_TOKEN = secrets.token_urlsafe(24)
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self, proc: subprocess.Popen, port: int, static_port: int, dev_defaults: dict, dd_path: Path):
        self.proc = proc
        self.port = port
        self.static_port = static_port
        self.url = f"http://127.0.0.1:{port}"
        self.dev = dev_defaults
        self.dd_path = dd_path
        creds = dev_defaults["credentials"]
        self.creds = Credentials(creds["accessKeyId"], creds["secretAccessKey"], creds["sessionToken"])
        self.seeded_id = dev_defaults["agentRuntimeId"]

    # -- control API ------------------------------------------------------
    def control(self, method: str, path: str, body: object | None = None) -> tuple[int, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        data = json.dumps(body).encode() if body is not None else None
        headers = {"X-Emulator-Token": CONTROL_TOKEN}
        if data:
            headers["Content-Type"] = "application/json"
        conn.request(method, "/__emulator/" + path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        return resp.status, json.loads(raw) if raw else None

    def runtime(self, rid: str) -> dict:
        status, doc = self.control("GET", f"runtime/{rid}")
        assert status == 200, doc
        return doc

    def client(self, service: str = "bedrock-agentcore-control", creds: Credentials | None = None, config=NO_RETRY):
        creds = creds or self.creds
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id=creds.access_key,
            aws_secret_access_key=creds.secret_key,
            aws_session_token=creds.token,
            config=config,
        )


@pytest.fixture(scope="session")
def emu(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("emu")
    static_dir = tmp / "site"
    static_dir.mkdir()
    (static_dir / "index.html").write_text("<!doctype html><title>console</title>")
    (static_dir / "app_bg.wasm").write_bytes(b"\x00asm\x01\x00\x00\x00")
    (static_dir / "app.js").write_text("export default 1;\n")
    (static_dir / "app.js.br").write_bytes(b"brotli bytes")
    dd_path = tmp / "dev-defaults.json"
    static_port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(EMULATOR), "--port", "0", "--seed", "--dev-defaults", str(dd_path),
         "--static-dir", str(static_dir), "--static-port", str(static_port),
         "--static-prefix", "/tools/console/", "--csp"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "EMULATOR_CONTROL_TOKEN": CONTROL_TOKEN},
    )
    stderr_lines: list[str] = []
    threading.Thread(target=lambda: stderr_lines.extend(proc.stderr), daemon=True).start()
    port = None
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.match(r"emulator ready: http://127\.0\.0\.1:(\d+)$", line.strip())
        if m:
            port = int(m.group(1))
            break
    if port is None:
        proc.kill()
        raise RuntimeError("emulator did not start: " + "".join(stderr_lines))
    dev = json.loads(dd_path.read_text())
    e = Emulator(proc, port, static_port, dev, dd_path)
    e.stderr_lines = stderr_lines
    yield e
    proc.terminate()
    try:
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.fixture(autouse=True)
def _reset(emu):
    status, _ = emu.control("POST", "reset")
    assert status == 200
    yield


# -- raw signing helpers ---------------------------------------------------

def sign(emu, method, path, body=b"", creds=None, service="bedrock-agentcore", region="us-east-1",
         when: dt.datetime | None = None, headers=None):
    creds = creds if creds is not None else emu.creds
    req = AWSRequest(method=method, url=emu.url + path, data=body,
                     headers={"Content-Type": "application/json", **(headers or {})})
    if when is None:
        SigV4Auth(creds, service, region).add_auth(req)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
            SigV4Auth(creds, service, region).add_auth(req)
    return dict(req.headers.items())


def send(emu, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=15)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def signed(emu, method, path, body=b"", extra_headers=None, **kw):
    headers = sign(emu, method, path, body, **kw)
    headers.update(extra_headers or {})
    return send(emu, method, path, body, headers)


def assert_rejected(status, headers, data, code, message=None):
    assert status == 403
    assert headers["x-amzn-errortype"] == code + ERR_SUFFIX
    assert re.fullmatch(r"[0-9a-f-]{36}", headers["x-amzn-requestid"])
    assert headers["content-type"] == "application/json"
    doc = json.loads(data)
    if message is not None:
        assert doc["message"] == message
    return doc["message"]


def quoted_signing(message: str) -> tuple[str, str]:
    """The canonical request and string to sign an InvalidSignatureException
    message quotes (as AWS does after a signature mismatch)."""
    m = re.fullmatch(
        re.escape(BAD_SIG_MSG)
        + r"\n\nThe Canonical String for this request should have been\n'(.*)'"
        + r"\n\nThe String-to-Sign should have been\n'(.*)'\n",
        message,
        re.S,
    )
    assert m, message
    canonical, string_to_sign = m.groups()
    # the string to sign ends with the hash of the canonical request
    assert string_to_sign.split("\n")[-1] == hashlib.sha256(canonical.encode()).hexdigest()
    assert string_to_sign.startswith("AWS4-HMAC-SHA256\n")
    return canonical, string_to_sign


def server_now(emu) -> dt.datetime:
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    conn.request("GET", "/__emulator/config", headers={"X-Emulator-Token": CONTROL_TOKEN})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    import email.utils
    when = email.utils.parsedate_to_datetime(resp.getheader("Date"))
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


LIST = "/runtimes/"


# -- tests -------------------------------------------------------------------

def test_dev_defaults_file(emu):
    mode = stat.S_IMODE(os.stat(emu.dd_path).st_mode)
    assert mode == 0o600
    assert emu.dev["endpointUrl"] == emu.url
    assert emu.dev["region"] == "us-east-1"
    assert emu.dev["credentials"]["accessKeyId"].startswith("ASIA")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", emu.dev["credentials"]["expiration"])
    # secrets never reach the logs
    log = "".join(emu.stderr_lines)
    assert emu.dev["credentials"]["secretAccessKey"] not in log
    assert emu.dev["credentials"]["sessionToken"] not in log


def test_correct_signature_accepted(emu):
    client = emu.client()
    runtimes = client.list_agent_runtimes()["agentRuntimes"]
    assert emu.seeded_id in [r["agentRuntimeId"] for r in runtimes]
    got = client.get_agent_runtime(agentRuntimeId=emu.seeded_id)
    assert got["agentRuntimeName"] == "sample_agent"
    assert got["environmentVariables"]["MODEL_ID"] == "anthropic.claude-sonnet-4"
    assert got["lifecycleConfiguration"] == {"idleRuntimeSessionTimeout": 900, "maxLifetime": 28800}
    log = emu.control("GET", "requests")[1]
    assert [e["outcome"] for e in log] == ["forwarded", "forwarded"]
    assert log[0]["status"] == 200


def test_raw_signed_request_and_request_id(emu):
    status, headers, data = signed(emu, "POST", LIST, b"{}")
    assert status == 200, data
    assert headers["x-amzn-requestid"]
    assert "agentRuntimes" in json.loads(data)


def test_sts_assume_role_and_session_token_through_proxy(emu):
    fixed = Credentials(FIXED_AKID, FIXED_SECRET)
    sts = emu.client("sts", creds=fixed)
    c = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/Other", RoleSessionName="t1")["Credentials"]
    creds = Credentials(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    assert emu.client(creds=creds).list_agent_runtimes()["agentRuntimes"]
    t = sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert t["AccessKeyId"] != FIXED_AKID  # moto's fixed example keys are replaced
    creds2 = Credentials(t["AccessKeyId"], t["SecretAccessKey"], t["SessionToken"])
    assert emu.client(creds=creds2).list_agent_runtimes()["agentRuntimes"]
    # the session token is required for temporary keys
    bad = Credentials(t["AccessKeyId"], t["SecretAccessKey"], None)
    assert_rejected(*signed(emu, "POST", LIST, b"{}", creds=bad), "UnrecognizedClientException",
                    "The security token included in the request is invalid.")


def test_iam_user_access_key_accepted(emu):
    iam = emu.client("iam", creds=Credentials(FIXED_AKID, FIXED_SECRET))
    iam.create_user(UserName="console-tester")
    k = iam.create_access_key(UserName="console-tester")["AccessKey"]
    creds = Credentials(k["AccessKeyId"], k["SecretAccessKey"])
    assert emu.client(creds=creds).list_agent_runtimes()["agentRuntimes"]


def test_wrong_secret_rejected(emu):
    bad = Credentials(emu.creds.access_key, emu.creds.secret_key[:-1] + "X", emu.creds.token)
    status, headers, data = signed(emu, "POST", LIST, b"{}", creds=bad)
    canonical, _ = quoted_signing(assert_rejected(status, headers, data, "InvalidSignatureException"))
    lines = canonical.split("\n")
    assert lines[:2] == ["POST", LIST.split("?")[0]], lines
    assert f"x-amz-security-token:{emu.creds.token}" in lines
    assert lines[-1] == hashlib.sha256(b"{}").hexdigest()
    # boto3 surfaces the same error code
    with pytest.raises(ClientError) as exc:
        emu.client(creds=bad).list_agent_runtimes()
    assert exc.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_tampered_body_rejected(emu):
    headers = sign(emu, "POST", LIST, b'{"maxResults": 10}')
    status, h, data = send(emu, "POST", LIST, b'{"maxResults": 11}', headers)
    canonical, _ = quoted_signing(assert_rejected(status, h, data, "InvalidSignatureException"))
    assert canonical.endswith(hashlib.sha256(b'{"maxResults": 11}').hexdigest())


def test_tampered_signed_header_rejected(emu):
    headers = sign(emu, "POST", LIST, b"{}")
    headers["Content-Type"] = "application/x-amz-json-1.1"
    quoted_signing(assert_rejected(*send(emu, "POST", LIST, b"{}", headers), "InvalidSignatureException"))


def test_unknown_access_key(emu):
    creds = Credentials("AKIAUNKNOWNEXAMPLE00", "secret")
    assert_rejected(*signed(emu, "POST", LIST, b"{}", creds=creds), "UnrecognizedClientException",
                    "The security token included in the request is invalid.")


def test_wrong_session_token(emu):
    creds = Credentials(emu.creds.access_key, emu.creds.secret_key, emu.creds.token[:-4] + "AAAA")
    assert_rejected(*signed(emu, "POST", LIST, b"{}", creds=creds), "UnrecognizedClientException",
                    "The security token included in the request is invalid.")


def test_missing_authorization(emu):
    status, headers, data = send(emu, "POST", LIST, b"{}", {"Content-Type": "application/json"})
    assert_rejected(status, headers, data, "MissingAuthenticationTokenException", "Missing Authentication Token")
    assert emu.control("GET", "requests")[1][0]["outcome"] == "rejected:MissingAuthenticationTokenException"


def test_malformed_authorization(emu):
    headers = sign(emu, "POST", LIST, b"{}")
    headers["Authorization"] = re.sub(r", Signature=[0-9a-f]+", "", headers["Authorization"])
    msg = assert_rejected(*send(emu, "POST", LIST, b"{}", headers), "IncompleteSignatureException")
    assert "Signature" in msg


def test_clock_skew_expired(emu):
    emu.control("POST", "config", {"clock_offset_seconds": 1200})
    status, headers, data = signed(emu, "POST", LIST, b"{}")
    msg = assert_rejected(status, headers, data, "InvalidSignatureException")
    m = re.fullmatch(r"Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) "
                     r"\((\d{8}T\d{6}Z) - 5 min\.\)", msg)
    assert m, msg
    fmt = "%Y%m%dT%H%M%SZ"
    sent, earliest, now = (dt.datetime.strptime(x, fmt) for x in m.groups())
    assert now - earliest == dt.timedelta(minutes=5)
    assert 1100 <= (now - sent).total_seconds() <= 1300
    # the response Date header follows the server clock
    assert abs((server_now(emu) - dt.datetime.now(dt.timezone.utc)).total_seconds() - 1200) < 30


def test_clock_skew_future(emu):
    emu.control("POST", "config", {"clock_offset_seconds": -1200})
    msg = assert_rejected(*signed(emu, "POST", LIST, b"{}"), "InvalidSignatureException")
    assert re.fullmatch(r"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z "
                        r"\(\d{8}T\d{6}Z \+ 5 min\.\)", msg), msg


def test_expired_temporary_credentials(emu):
    sts = emu.client("sts", creds=Credentials(FIXED_AKID, FIXED_SECRET))
    c = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/Short", RoleSessionName="short",
                        DurationSeconds=900)["Credentials"]
    creds = Credentials(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    emu.control("POST", "config", {"clock_offset_seconds": 1000})
    when = server_now(emu)  # sign with the server's (shifted) clock: only the expiry is wrong
    assert_rejected(*signed(emu, "POST", LIST, b"{}", creds=creds, when=when), "ExpiredTokenException",
                    "The security token included in the request is expired")


def test_inject_two_429_then_pass_through(emu):
    body = '{"message":"Rate exceeded"}'
    status, doc = emu.control("POST", "inject", {"responses": [{
        "status": 429, "count": 2, "body": body,
        "headers": {"x-amzn-ErrorType": "ThrottlingException"},
        "match": {"method": "POST", "path_prefix": "/runtimes/"}}]})
    assert status == 200 and doc["queued"] == 2
    # a request that does not match is not consumed
    emu.control("GET", "requests")
    results = [signed(emu, "POST", LIST, b"{}", extra_headers={"Origin": "http://127.0.0.1:8080"})
               for _ in range(3)]
    assert [r[0] for r in results] == [429, 429, 200]
    st, h, data = results[0]
    assert data.decode() == body
    assert h["x-amzn-errortype"] == "ThrottlingException"
    assert h["access-control-allow-origin"] == "http://127.0.0.1:8080"
    assert "x-amzn-RequestId" in h["access-control-expose-headers"]
    assert re.fullmatch(r"[0-9a-f-]{36}", h["x-amzn-requestid"])
    outcomes = [e["outcome"] for e in emu.control("GET", "requests")[1]]
    assert outcomes == ["injected", "injected", "forwarded"]
    # boto3's retry handles the throttling the same way
    emu.control("POST", "inject", {"responses": [{"status": 429, "count": 2, "body": body,
                                                   "headers": {"x-amzn-ErrorType": "ThrottlingException"}}]})
    client = emu.client(config=Config(retries={"max_attempts": 3, "mode": "standard"}))
    assert client.list_agent_runtimes()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_injection_waits_for_auth_by_default(emu):
    emu.control("POST", "inject", {"responses": [{"status": 500, "body": "{}"}]})
    # unsigned request: rejected, the injection is not consumed
    status, h, _ = send(emu, "POST", LIST, b"{}")
    assert h["x-amzn-errortype"].startswith("MissingAuthenticationTokenException")
    assert signed(emu, "POST", LIST, b"{}")[0] == 500
    # before_auth answers even unsigned requests
    emu.control("POST", "inject", {"responses": [{"status": 503, "body": "x", "before_auth": True}]})
    assert send(emu, "GET", "/anything")[0] == 503


def test_inject_match_method(emu):
    emu.control("POST", "inject", {"responses": [{"status": 409, "body": "{}", "match": {"method": "PUT"}}]})
    assert signed(emu, "POST", LIST, b"{}")[0] == 200  # not matched, not consumed
    assert len(emu.control("GET", "requests")[1]) == 1
    rid = emu.seeded_id
    assert signed(emu, "PUT", f"/runtimes/{rid}/", b"{}")[0] == 409


def test_inject_drop(emu):
    emu.control("POST", "inject", {"responses": [{"drop": True}]})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
        signed(emu, "POST", LIST, b"{}")
    assert signed(emu, "POST", LIST, b"{}")[0] == 200
    outcomes = [e["outcome"] for e in emu.control("GET", "requests")[1]]
    assert outcomes == ["injected", "forwarded"]


def test_inject_drop_after_reading_the_body_of_a_put(emu):
    """A write whose connection drops after its body was read: the body is
    logged, the update is not applied, and the next PUT is answered."""
    rid = emu.seeded_id
    body = json.dumps({"clientToken": "t-0123456789012345678901234567890123"}).encode()
    emu.control("POST", "inject", {"responses": [{"drop": True, "match": {"method": "PUT"}}]})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
        signed(emu, "PUT", f"/runtimes/{rid}/", body)
    log = emu.control("GET", "requests")[1]
    assert [(e["method"], e["outcome"], e["status"], e["body"]) for e in log] == [
        ("PUT", "injected", 0, body.decode())
    ]
    assert signed(emu, "PUT", f"/runtimes/{rid}/", body)[0] >= 200


def test_inject_delay_then_forward(emu):
    emu.control("POST", "inject", {"responses": [{"delay_ms": 400}]})
    t0 = time.monotonic()
    status = signed(emu, "POST", LIST, b"{}")[0]
    assert status == 200
    assert time.monotonic() - t0 >= 0.4


def test_cors_preflight_and_expose_headers(emu):
    origin = "http://127.0.0.1:8080"
    status, h, _ = send(emu, "OPTIONS", f"/runtimes/{emu.seeded_id}/", headers={
        "Origin": origin, "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-security-token"})
    assert status == 204
    assert h["access-control-allow-origin"] == origin
    assert h["access-control-allow-methods"] == "GET,POST,PUT,DELETE,OPTIONS"
    assert h["access-control-allow-headers"] == "authorization,content-type,x-amz-date,x-amz-security-token"
    assert h["access-control-max-age"] == "600"
    # preflight is not logged as an AWS request and needs no auth
    assert emu.control("GET", "requests")[1] == []
    status, h, _ = signed(emu, "POST", LIST, b"{}", extra_headers={"Origin": origin})
    assert status == 200
    assert h["access-control-allow-origin"] == origin
    assert h["access-control-expose-headers"] == "x-amzn-RequestId, x-amzn-ErrorType, x-amz-apigw-id, Date"
    # rejections carry CORS headers too, so the browser can read the error
    status, h, _ = send(emu, "POST", LIST, b"{}", {"Origin": origin})
    assert status == 403 and h["access-control-allow-origin"] == origin
    # without Origin: wildcard
    assert signed(emu, "POST", LIST, b"{}")[1]["access-control-allow-origin"] == "*"


def test_cors_disabled(emu):
    emu.control("POST", "config", {"cors": False})
    origin = "http://127.0.0.1:8080"
    status, h, _ = send(emu, "OPTIONS", LIST, headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert status == 403
    assert not [k for k in h if k.startswith("access-control-")]
    status, h, _ = signed(emu, "POST", LIST, b"{}", extra_headers={"Origin": origin})
    assert status == 200
    assert not [k for k in h if k.startswith("access-control-")]  # incl. moto's own
    emu.control("POST", "inject", {"responses": [{"status": 429, "body": "{}"}]})
    status, h, _ = signed(emu, "POST", LIST, b"{}", extra_headers={"Origin": origin})
    assert status == 429 and not [k for k in h if k.startswith("access-control-")]


def control_raw(emu, method, path, headers, body=None, send_host=True):
    """A control API call with exactly these headers; Host is 127.0.0.1:port
    unless `headers` names one or `send_host` is false."""
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    try:
        conn.putrequest(method, "/__emulator/" + path, skip_host=True)
        if send_host and "Host" not in headers:
            conn.putheader("Host", f"127.0.0.1:{emu.port}")
        for k, v in headers.items():
            conn.putheader(k, v)
        data = json.dumps(body).encode() if body is not None else b""
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, raw
    finally:
        conn.close()


def test_control_api_refuses_a_missing_or_wrong_token(emu):
    for headers in ({}, {"X-Emulator-Token": ""}, {"X-Emulator-Token": CONTROL_TOKEN[:-1]},
                    {"X-Emulator-Token": CONTROL_TOKEN + "x"}, {"X-Emulator-Token": "x" * len(CONTROL_TOKEN)},
                    {"Authorization": f"Bearer {CONTROL_TOKEN}"}):
        status, _, raw = control_raw(emu, "POST", "config", headers, {"cors": False})
        assert status == 403, headers
        assert "X-Emulator-Token" in json.loads(raw)["message"]
        status, _, _ = control_raw(emu, "GET", "requests", headers)
        assert status == 403, headers
    # nothing changed, and the right token works
    status, cfg = emu.control("GET", "config")
    assert status == 200 and cfg["cors"] is True
    assert control_raw(emu, "GET", "config", {"X-Emulator-Token": CONTROL_TOKEN})[0] == 200


def test_control_api_answers_loopback_hosts_only(emu):
    token = {"X-Emulator-Token": CONTROL_TOKEN}
    for host in (f"127.0.0.1:{emu.port}", "127.0.0.1", f"localhost:{emu.port}", "LOCALHOST",
                 f"[::1]:{emu.port}", "[::1]"):
        assert control_raw(emu, "GET", "config", {**token, "Host": host})[0] == 200, host
    # DNS rebinding: a name that resolves to 127.0.0.1 arrives with its own Host
    for host in ("rebind.example", f"rebind.example:{emu.port}", "127.0.0.1.rebind.example",
                 "localhost.rebind.example", "bedrock-agentcore-control.us-east-1.amazonaws.com",
                 "localhost.", "[::2]", "127.0.0.2", ""):
        status, _, raw = control_raw(emu, "POST", "config", {**token, "Host": host}, {"cors": False})
        assert status == 403, host
        assert "127.0.0.1, localhost or [::1]" in json.loads(raw)["message"]
    assert control_raw(emu, "GET", "config", token, send_host=False)[0] == 403
    assert emu.control("GET", "config")[1]["cors"] is True


def test_control_api_never_reflects_an_origin(emu):
    token = {"X-Emulator-Token": CONTROL_TOKEN}
    for origin in ("http://evil.example", "http://127.0.0.1:8080", "null"):
        status, h, _ = control_raw(emu, "GET", "config", {**token, "Origin": origin})
        assert status == 200
        assert not [k for k in h if k.startswith("access-control-")], (origin, h)
        status, h, _ = control_raw(emu, "GET", "config", {"Origin": origin})
        assert status == 403 and not [k for k in h if k.startswith("access-control-")]
        # a browser's preflight for a call with the token header is refused
        status, h, _ = control_raw(emu, "OPTIONS", "reset", {
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-emulator-token"})
        assert status == 403 and not [k for k in h if k.startswith("access-control-")], (origin, h)


def test_aws_api_keeps_cors_and_accepts_any_host(emu):
    """The Host and token rules are the control API's only: an AWS call for
    the real service host (as a relay sends it) is verified and answered
    with CORS, with no control token."""
    origin = "http://evil.example"
    aws_host = "bedrock-agentcore-control.us-east-1.amazonaws.com"
    status, h, data = signed(emu, "POST", LIST, b"{}", headers={"Host": aws_host},
                             extra_headers={"Origin": origin})
    assert status == 200, data
    assert h["access-control-allow-origin"] == origin
    assert "agentRuntimes" in json.loads(data)
    status, h, _ = send(emu, "OPTIONS", LIST, headers={
        "Host": aws_host, "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert status == 204 and h["access-control-allow-origin"] == origin


def _fresh_runtime(emu) -> str:
    status, doc = emu.control("POST", "seed")
    assert status == 200
    return doc["agentRuntimeId"]


def test_update_clears_omitted_members_and_becomes_ready(emu):
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.5})
    before = emu.runtime(rid)
    assert before["description"] and before["lifecycleConfiguration"] and before["protocolConfiguration"]
    client = emu.client()
    resp = client.update_agent_runtime(
        agentRuntimeId=rid,
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.5.0"}},
        roleArn="arn:aws:iam::123456789012:role/AgentRuntimeRole",
        networkConfiguration={"networkMode": "PUBLIC"},
        environmentVariables={"LOG_LEVEL": "debug"},
        platformVersion="2",
    )
    assert resp["status"] == "UPDATING"
    assert resp["agentRuntimeVersion"] == "2"
    after = emu.runtime(rid)
    assert after["status"] == "UPDATING"
    assert after["environmentVariables"] == {"LOG_LEVEL": "debug"}
    assert after["description"] is None
    assert after["lifecycleConfiguration"] is None
    assert after["protocolConfiguration"] is None
    assert after["platformVersion"] == "2"
    assert after["agentRuntimeArtifact"]["containerConfiguration"]["containerUri"].endswith(":1.5.0")
    got = client.get_agent_runtime(agentRuntimeId=rid)
    assert "description" not in got and "protocolConfiguration" not in got
    assert "lifecycleConfiguration" not in got
    assert got["platformVersion"] == "2"
    deadline = time.time() + 10
    while emu.runtime(rid)["status"] != "READY":
        assert time.time() < deadline, "runtime never became READY"
        time.sleep(0.1)
    got = client.get_agent_runtime(agentRuntimeId=rid)
    assert got["status"] == "READY" and "failureReason" not in got
    versions = client.list_agent_runtime_versions(agentRuntimeId=rid)["agentRuntimes"]
    assert {v["agentRuntimeVersion"]: v["status"] for v in versions} == {"1": "READY", "2": "READY"}


def test_update_fail_next_update(emu):
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.3, "fail_next_update": "Image pull failed: manifest unknown"})
    client = emu.client()
    kwargs = dict(
        agentRuntimeId=rid,
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:9.9.9"}},
        roleArn="arn:aws:iam::123456789012:role/AgentRuntimeRole",
        networkConfiguration={"networkMode": "PUBLIC"},
    )
    client.update_agent_runtime(**kwargs)
    assert emu.control("GET", "config")[1]["fail_next_update"] is None
    deadline = time.time() + 10
    while emu.runtime(rid)["status"] == "UPDATING":
        assert time.time() < deadline
        time.sleep(0.1)
    got = client.get_agent_runtime(agentRuntimeId=rid)
    assert got["status"] == "UPDATE_FAILED"
    assert got["failureReason"] == "Image pull failed: manifest unknown"
    # the next update succeeds and clears the failure
    client.update_agent_runtime(**kwargs)
    deadline = time.time() + 10
    while emu.runtime(rid)["status"] != "READY":
        assert time.time() < deadline
        time.sleep(0.1)
    assert "failureReason" not in client.get_agent_runtime(agentRuntimeId=rid)


def test_request_log_redacts_secrets(emu):
    body = b'{"maxResults": 5}'
    signed(emu, "POST", LIST + "?x=1", body, extra_headers={"X-Emulator-Token": CONTROL_TOKEN})
    log = emu.control("GET", "requests")[1]
    assert len(log) == 1
    entry = log[0]
    assert entry["method"] == "POST" and entry["path"] == LIST and entry["query"] == "x=1"
    assert entry["headers"]["authorization"] == "<redacted>"
    assert entry["headers"]["x-amz-security-token"] == "<redacted>"
    assert entry["headers"]["x-amz-date"]
    assert entry["body"] == body.decode()
    assert entry["outcome"] == "forwarded" and entry["status"] == 200
    dump = json.dumps(log)
    assert emu.creds.token not in dump and CONTROL_TOKEN not in dump
    assert "Signature=" not in dump
    stderr = "".join(emu.stderr_lines)
    assert "Signature=" not in stderr and emu.creds.token not in stderr


def test_reset_clears_queue_log_and_config(emu):
    emu.control("POST", "config", {"clock_offset_seconds": 99, "cors": False})
    emu.control("POST", "inject", {"responses": [{"status": 500}]})
    send(emu, "GET", "/x")
    status, cfg = emu.control("POST", "reset")
    assert cfg == {"clock_offset_seconds": 0, "cors": True, "ready_after_seconds": 2.0, "fail_next_update": None, "fail_next_endpoint_update": None,
                   "invoke_event_interval_ms": 300, "sso_credentials_seconds": 3600, "sso_token_seconds": 28800,
                   "sso_device_code_seconds": 600, "sso_interval_seconds": 1, "sso_page_size": 100}
    assert emu.control("GET", "requests")[1] == []
    assert signed(emu, "POST", LIST, b"{}")[0] == 200


def test_static_server(emu):
    base = f"/tools/console/"

    def get(path, headers={}):
        conn = http.client.HTTPConnection("127.0.0.1", emu.static_port, timeout=5)
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    status, h, data = get(base)
    assert status == 200 and b"console" in data and h["content-type"].startswith("text/html")
    csp = h["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp
    assert f"connect-src 'self' http://127.0.0.1:{emu.port} " in csp
    assert get(base + "app_bg.wasm")[1]["content-type"] == "application/wasm"
    status, h, data = get(base + "app.js")
    assert h["content-type"] == "text/javascript" and "content-encoding" not in h and data == b"export default 1;\n"
    # a precompressed sidecar is sent only to clients that take br
    status, h, data = get(base + "app.js", {"Accept-Encoding": "gzip, deflate, br;q=1"})
    assert status == 200 and data == b"brotli bytes"
    assert h["content-type"] == "text/javascript" and h["content-encoding"] == "br" and h["vary"] == "Accept-Encoding"
    assert "content-encoding" not in get(base + "app_bg.wasm", {"Accept-Encoding": "br"})[1]
    status, h, data = get(base + "some/deep/route")
    assert status == 200 and b"console" in data
    status, h, data = get(base + "dev-defaults.json")
    assert status == 200 and h["cache-control"] == "no-store"
    assert json.loads(data)["endpointUrl"] == emu.url
    assert get(base + "../../etc/passwd")[0] in (200, 404)
    assert b"root:" not in get(base + "..%2f..%2f..%2fetc/passwd")[2]


def test_hand_built_signature_accepted(emu):
    """A request signed without botocore (stdlib only) is accepted: the verifier
    checks SigV4 itself, not just botocore-to-botocore agreement."""
    import hashlib
    import hmac as _hmac

    c = emu.creds
    body = b'{"maxResults":7}'
    now = dt.datetime.now(dt.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    host = f"127.0.0.1:{emu.port}"
    path, query = "/runtimes/", "maxResults=7"
    canon_headers = (f"content-type:application/json\nhost:{host}\nx-amz-date:{amz_date}\n"
                     f"x-amz-security-token:{c.token}\n")
    signed_headers = "content-type;host;x-amz-date;x-amz-security-token"
    creq = "\n".join(["POST", path, query, canon_headers, signed_headers, hashlib.sha256(body).hexdigest()])
    scope = f"{amz_date[:8]}/us-east-1/bedrock-agentcore/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + c.secret_key).encode()
    for part in (amz_date[:8], "us-east-1", "bedrock-agentcore", "aws4_request"):
        k = _hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = _hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json", "X-Amz-Date": amz_date, "X-Amz-Security-Token": c.token,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={c.access_key}/{scope}, "
                         f"SignedHeaders={signed_headers}, Signature={sig}",
    }
    status, _, data = send(emu, "POST", f"{path}?{query}", body, headers)
    assert status == 200, data
    headers["Authorization"] = headers["Authorization"][:-1] + ("0" if sig[-1] != "0" else "1")
    msg = assert_rejected(*send(emu, "POST", f"{path}?{query}", body, headers), "InvalidSignatureException")
    # the quoted canonical request and string to sign are the ones computed here by hand
    assert quoted_signing(msg) == (creq, sts)


def test_percent_encoded_path_verified(emu):
    # label with an encoded space and slash: signature covers the double-encoded path
    status, h, data = signed(emu, "GET", "/runtimes/my%20agent%2Fx-1234567890/")
    assert h.get("x-amzn-errortype", "").split(":")[0] not in (
        "InvalidSignatureException", "IncompleteSignatureException"), data


# -- versions and endpoints (moto keeps neither as AWS does) -----------------

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:{}"


def _update(client, rid, tag, **extra):
    return client.update_agent_runtime(
        agentRuntimeId=rid,
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": IMAGE.format(tag)}},
        roleArn="arn:aws:iam::123456789012:role/AgentRuntimeRole",
        networkConfiguration={"networkMode": "PUBLIC"},
        **extra,
    )


def _wait(read, done, what):
    deadline = time.time() + 10
    while True:
        got = read()
        if done(got):
            return got
        assert time.time() < deadline, f"{what}: {got}"
        time.sleep(0.1)


def test_get_agent_runtime_answers_each_version_with_its_own_configuration(emu):
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.2})
    client = emu.client()
    first = client.get_agent_runtime(agentRuntimeId=rid)
    _update(client, rid, "2.0.0", environmentVariables={"LOG_LEVEL": "debug"})
    _wait(lambda: client.get_agent_runtime(agentRuntimeId=rid), lambda g: g["status"] == "READY", "v2 READY")
    _update(client, rid, "3.0.0")
    old = client.get_agent_runtime(agentRuntimeId=rid, agentRuntimeVersion="1")
    assert old["agentRuntimeVersion"] == "1"
    assert old["agentRuntimeArn"].endswith(f":runtime/{rid}"), "AWS's ARN, not moto's agent/<uuid>:<version>"
    assert old["status"] == "READY"
    for member in ("agentRuntimeArtifact", "environmentVariables", "description", "lifecycleConfiguration", "protocolConfiguration"):
        assert old[member] == first[member], member
    two = client.get_agent_runtime(agentRuntimeId=rid, agentRuntimeVersion="2")
    assert two["agentRuntimeArtifact"]["containerConfiguration"]["containerUri"] == IMAGE.format("2.0.0")
    assert two["environmentVariables"] == {"LOG_LEVEL": "debug"}
    assert "description" not in two and "lifecycleConfiguration" not in two
    latest = client.get_agent_runtime(agentRuntimeId=rid)
    assert latest["agentRuntimeVersion"] == "3" and "environmentVariables" not in latest
    three = client.get_agent_runtime(agentRuntimeId=rid, agentRuntimeVersion="3")
    assert three["agentRuntimeVersion"] == "3"
    assert three["agentRuntimeArtifact"] == latest["agentRuntimeArtifact"]
    with pytest.raises(ClientError) as err:
        client.get_agent_runtime(agentRuntimeId=rid, agentRuntimeVersion="9")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_default_endpoint_follows_each_update_and_named_endpoints_stay(emu):
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.3})
    client = emu.client()
    client.create_agent_runtime_endpoint(agentRuntimeId=rid, name="prod", agentRuntimeVersion="1")
    listed = client.list_agent_runtime_endpoints(agentRuntimeId=rid)["runtimeEndpoints"]
    assert {e["name"]: (e["liveVersion"], e["targetVersion"]) for e in listed} == {"DEFAULT": ("1", "1"), "prod": ("1", "1")}
    _update(client, rid, "2.0.0")
    default = client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="DEFAULT")
    assert (default["status"], default["liveVersion"], default["targetVersion"]) == ("UPDATING", "1", "2")
    default = _wait(
        lambda: client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="DEFAULT"),
        lambda g: g["status"] == "READY",
        "DEFAULT READY",
    )
    assert (default["liveVersion"], default["targetVersion"]) == ("2", "2")
    prod = client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod")
    assert (prod["status"], prod["liveVersion"], prod["targetVersion"]) == ("READY", "1", "1")


def test_update_agent_runtime_endpoint_moves_a_named_endpoint(emu):
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.3})
    client = emu.client()
    client.create_agent_runtime_endpoint(agentRuntimeId=rid, name="prod", description="production")
    _update(client, rid, "2.0.0")
    resp = client.update_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod", agentRuntimeVersion="2")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (resp["status"], resp["liveVersion"], resp["targetVersion"]) == ("UPDATING", "1", "2")
    prod = _wait(
        lambda: client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod"),
        lambda g: g["status"] == "READY",
        "prod READY",
    )
    assert (prod["liveVersion"], prod["targetVersion"], prod["description"]) == ("2", "2", "production")
    # back to version 1: the instant way back
    client.update_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod", agentRuntimeVersion="1")
    prod = _wait(
        lambda: client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod"),
        lambda g: g["status"] == "READY",
        "prod READY again",
    )
    assert prod["liveVersion"] == "1"
    with pytest.raises(ClientError) as err:
        client.update_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod", agentRuntimeVersion="7")
    assert err.value.response["Error"]["Code"] == "ValidationException"


def test_endpoint_update_can_fail_with_a_reason(emu):
    rid = _fresh_runtime(emu)
    emu.control("POST", "config", {"ready_after_seconds": 0.2, "fail_next_endpoint_update": "version 2 is not healthy"})
    client = emu.client()
    client.create_agent_runtime_endpoint(agentRuntimeId=rid, name="prod")
    _update(client, rid, "2.0.0")
    client.update_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod", agentRuntimeVersion="2")
    prod = _wait(
        lambda: client.get_agent_runtime_endpoint(agentRuntimeId=rid, endpointName="prod"),
        lambda g: g["status"] != "UPDATING",
        "prod final",
    )
    assert prod["status"] == "UPDATE_FAILED"
    assert prod["failureReason"] == "version 2 is not healthy"
    assert prod["liveVersion"] == "1"
