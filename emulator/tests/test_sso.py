"""IAM Identity Center in the emulator (emulator/sso.py): the device-code
sign-in (sso-oidc) and the access portal (sso), called with boto3 (the
reference client, which parses both error forms) and raw HTTP (the wire
format itself), approved or denied through the control API; the role
credentials it issues sign control-plane and data-plane requests."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import boto3
import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from test_proxy import CONTROL_TOKEN, _reset, emu, send, sign  # noqa: F401 (emu and _reset are fixtures)

START_URL = "https://d-1234567890.awsapps.com/start"
GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SANDBOX, PRODUCTION = "123456789012", "210987654321"
UNSIGNED_NO_RETRY = Config(signature_version=UNSIGNED, retries={"max_attempts": 1, "mode": "standard"})
OIDC_HOST = "oidc.us-east-1.amazonaws.com"
PORTAL_HOST = "portal.sso.us-east-1.amazonaws.com"


def oidc(emu):  # noqa: F811
    return boto3.client("sso-oidc", endpoint_url=emu.url, region_name="us-east-1", config=UNSIGNED_NO_RETRY)


def portal(emu):  # noqa: F811
    return boto3.client("sso", endpoint_url=emu.url, region_name="us-east-1", config=UNSIGNED_NO_RETRY)


def code_of(err: ClientError) -> str:
    return err.response["Error"]["Code"]


def register(emu):  # noqa: F811
    return oidc(emu).register_client(clientName="agentcore-console", clientType="public", scopes=["sso:account:access"])


def start(emu, client=None):  # noqa: F811
    client = client or register(emu)
    device = oidc(emu).start_device_authorization(
        clientId=client["clientId"], clientSecret=client["clientSecret"], startUrl=START_URL)
    return client, device


def create_token(emu, client, device):  # noqa: F811
    return oidc(emu).create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                                  grantType=GRANT, deviceCode=device["deviceCode"])


def decide(emu, decision="approve", user_code=None):  # noqa: F811
    body = {"decision": decision, **({"userCode": user_code} if user_code else {})}
    return emu.control("POST", "sso-device", body)


def signed_in(emu):  # noqa: F811
    """An access token, through the whole device-code flow."""
    client, device = start(emu)
    assert decide(emu, user_code=device["userCode"])[0] == 200
    return create_token(emu, client, device)["accessToken"]


def raw(emu, method, path, body=None, headers=None):  # noqa: F811
    data = json.dumps(body).encode() if body is not None else b""
    return send(emu, method, path, data, {"Content-Type": "application/json", **(headers or {})})


# -- OIDC ----------------------------------------------------------------------

def test_register_client_answers_a_public_client(emu):  # noqa: F811
    client = register(emu)
    assert len(client["clientId"]) > 10 and len(client["clientSecret"]) > 40
    assert client["clientSecretExpiresAt"] > client["clientIdIssuedAt"] > 0
    for kwargs, code in [
        ({"clientType": "confidential"}, "InvalidClientMetadataException"),
        ({"clientType": "public", "scopes": ["openid"]}, "InvalidScopeException"),
        ({"clientType": "public", "grantTypes": ["authorization_code"]}, "UnsupportedGrantTypeException"),
        ({"clientType": "public", "redirectUris": ["http://127.0.0.1/cb"]}, "InvalidRedirectUriException"),
    ]:
        with pytest.raises(ClientError) as err:
            oidc(emu).register_client(clientName="x", **kwargs)
        assert code_of(err.value) == code, kwargs


def test_start_device_authorization_answers_the_device_and_user_codes(emu):  # noqa: F811
    _, device = start(emu)
    assert device["interval"] == 1 and device["expiresIn"] == 600
    assert len(device["userCode"]) == 9 and device["userCode"][4] == "-"
    assert device["verificationUriComplete"] == f"{device['verificationUri']}?user_code={device['userCode']}"
    assert device["verificationUri"] == "https://device.sso.us-east-1.amazonaws.com/"
    view = emu.control("GET", "sso")[1]
    assert [(d["userCode"], d["status"], d["startUrl"]) for d in view["devices"]] == [
        (device["userCode"], "pending", START_URL)]
    assert device["deviceCode"] not in json.dumps(view)


def test_start_device_authorization_refuses_a_bad_client_or_start_url(emu):  # noqa: F811
    client = register(emu)
    for url in ("https://example.com/", "https://d-1.awsapps.com/start/x", "not a url", "ftp://h/start"):
        with pytest.raises(ClientError) as err:
            oidc(emu).start_device_authorization(clientId=client["clientId"], clientSecret=client["clientSecret"],
                                                 startUrl=url)
        assert code_of(err.value) == "InvalidRequestException", url
        assert "start URL" in err.value.response["error_description"]
    for url in ("https://d-1.awsapps.com/start/", "https://d-1.awsapps.com/start#/", "http://127.0.0.1:9/start"):
        oidc(emu).start_device_authorization(clientId=client["clientId"], clientSecret=client["clientSecret"],
                                             startUrl=url)
    with pytest.raises(ClientError) as err:
        oidc(emu).start_device_authorization(clientId=client["clientId"], clientSecret="wrong", startUrl=START_URL)
    assert code_of(err.value) == "InvalidClientException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def test_create_token_is_pending_until_approved_then_answers_once(emu):  # noqa: F811
    client, device = start(emu)
    with pytest.raises(ClientError) as err:
        create_token(emu, client, device)
    assert code_of(err.value) == "AuthorizationPendingException"
    status, doc = decide(emu)  # the latest pending code
    assert (status, doc) == (200, {"userCode": device["userCode"], "status": "approved"})
    token = create_token(emu, client, device)
    assert token["tokenType"] == "Bearer" and token["expiresIn"] == 28800 and len(token["accessToken"]) > 40
    with pytest.raises(ClientError) as err:
        create_token(emu, client, device)
    assert code_of(err.value) == "InvalidGrantException"


def test_create_token_errors_are_both_forms_on_the_wire(emu):  # noqa: F811
    """x-amzn-ErrorType names the shape; the body is OAuth's error and
    error_description; the status is the model's."""
    client, device = start(emu)
    body = {"clientId": client["clientId"], "clientSecret": client["clientSecret"], "grantType": GRANT,
            "deviceCode": device["deviceCode"]}
    status, headers, data = raw(emu, "POST", "/token", body)
    assert status == 400
    assert headers["x-amzn-errortype"] == "AuthorizationPendingException"
    assert headers["content-type"] == "application/json"
    assert json.loads(data) == {"error": "authorization_pending", "error_description": "Authorization is still pending"}
    status, headers, data = raw(emu, "POST", "/token", {**body, "clientSecret": "nope"})
    assert (status, headers["x-amzn-errortype"], json.loads(data)["error"]) == (401, "InvalidClientException",
                                                                                "invalid_client")
    status, headers, data = raw(emu, "POST", "/token", {**body, "grantType": "refresh_token"})
    assert (status, json.loads(data)["error"]) == (400, "unsupported_grant_type")
    status, headers, data = raw(emu, "POST", "/token", {**body, "deviceCode": "unknown"})
    assert (status, json.loads(data)["error"]) == (400, "invalid_grant")
    status, headers, data = raw(emu, "POST", "/token", {k: v for k, v in body.items() if k != "deviceCode"})
    assert (status, headers["x-amzn-errortype"]) == (400, "InvalidRequestException")
    status, headers, data = send(emu, "POST", "/token", b"not json")
    assert (status, json.loads(data)["error"]) == (400, "invalid_request")
    status, headers, _ = raw(emu, "POST", "/nowhere", {})
    assert status == 403, "an unknown path on a loopback host is no Identity Center operation: it needs a signature"
    status, headers, data = send(emu, "POST", "/nowhere", b"{}", {"Host": OIDC_HOST})
    assert (status, headers["x-amzn-errortype"]) == (404, "UnknownOperationException")


