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
