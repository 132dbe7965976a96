"""The committed SigV4 fixtures are current and internally consistent."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sigv4.json"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def test_fixtures_up_to_date():
    res = subprocess.run([sys.executable, str(ROOT / "emulator" / "sigv4_fixtures.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_fixtures_consistent_with_stdlib_derivation():
    doc = json.loads(FIXTURES.read_text(encoding="utf-8"))
    assert doc["generator"].startswith("botocore ") and doc["generator"].endswith(" SigV4Auth")
    assert len(doc["cases"]) >= 10
    names = [c["name"] for c in doc["cases"]]
    assert len(names) == len(set(names))
    for c in doc["cases"]:
        exp = c["expected"]
        cr_lines = exp["canonical_request"].split("\n")
        assert cr_lines[0] == c["method"]
        assert cr_lines[-1] == hashlib.sha256(c["body"].encode("utf-8")).hexdigest()
        assert cr_lines[-2] == exp["signed_headers"]
        assert "x-amz-content-sha256" not in exp["signed_headers"]
        assert ("x-amz-security-token" in exp["signed_headers"]) == (c["session_token"] is not None)
        date = c["timestamp"][:8]
        scope = f"{date}/{c['region']}/{c['service']}/aws4_request"
        sts = "\n".join(["AWS4-HMAC-SHA256", c["timestamp"], scope,
                         hashlib.sha256(exp["canonical_request"].encode("utf-8")).hexdigest()])
        assert sts == exp["string_to_sign"], c["name"]
        k = _hmac(("AWS4" + c["secret_access_key"]).encode(), date)
        for part in (c["region"], c["service"], "aws4_request"):
            k = _hmac(k, part)
        sig = hmac.new(k, sts.encode("utf-8"), hashlib.sha256).hexdigest()
        assert sig == exp["signature"], c["name"]
        assert exp["authorization"] == (
            f"AWS4-HMAC-SHA256 Credential={c['access_key_id']}/{scope}, "
            f"SignedHeaders={exp['signed_headers']}, Signature={sig}")