def test_denied_device_code_ends_with_access_denied(emu):  # noqa: F811
    client, device = start(emu)
    assert decide(emu, "deny", device["userCode"]) == (200, {"userCode": device["userCode"], "status": "denied"})
    with pytest.raises(ClientError) as err:
        create_token(emu, client, device)
    assert code_of(err.value) == "AccessDeniedException"
    assert err.value.response["error"] == "access_denied"
    # nothing pending is left to decide
    assert decide(emu)[0] == 404
    assert decide(emu, "maybe")[0] == 400


def test_polling_faster_than_the_interval_slows_down_by_five_seconds(emu):  # noqa: F811
    emu.control("POST", "config", {"sso_interval_seconds": 2})
    client, device = start(emu)
    assert device["interval"] == 2
    codes = []
    for _ in range(2):
        with pytest.raises(ClientError) as err:
            create_token(emu, client, device)
        codes.append(code_of(err.value))
    assert codes == ["AuthorizationPendingException", "SlowDownException"]
    [seen] = emu.control("GET", "sso")[1]["devices"]
    assert (seen["interval"], seen["slowDowns"], seen["polls"]) == (7, 1, 2)
    # polls at the (new) interval are pending again: shift the clock, not the test
    emu.control("POST", "config", {"clock_offset_seconds": 7})
    with pytest.raises(ClientError) as err:
        create_token(emu, client, device)
    assert code_of(err.value) == "AuthorizationPendingException"


