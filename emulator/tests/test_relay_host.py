"""The emulator checks each signature for the Host header it receives, as AWS
does behind a relay (deploy/nginx.conf, deploy/cloudfront.yaml): a request
signed for the AWS host passes, one signed for the relay's own host does not."""

from __future__ import annotations

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

from test_proxy import assert_rejected, emu, send, sign  # noqa: F401 (emu is the fixture)

AWS_HOST = "bedrock-agentcore-control.us-east-1.amazonaws.com"


def test_signed_for_the_aws_host_and_received_with_it_is_accepted(emu):  # noqa: F811
    req = AWSRequest(method="POST", url=f"https://{AWS_HOST}/runtimes/", data=b"")
    SigV4Auth(emu.creds, "bedrock-agentcore", "us-east-1").add_auth(req)
    headers = dict(req.headers.items())
    headers["Host"] = AWS_HOST  # what the relay sets
    status, _, data = send(emu, "POST", "/runtimes/", b"", headers)
    assert status == 200, data


def test_signed_for_the_relay_host_is_refused_when_received_with_the_aws_host(emu):  # noqa: F811
    headers = sign(emu, "POST", "/runtimes/")  # signed for 127.0.0.1:<port>
    headers["Host"] = AWS_HOST
    status, response_headers, data = send(emu, "POST", "/runtimes/", b"", headers)
    message = assert_rejected(status, response_headers, data, "InvalidSignatureException")
    assert f"host:{AWS_HOST}\n" in message  # the canonical request AWS expected names its host


def _signed_for(emu, host: str, region: str) -> dict:  # noqa: F811
    req = AWSRequest(method="POST", url=f"https://{host}/runtimes/", data=b"")
    SigV4Auth(emu.creds, "bedrock-agentcore", region).add_auth(req)
    headers = dict(req.headers.items())
    headers["Host"] = host  # what a {host} relay sets
    return headers


def test_every_region_and_variant_of_the_allowlist_is_answered_for_its_own_region(emu):  # noqa: F811
    for host, region in [
        ("bedrock-agentcore-control.eu-west-1.amazonaws.com", "eu-west-1"),
        ("bedrock-agentcore-control-fips.us-east-1.amazonaws.com", "us-east-1"),
        ("bedrock-agentcore-control.ap-southeast-2.api.aws", "ap-southeast-2"),
        ("bedrock-agentcore-control-fips.ca-central-1.api.aws", "ca-central-1"),
    ]:
        status, _, data = send(emu, "POST", "/runtimes/", b"", _signed_for(emu, host, region))
        assert status == 200, (host, data)


def test_a_host_of_one_region_refuses_a_signature_scoped_to_another(emu):  # noqa: F811
    # what a fixed-upstream relay does to a request signed for another region
    headers = _signed_for(emu, "bedrock-agentcore-control.eu-west-1.amazonaws.com", "us-east-1")
    headers["Host"] = "bedrock-agentcore-control.eu-west-1.amazonaws.com"
    status, response_headers, data = send(emu, "POST", "/runtimes/", b"", headers)
    message = assert_rejected(status, response_headers, data, "InvalidSignatureException")
    assert "scoped to a valid region, not 'us-east-1'" in message
    # signed for eu-west-1's host, received with us-east-1's: the host is in the signature
    headers = _signed_for(emu, "bedrock-agentcore-control.eu-west-1.amazonaws.com", "us-east-1")
    headers["Host"] = AWS_HOST
    status, response_headers, data = send(emu, "POST", "/runtimes/", b"", headers)
    message = assert_rejected(status, response_headers, data, "InvalidSignatureException")
    assert f"host:{AWS_HOST}\n" in message


def test_hosts_off_the_allowlist_are_not_answered(emu):  # noqa: F811
    for host in [
        "evil.example.com",
        "bedrock-agentcore-control.us-east-1.amazonaws.com.evil.example",
        "BEDROCK-AGENTCORE-CONTROL.US-EAST-1.AMAZONAWS.COM",
        "bedrock-agentcore-control.us-east-1.amazonaws.com:443",
        "s3.us-east-1.amazonaws.com",
    ]:
        headers = _signed_for(emu, host, "us-east-1")
        status, response_headers, data = send(emu, "POST", "/runtimes/", b"", headers)
        message = assert_rejected(status, response_headers, data, "UnrecognizedHostException")
        assert "deploy/relay-hosts.txt" in message, host
