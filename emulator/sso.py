"""IAM Identity Center for the local emulator: the OIDC device-code sign-in
(service sso-oidc, host `oidc.<region>.amazonaws.com`) and the access portal
(service sso, host `portal.sso.<region>.amazonaws.com`), with the wire
formats of the vendored models (../shared/aws-model/sso-oidc-2019-06-10 and
sso-2019-06-10, rest-json, unsigned):

- OIDC: POST /client/register (RegisterClient), POST /device_authorization
  (StartDeviceAuthorization), POST /token (CreateToken). Errors carry the
  `x-amzn-ErrorType` header and the OAuth body `{"error", "error_description"}`.
- Portal: GET /assignment/accounts (ListAccounts), GET /assignment/roles
  (ListAccountRoles), GET /federation/credentials (GetRoleCredentials),
  POST /logout (Logout); the access token travels in `x-amz-sso_bearer_token`.
  Errors carry `x-amzn-ErrorType` and `{"message"}`.

One directory (DIRECTORY below) with two accounts and their roles. A device
code is approved or denied through the control API (server.py,
`POST /__emulator/sso-device`). Role credentials are handed to `issue_keys`,
which makes the emulator's signature checks accept them until they expire.

Nothing here prints a secret; `Sso.view()` (what the control API shows)
holds no client secret, device code, access token or secret key.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import threading
from typing import Any, Callable
from urllib.parse import parse_qs

# The directory: who the signed-in user is and what they may use. The first
# account is the one moto keeps the runtimes in (server.py's DEFAULT_ACCOUNT).
DIRECTORY = [
    {
        "accountId": "123456789012",
        "accountName": "Sandbox",
        "emailAddress": "sandbox@example.com",
        "roles": ["AgentCoreOperator", "AgentCoreReadOnly", "AdministratorAccess"],
    },
    {
        "accountId": "210987654321",
        "accountName": "Production",
        "emailAddress": "production@example.com",
        "roles": ["AgentCoreReadOnly"],
    },
]
# A start URL the directory answers for: any http(s) URL whose path is /start
# (a trailing slash or `#/` allowed), e.g. https://d-1234567890.awsapps.com/start.
START_URL_RE = re.compile(r"https?://[^/?#\s]+/start/?(#/?)?")
SCOPE = "sso:account:access"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# What a slow-down adds to a device code's polling interval (RFC 8628 §3.5).
SLOW_DOWN_SECONDS = 5
# A poll this much earlier than the interval still counts as on time (timers).
POLL_TOLERANCE_SECONDS = 0.1
CLIENT_SECRET_SECONDS = 90 * 24 * 3600
MAX_RESULTS = 100
BEARER_HEADER = "x-amz-sso_bearer_token"
MSG_NO_SESSION = "Session token not found or invalid"
MSG_NO_ACCESS = "No access"

# The settings of server.py's config that this module reads (defaults).
DEFAULT_SETTINGS = {
    # lifetime of the role credentials GetRoleCredentials issues
    "sso_credentials_seconds": 3600,
    # lifetime of the access token CreateToken issues
    "sso_token_seconds": 28800,
    # lifetime of a device code (StartDeviceAuthorization's expiresIn)
    "sso_device_code_seconds": 600,
    # StartDeviceAuthorization's interval
    "sso_interval_seconds": 1,
    # the most items a ListAccounts / ListAccountRoles page holds
    "sso_page_size": MAX_RESULTS,
}

OIDC_OPERATIONS = {
    ("POST", "/client/register"): "RegisterClient",
    ("POST", "/device_authorization"): "StartDeviceAuthorization",
    ("POST", "/token"): "CreateToken",
}
PORTAL_OPERATIONS = {
    ("GET", "/assignment/accounts"): "ListAccounts",
    ("GET", "/assignment/roles"): "ListAccountRoles",
    ("GET", "/federation/credentials"): "GetRoleCredentials",
    ("POST", "/logout"): "Logout",
}
# Each OIDC error shape: (HTTP status from the model, OAuth `error` code).
OIDC_ERRORS = {
    "AccessDeniedException": (400, "access_denied"),
    "AuthorizationPendingException": (400, "authorization_pending"),
    "ExpiredTokenException": (400, "expired_token"),
    "InternalServerException": (500, "server_error"),
    "InvalidClientException": (401, "invalid_client"),
    "InvalidClientMetadataException": (400, "invalid_client_metadata"),
    "InvalidGrantException": (400, "invalid_grant"),
    "InvalidRedirectUriException": (400, "invalid_redirect_uri"),
    "InvalidRequestException": (400, "invalid_request"),
    "InvalidScopeException": (400, "invalid_scope"),
    "SlowDownException": (400, "slow_down"),
    "UnauthorizedClientException": (400, "unauthorized_client"),
    "UnsupportedGrantTypeException": (400, "unsupported_grant_type"),
}
# Each portal error shape's HTTP status (from the model).
PORTAL_ERRORS = {
    "InvalidRequestException": 400,
    "UnauthorizedException": 401,
    "ResourceNotFoundException": 404,
    "TooManyRequestsException": 429,
}
SECRET_BODY_KEYS = ("clientSecret", "deviceCode", "accessToken", "refreshToken", "codeVerifier")


class SsoError(Exception):
    """An error shape of either service, as it goes on the wire."""

    def __init__(self, service: str, code: str, message: str):
        super().__init__(message)
        self.service = service
        self.code = code
        self.message = message

    def status(self) -> int:
        if self.code == "UnknownOperationException":
            return 404
        if self.service == "oidc":
            return OIDC_ERRORS.get(self.code, (400, ""))[0]
        return PORTAL_ERRORS.get(self.code, 400)

    def body(self) -> dict[str, Any]:
        if self.service == "oidc":
            return {"error": OIDC_ERRORS.get(self.code, (0, "invalid_request"))[1], "error_description": self.message}
        return {"message": self.message}


def route(method: str, path: str, host_service: str | None) -> tuple[str, str | None] | None:
    """(service, operation or None when unknown) for a request, or None when
    it is not Identity Center's. `host_service` is "oidc" or "portal" when
    the Host is such an AWS host, None for a loopback Host (routed by path)."""
    key = (method.upper(), path)
    if host_service == "oidc":
        return "oidc", OIDC_OPERATIONS.get(key)
    if host_service == "portal":
        return "portal", PORTAL_OPERATIONS.get(key)
    if key in OIDC_OPERATIONS:
        return "oidc", OIDC_OPERATIONS[key]
    if key in PORTAL_OPERATIONS:
        return "portal", PORTAL_OPERATIONS[key]
    return None


def host_service(host: str) -> str | None:
    """"oidc" or "portal" for an Identity Center AWS host name, else None."""
    if host.startswith(("oidc.", "oidc-fips.")):
        return "oidc"
    if host.startswith(("portal.sso.", "portal.sso-fips.")):
        return "portal"
    return None


def redact_body(body: bytes) -> str:
    """A request body for the log, with the secrets of these services masked."""
    text = body.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
    except ValueError:
        return text
    if not isinstance(doc, dict) or not any(k in doc for k in SECRET_BODY_KEYS):
        return text
    return json.dumps({k: ("<redacted>" if k in SECRET_BODY_KEYS else v) for k, v in doc.items()})


def _token(prefix: str = "", size: int = 48) -> str:
    return prefix + secrets.token_urlsafe(size)


def _user_code() -> str:
    letters = "BCDFGHJKLMNPQRSTVWXZ"  # no vowels: no words
    return "-".join("".join(secrets.choice(letters) for _ in range(4)) for _ in range(2))


def _access_key_id() -> str:
    return "ASIA" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))


class Sso:
    """The state of one emulated Identity Center instance."""

    def __init__(
        self,
        now: Callable[[], float],
        settings: Callable[[], dict[str, Any]],
        issue_keys: Callable[[str, str, str, float], None],
    ) -> None:
        self.now = now
        self.settings = settings
        self.issue_keys = issue_keys
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            # client id -> {secret, name, expires}
            self.clients: dict[str, dict[str, Any]] = {}
            # device code -> {client, user_code, start_url, status, expires, interval, last_poll}
            self.devices: dict[str, dict[str, Any]] = {}
            # access token -> {expires, user_code}
            self.tokens: dict[str, dict[str, Any]] = {}
            # next token -> (access token, operation, account id or None, offset)
            self.pages: dict[str, tuple[str, str, str | None, int]] = {}
            # role credentials issued: [{accessKeyId, accountId, roleName, expiration (ms)}]
            self.issued: list[dict[str, Any]] = []

    def setting(self, name: str) -> float:
        value = self.settings().get(name, DEFAULT_SETTINGS[name])
        return float(DEFAULT_SETTINGS[name] if value is None else value)

    # -- the control API ----------------------------------------------------
    def decide(self, user_code: str | None, decision: str) -> dict[str, Any]:
        """Approve or deny a pending device code (the latest pending one when
        `user_code` is None). Raises KeyError when there is none."""
        if decision not in ("approve", "deny"):
            raise ValueError("decision must be \"approve\" or \"deny\"")
        with self.lock:
            pending = [
                d for d in self.devices.values()
                if d["status"] == "pending" and d["expires"] > self.now()
                and (user_code is None or d["user_code"] == user_code)
            ]
            if not pending:
                raise KeyError(user_code or "any")
            device = pending[-1]
            device["status"] = "approved" if decision == "approve" else "denied"
            return {"userCode": device["user_code"], "status": device["status"]}

    def view(self) -> dict[str, Any]:
        """What tests may see: no secret in it."""
        with self.lock:
            now = self.now()
            return {
                "devices": [
                    {
                        "userCode": d["user_code"],
                        "status": d["status"] if d["expires"] > now or d["status"] != "pending" else "expired",
                        "startUrl": d["start_url"],
                        "interval": d["interval"],
                        "polls": d["polls"],
                        "slowDowns": d["slow_downs"],
                    }
                    for d in self.devices.values()
                ],
                "accessTokens": [
                    {"expiresAt": int(t["expires"]), "valid": t["expires"] > now and not t["logged_out"]}
                    for t in self.tokens.values()
                ],
                "roleCredentials": list(self.issued),
            }

    # -- the operations -----------------------------------------------------
    def answer(
        self, service: str, operation: str | None, method: str, path: str, query: str,
        headers: dict[str, str], body: bytes, region: str,
    ) -> dict[str, Any]:
        """The output document of `operation`. Raises SsoError."""
        if operation is None:
            raise SsoError(service, "UnknownOperationException", f"No operation {method} {path[:100]}")
        if service == "oidc":
            doc = self._json(body)
            return getattr(self, "_" + operation)(doc, region)
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        token = self._session(headers.get(BEARER_HEADER))
        return getattr(self, "_" + operation)(token, params)

    @staticmethod
    def _json(body: bytes) -> dict[str, Any]:
        try:
            doc = json.loads(body.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            raise SsoError("oidc", "InvalidRequestException", "The request body is not JSON")
        if not isinstance(doc, dict):
            raise SsoError("oidc", "InvalidRequestException", "The request body is not a JSON object")
        return doc

    @staticmethod
    def _string(doc: dict[str, Any], name: str, code: str = "InvalidRequestException") -> str:
        value = doc.get(name)
        if not isinstance(value, str) or not value:
            raise SsoError("oidc", code, f"{name} is required")
        return value

    def _client(self, doc: dict[str, Any]) -> str:
        client_id = self._string(doc, "clientId", "InvalidClientException")
        secret = self._string(doc, "clientSecret", "InvalidClientException")
        client = self.clients.get(client_id)
        if client is None or not secrets.compare_digest(client["secret"], secret):
            raise SsoError("oidc", "InvalidClientException", "Invalid client")
        if client["expires"] <= self.now():
            raise SsoError("oidc", "InvalidClientException", "The client registration has expired")
        return client_id

    def _RegisterClient(self, doc: dict[str, Any], _region: str) -> dict[str, Any]:
        name = self._string(doc, "clientName")
        client_type = doc.get("clientType")
        if client_type != "public":
            raise SsoError("oidc", "InvalidClientMetadataException", "clientType must be public")
        scopes = doc.get("scopes") or []
        if not isinstance(scopes, list) or any(s != SCOPE for s in scopes):
            raise SsoError("oidc", "InvalidScopeException", f"Only the scope {SCOPE} is supported")
        grants = doc.get("grantTypes") or []
        if not isinstance(grants, list) or any(g != DEVICE_GRANT for g in grants):
            raise SsoError("oidc", "UnsupportedGrantTypeException", f"Only the grant type {DEVICE_GRANT} is supported")
        if doc.get("redirectUris"):
            raise SsoError("oidc", "InvalidRedirectUriException", "A device-code client has no redirect URIs")
        now = self.now()
        client_id = _token(size=16)
        secret = _token(size=96)
        with self.lock:
            self.clients[client_id] = {"secret": secret, "name": name, "expires": now + CLIENT_SECRET_SECONDS}
        return {
            "clientId": client_id,
            "clientSecret": secret,
            "clientIdIssuedAt": int(now),
            "clientSecretExpiresAt": int(now + CLIENT_SECRET_SECONDS),
        }

    def _StartDeviceAuthorization(self, doc: dict[str, Any], region: str) -> dict[str, Any]:
        with self.lock:
            client_id = self._client(doc)
            start_url = self._string(doc, "startUrl")
            if not START_URL_RE.fullmatch(start_url):
                raise SsoError(
                    "oidc", "InvalidRequestException",
                    "startUrl is not the start URL of an IAM Identity Center access portal",
                )
            device_code = _token(size=64)
            user_code = _user_code()
            expires_in = int(self.setting("sso_device_code_seconds"))
            interval = int(self.setting("sso_interval_seconds"))
            self.devices[device_code] = {
                "client": client_id,
                "user_code": user_code,
                "start_url": start_url,
                "status": "pending",
                "expires": self.now() + expires_in,
                "interval": interval,
                "last_poll": None,
                "polls": 0,
                "slow_downs": 0,
            }
        uri = f"https://device.sso.{region}.amazonaws.com/"
        return {
            "deviceCode": device_code,
            "userCode": user_code,
            "verificationUri": uri,
            "verificationUriComplete": f"{uri}?user_code={user_code}",
            "expiresIn": expires_in,
            "interval": interval,
        }

    def _CreateToken(self, doc: dict[str, Any], _region: str) -> dict[str, Any]:
        with self.lock:
            client_id = self._client(doc)
            grant = self._string(doc, "grantType")
            if grant != DEVICE_GRANT:
                raise SsoError("oidc", "UnsupportedGrantTypeException", f"Unsupported grant type {grant[:100]}")
            if doc.get("scope"):
                raise SsoError("oidc", "InvalidScopeException", "A device-code token takes no scope")
            device_code = self._string(doc, "deviceCode")
            device = self.devices.get(device_code)
            if device is None or device["client"] != client_id:
                raise SsoError("oidc", "InvalidGrantException", "Invalid device code provided")
            now = self.now()
            if device["status"] == "used":
                raise SsoError("oidc", "InvalidGrantException", "The device code was already used")
            if device["expires"] <= now:
                raise SsoError("oidc", "ExpiredTokenException", "The device code has expired")
            if device["status"] == "denied":
                raise SsoError("oidc", "AccessDeniedException", "The user denied the authorization request")
            last, device["last_poll"] = device["last_poll"], now
            device["polls"] += 1
            if device["status"] == "pending":
                if last is not None and now - last < device["interval"] - POLL_TOLERANCE_SECONDS:
                    device["interval"] += SLOW_DOWN_SECONDS
                    device["slow_downs"] += 1
                    raise SsoError("oidc", "SlowDownException", "Client is polling too quickly")
                raise SsoError("oidc", "AuthorizationPendingException", "Authorization is still pending")
            device["status"] = "used"
            seconds = int(self.setting("sso_token_seconds"))
            token = _token("aoa", 96)
            self.tokens[token] = {"expires": now + seconds, "logged_out": False, "user_code": device["user_code"]}
        return {"accessToken": token, "tokenType": "Bearer", "expiresIn": seconds}

    def _session(self, token: str | None) -> str:
        with self.lock:
            found = None
            for known, entry in self.tokens.items():
                if token and secrets.compare_digest(known, token):
                    found = (known, entry)
            if found is None or found[1]["logged_out"] or found[1]["expires"] <= self.now():
                raise SsoError("portal", "UnauthorizedException", MSG_NO_SESSION)
            return found[0]

    def _page(self, token: str, operation: str, account: str | None, items: list, params: dict[str, str]):
        """(this page's items, next token or None)."""
        raw = params.get("max_result")
        size = int(self.setting("sso_page_size"))
        if raw is not None:
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_RESULTS:
                raise SsoError("portal", "InvalidRequestException", f"max_result must be from 1 to {MAX_RESULTS}")
            size = min(size, int(raw))
        offset = 0
        given = params.get("next_token")
        with self.lock:
            if given:
                page = self.pages.get(given)
                if page is None or page[:3] != (token, operation, account):
                    raise SsoError("portal", "InvalidRequestException", "Invalid next token")
                offset = page[3]
            following = None
            if offset + size < len(items):
                following = _token(size=24)
                self.pages[following] = (token, operation, account, offset + size)
        return items[offset:offset + size], following

    @staticmethod
    def _account(params: dict[str, str]) -> dict[str, Any]:
        account_id = params.get("account_id")
        if not account_id:
            raise SsoError("portal", "InvalidRequestException", "account_id is required")
        account = next((a for a in DIRECTORY if a["accountId"] == account_id), None)
        if account is None:
            raise SsoError("portal", "ResourceNotFoundException", MSG_NO_ACCESS)
        return account

    def _ListAccounts(self, token: str, params: dict[str, str]) -> dict[str, Any]:
        accounts = [{k: a[k] for k in ("accountId", "accountName", "emailAddress")} for a in DIRECTORY]
        page, following = self._page(token, "ListAccounts", None, accounts, params)
        return {"accountList": page, **({"nextToken": following} if following else {})}

    def _ListAccountRoles(self, token: str, params: dict[str, str]) -> dict[str, Any]:
        account = self._account(params)
        roles = [{"roleName": r, "accountId": account["accountId"]} for r in account["roles"]]
        page, following = self._page(token, "ListAccountRoles", account["accountId"], roles, params)
        return {"roleList": page, **({"nextToken": following} if following else {})}

    def _GetRoleCredentials(self, _access_token: str, params: dict[str, str]) -> dict[str, Any]:
        role = params.get("role_name")
        if not role:
            raise SsoError("portal", "InvalidRequestException", "role_name is required")
        account = self._account(params)
        if role not in account["roles"]:
            raise SsoError("portal", "ResourceNotFoundException", MSG_NO_ACCESS)
        expires = self.now() + self.setting("sso_credentials_seconds")
        akid, secret, session = _access_key_id(), _token(size=30), _token("IQoJ", 300)
        self.issue_keys(akid, secret, session, expires)
        expiration = int(expires * 1000)
        with self.lock:
            self.issued.append(
                {"accessKeyId": akid, "accountId": account["accountId"], "roleName": role, "expiration": expiration}
            )
        return {
            "roleCredentials": {
                "accessKeyId": akid,
                "secretAccessKey": secret,
                "sessionToken": session,
                "expiration": expiration,
            }
        }

    def _Logout(self, token: str, _params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            self.tokens[token]["logged_out"] = True
            self.pages = {k: v for k, v in self.pages.items() if v[0] != token}
        return {}