def test_an_expired_device_code_ends_with_expired_token(emu):  # noqa: F811
    emu.control("POST", "config", {"sso_device_code_seconds": 30})
    client, device = start(emu)
    emu.control("POST", "config", {"clock_offset_seconds": 31})
    with pytest.raises(ClientError) as err:
        create_token(emu, client, device)
    assert code_of(err.value) == "ExpiredTokenException"
    assert decide(emu, user_code=device["userCode"])[0] == 404, "an expired code cannot be approved"
    assert emu.control("GET", "sso")[1]["devices"][0]["status"] == "expired"


# -- the portal ----------------------------------------------------------------

def test_list_accounts_and_roles_page_by_page(emu):  # noqa: F811
    token = signed_in(emu)
    accounts = portal(emu).list_accounts(accessToken=token)["accountList"]
    assert accounts == [
        {"accountId": SANDBOX, "accountName": "Sandbox", "emailAddress": "sandbox@example.com"},
        {"accountId": PRODUCTION, "accountName": "Production", "emailAddress": "production@example.com"},
    ]
    first = portal(emu).list_accounts(accessToken=token, maxResults=1)
    assert [a["accountId"] for a in first["accountList"]] == [SANDBOX] and first["nextToken"]
    second = portal(emu).list_accounts(accessToken=token, maxResults=1, nextToken=first["nextToken"])
    assert [a["accountId"] for a in second["accountList"]] == [PRODUCTION] and "nextToken" not in second
    # the paginator (what the SDKs do) reads every page
    emu.control("POST", "config", {"sso_page_size": 2})
    pages = list(portal(emu).get_paginator("list_account_roles").paginate(accessToken=token, accountId=SANDBOX))
    assert [[r["roleName"] for r in p["roleList"]] for p in pages] == [
        ["AgentCoreOperator", "AgentCoreReadOnly"], ["AdministratorAccess"]]
    assert all(r["accountId"] == SANDBOX for p in pages for r in p["roleList"])
    for kwargs, code in [({"maxResults": 1, "nextToken": "forged"}, "InvalidRequestException"),
                         ({"nextToken": first["nextToken"]}, "InvalidRequestException")]:
        with pytest.raises(ClientError) as err:
            portal(emu).list_account_roles(accessToken=token, accountId=SANDBOX, **kwargs)
        assert code_of(err.value) == code, kwargs
    with pytest.raises(ClientError) as err:
        portal(emu).list_account_roles(accessToken=token, accountId="999999999999")
    assert code_of(err.value) == "ResourceNotFoundException"
    status, headers, data = send(emu, "GET", "/assignment/accounts?max_result=101", b"",
                                 {"x-amz-sso_bearer_token": token})
    assert (status, headers["x-amzn-errortype"]) == (400, "InvalidRequestException")
    assert "max_result" in json.loads(data)["message"]


