#!/usr/bin/env python3
"""Trunk post_build step: move the inline module loader out of index.html.

Run by the post_build hook scripts/pack-dist.py (its first step), or alone.

Trunk starts the app with an inline ``<script type="module">``. A
Content-Security-Policy of ``script-src 'self' 'wasm-unsafe-eval'`` (no
'unsafe-inline') blocks it, so this hook writes each inline script's body to
``boot-<hash>.js`` in the staging dir and replaces the tag with
``<script type="module" src="./boot-<hash>.js"></script>``.

Runs with the environment Trunk gives hooks (TRUNK_STAGING_DIR, TRUNK_PUBLIC_URL).
Fails (non-zero) when an inline script remains, so a CSP regression breaks the build.
"""

import hashlib
import os
import re
import sys

SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def trunk_env(tool: str) -> "tuple[str, str] | None":
    """The staging dir and public URL (ending in `/`) Trunk gives hooks;
    None (with a message) outside a Trunk hook."""
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print(f"{tool}: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)", file=sys.stderr)
        return None
    base = os.environ.get("TRUNK_PUBLIC_URL") or "./"
    if not base.endswith("/"):
        base += "/"
    return staging, base


def main() -> int:
    env = trunk_env("externalize-boot")
    if env is None:
        return 2
    return externalize(*env)


def externalize(staging: str, base: str) -> int:
    """Moves the inline module scripts of `staging`/index.html into files."""
    index = os.path.join(staging, "index.html")
    with open(index, encoding="utf-8") as fh:
        html = fh.read()

    written = []

    def replace(m: "re.Match[str]") -> str:
        attrs, body = m.group("attrs"), m.group("body")
        if re.search(r"\bsrc\s*=", attrs, re.I) or not body.strip():
            return m.group(0)
        if not re.search(r"""\btype\s*=\s*["']?module""", attrs, re.I):
            raise SystemExit(f"externalize-boot: unexpected inline classic script: {attrs!r}")
        data = body.strip() + "\n"
        digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
        name = f"boot-{digest}.js"
        with open(os.path.join(staging, name), "w", encoding="utf-8") as out:
            out.write(data)
        written.append(name)
        # keep nonce/other attributes, drop nothing but the body
        return f'<script{attrs} src="{base}{name}"></script>'

    html = SCRIPT_RE.sub(replace, html)
    leftover = [m for m in SCRIPT_RE.finditer(html) if m.group("body").strip()]
    if leftover:
        print("externalize-boot: inline script left in index.html", file=sys.stderr)
        return 1
    if not written:
        print("externalize-boot: no inline loader found in index.html", file=sys.stderr)
        return 1
    with open(index, "w", encoding="utf-8") as fh:
        fh.write(html)
    print(f"externalize-boot: moved loader to {', '.join(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