def test_portal_errors_carry_the_header_and_a_message(emu):  # noqa: F811
    for headers in ({}, {"x-amz-sso_bearer_token": "not-a-token"}):
        status, h, data = send(emu, "GET", "/assignment/accounts", b"", headers)
        assert (status, h["x-amzn-errortype"]) == (401, "UnauthorizedException"), headers
        assert json.loads(data) == {"message": "Session token not found or invalid"}
    with pytest.raises(ClientError) as err:
        portal(emu).get_role_credentials(accessToken="nope", accountId=SANDBOX, roleName="AgentCoreOperator")
    assert code_of(err.value) == "UnauthorizedException"
    token = signed_in(emu)
    with pytest.raises(ClientError) as err:
        portal(emu).get_role_credentials(accessToken=token, accountId=PRODUCTION, roleName="AgentCoreOperator")
    assert code_of(err.value) == "ResourceNotFoundException"
    emu.control("POST", "inject", {"responses": [{
        "status": 429, "headers": {"x-amzn-ErrorType": "TooManyRequestsException"}, "count": 5,
        "body": {"message": "Rate exceeded"}, "match": {"path_prefix": "/assignment/accounts"}}]})
    with pytest.raises(ClientError) as err:
        portal(emu).list_accounts(accessToken=token)  # botocore retries a throttling error once more
    assert code_of(err.value) == "TooManyRequestsException"


def test_an_expired_access_token_is_unauthorized(emu):  # noqa: F811
    emu.control("POST", "config", {"sso_token_seconds": 60})
    token = signed_in(emu)
    portal(emu).list_accounts(accessToken=token)
    emu.control("POST", "config", {"clock_offset_seconds": 61})
    with pytest.raises(ClientError) as err:
        portal(emu).list_accounts(accessToken=token)
    assert code_of(err.value) == "UnauthorizedException"


def test_logout_invalidates_the_access_token(emu):  # noqa: F811
    token = signed_in(emu)
    status, headers, data = send(emu, "POST", "/logout", b"", {"x-amz-sso_bearer_token": token})
    assert (status, data) == (200, b"")
    for call in (lambda: portal(emu).list_accounts(accessToken=token),
                 lambda: portal(emu).logout(accessToken=token),
                 lambda: portal(emu).get_role_credentials(accessToken=token, accountId=SANDBOX,
                                                         roleName="AgentCoreOperator")):
        with pytest.raises(ClientError) as err:
            call()
        assert code_of(err.value) == "UnauthorizedException"
    assert [t["valid"] for t in emu.control("GET", "sso")[1]["accessTokens"]] == [False]


# -- role credentials ------------------------------------------------------------

def role_credentials(emu, token, account=SANDBOX, role="AgentCoreOperator"):  # noqa: F811
    return portal(emu).get_role_credentials(accessToken=token, accountId=account, roleName=role)["roleCredentials"]


def test_role_credentials_sign_control_and_data_plane_requests(emu):  # noqa: F811
    emu.control("POST", "config", {"invoke_event_interval_ms": 0})
    before = time.time()
    creds = role_credentials(emu, signed_in(emu))
    assert creds["accessKeyId"].startswith("ASIA") and len(creds["accessKeyId"]) == 20
    assert before + 3590 < creds["expiration"] / 1000 < time.time() + 3610, "epoch milliseconds, an hour"
    keys = Credentials(creds["accessKeyId"], creds["secretAccessKey"], creds["sessionToken"])
    listed = emu.client(creds=keys).list_agent_runtimes()["agentRuntimes"]
    assert emu.seeded_id in [r["agentRuntimeId"] for r in listed]
    arn = f"arn:aws:bedrock-agentcore:us-east-1:{SANDBOX}:runtime/{emu.seeded_id}"
    answer = emu.client("bedrock-agentcore", creds=keys).invoke_agent_runtime(
        agentRuntimeArn=arn, payload=b'{"prompt": "hi"}', runtimeSessionId="s" * 40)
    assert json.loads(answer["response"].read())["payload"] == {"prompt": "hi"}
    # the log says which key signed each request, and keeps no secret
    log = emu.control("GET", "requests")[1]
    signed_by = [(e["path"].split("/")[1], e["accessKeyId"]) for e in log if e["outcome"] in ("forwarded", "invoked")]
    assert signed_by == [("runtimes", creds["accessKeyId"]), ("runtimes", creds["accessKeyId"])]
    dump = json.dumps(log) + "".join(emu.stderr_lines)
    for secret in (creds["secretAccessKey"], creds["sessionToken"]):
        assert secret not in dump
    # a wrong session token is refused
    bad = Credentials(creds["accessKeyId"], creds["secretAccessKey"], "IQoJ-wrong")
    with pytest.raises(ClientError) as err:
        emu.client(creds=bad).list_agent_runtimes()
    assert code_of(err.value) == "UnrecognizedClientException"


def test_role_credentials_expire_when_configured_and_renewal_brings_new_keys(emu):  # noqa: F811
    emu.control("POST", "config", {"sso_credentials_seconds": 120})
    token = signed_in(emu)
    first = role_credentials(emu, token)
    assert abs(first["expiration"] / 1000 - time.time() - 120) < 10
    keys = Credentials(first["accessKeyId"], first["secretAccessKey"], first["sessionToken"])
    emu.client(creds=keys).list_agent_runtimes()
    emu.control("POST", "config", {"clock_offset_seconds": 121})
    with pytest.raises(ClientError) as err:
        emu.client(creds=keys).list_agent_runtimes()
    assert code_of(err.value) == "ExpiredTokenException"
    renewed = role_credentials(emu, token)
    assert renewed["accessKeyId"] != first["accessKeyId"]
    emu.client(creds=Credentials(renewed["accessKeyId"], renewed["secretAccessKey"],
                                 renewed["sessionToken"])).list_agent_runtimes()
    issued = emu.control("GET", "sso")[1]["roleCredentials"]
    assert [(c["accessKeyId"], c["roleName"], c["accountId"]) for c in issued] == [
        (first["accessKeyId"], "AgentCoreOperator", SANDBOX), (renewed["accessKeyId"], "AgentCoreOperator", SANDBOX)]
    assert "secretAccessKey" not in json.dumps(issued)
    log = emu.control("GET", "requests")[1]
    assert [(e["accessKeyId"], e["outcome"]) for e in log if e["path"] == "/runtimes/"] == [
        (first["accessKeyId"], "forwarded"), (first["accessKeyId"], "rejected:ExpiredTokenException"),
        (renewed["accessKeyId"], "forwarded")]


# -- hosts, relay, log -----------------------------------------------------------

def test_identity_center_hosts_are_routed_by_name_as_a_relay_sends_them(emu):  # noqa: F811
    """Through a `{host}` relay the request arrives with the AWS host: the
    oidc host answers only OIDC, the portal host only the portal."""
    for host in (OIDC_HOST, "oidc.eu-west-1.amazonaws.com", "oidc-fips.us-east-1.amazonaws.com",
                 "oidc.us-east-1.api.aws"):
        status, _, data = send(emu, "POST", "/client/register",
                               b'{"clientName": "c", "clientType": "public"}', {"Host": host})
        assert status == 200 and "clientSecret" in json.loads(data), host
    client = register(emu)
    status, _, data = send(emu, "POST", "/device_authorization",
                           json.dumps({"clientId": client["clientId"], "clientSecret": client["clientSecret"],
                                       "startUrl": START_URL}).encode(),
                           {"Host": "oidc.eu-west-1.amazonaws.com"})
    assert json.loads(data)["verificationUri"] == "https://device.sso.eu-west-1.amazonaws.com/"
    token = signed_in(emu)
    for host in (PORTAL_HOST, "portal.sso-fips.us-east-1.amazonaws.com", "portal.sso.eu-west-1.api.aws"):
        status, _, data = send(emu, "GET", "/assignment/accounts", b"", {"Host": host, "x-amz-sso_bearer_token": token})
        assert status == 200 and len(json.loads(data)["accountList"]) == 2, host
    status, h, _ = send(emu, "GET", "/assignment/accounts", b"", {"Host": OIDC_HOST, "x-amz-sso_bearer_token": token})
    assert (status, h["x-amzn-errortype"]) == (404, "UnknownOperationException")
    status, h, _ = send(emu, "POST", "/client/register", b"{}", {"Host": "oidc.example.com"})
    assert (status, h["x-amzn-errortype"].split(":")[0]) == (403, "MissingAuthenticationTokenException")


def test_cors_answers_the_bearer_header(emu):  # noqa: F811
    origin = "http://127.0.0.1:8080"
    status, h, _ = send(emu, "OPTIONS", "/assignment/accounts", b"", {
        "Origin": origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-amz-sso_bearer_token"})
    assert status == 204 and h["access-control-allow-headers"] == "x-amz-sso_bearer_token"
    status, h, _ = raw(emu, "POST", "/client/register", {"clientName": "c", "clientType": "public"},
                       {"Origin": origin})
    assert status == 200 and h["access-control-allow-origin"] == origin


def test_the_log_keeps_no_identity_center_secret(emu):  # noqa: F811
    client, device = start(emu)
    decide(emu, user_code=device["userCode"])
    token = create_token(emu, client, device)["accessToken"]
    creds = role_credentials(emu, token)
    portal(emu).logout(accessToken=token)
    log = emu.control("GET", "requests")[1]
    assert [e["outcome"] for e in log] == [
        "sso:RegisterClient", "sso:StartDeviceAuthorization", "sso:CreateToken", "sso:GetRoleCredentials",
        "sso:Logout"]
    assert log[3]["headers"]["x-amz-sso_bearer_token"] == "<redacted>"
    assert json.loads(log[2]["body"])["deviceCode"] == "<redacted>"
    dump = json.dumps(log) + "".join(emu.stderr_lines) + json.dumps(emu.control("GET", "sso")[1])
    for secret in (client["clientSecret"], device["deviceCode"], token, creds["secretAccessKey"],
                   creds["sessionToken"]):
        assert secret not in dump


def test_reset_forgets_every_sign_in(emu):  # noqa: F811
    token = signed_in(emu)
    emu.control("POST", "reset")
    assert emu.control("GET", "sso")[1] == {"devices": [], "accessTokens": [], "roleCredentials": []}
    with pytest.raises(ClientError) as err:
        portal(emu).list_accounts(accessToken=token)
    assert code_of(err.value) == "UnauthorizedException"


def test_the_control_route_needs_the_token(emu):  # noqa: F811
    start(emu)
    conn_headers = {"Content-Type": "application/json"}
    status, _, _ = send(emu, "POST", "/__emulator/sso-device", b'{"decision": "approve"}', conn_headers)
    assert status == 403
    status, _, _ = send(emu, "POST", "/__emulator/sso-device", b'{"decision": "approve"}',
                        {**conn_headers, "X-Emulator-Token": CONTROL_TOKEN, "Host": OIDC_HOST})
    assert status == 403, "loopback Host only"
    assert emu.control("GET", "sso")[1]["devices"][0]["status"] == "pending"
