#!/usr/bin/env python3
"""Trunk post_build hook: externalize the loader, then pack the staged files.

Trunk runs all hooks of one stage at the same time, so this is the only
post_build hook (Trunk.toml) and does its steps in order, on the staging dir:

1. ``scripts/externalize-boot.py``: the inline module loader -> ``boot-<hash>.js``
   (the page's CSP allows no inline script).
2. CSS: the stylesheets Trunk linked (one per ``<link data-trunk rel="css">`` in
   index.html, already minified in release) are joined, in the order of their
   links (so the cascade is unchanged), into one ``style-<hash>.css`` behind
   one ``<link>``: fewer requests and a smaller total after compression.
3. the .wasm is renamed after its final content (Trunk hashes it before wasm-opt).
4. release only (TRUNK_PROFILE=release): the glue classes nothing on the page
   uses (``UNUSED_CLASSES``) and the .wasm exports behind them are removed, and
   wasm-opt drops the code only they reached. Then esbuild minifies the wasm-bindgen JS
   glue (Trunk's own minifier fails on it and ships it as is) and the boot
   script, as ES modules, without bundling. The glue must export the same names
   before and after (checked by importing both copies with node).

A changed file gets a new content-hashed name; every reference (index.html's
links and scripts, the boot script's import) and every ``integrity="sha384-…"``
is updated. At the end every local file in index.html must exist and match its
integrity, every relative import of a .js file must exist, and every staged
.js/.css/.wasm file must be referenced: otherwise the hook exits non-zero and the build fails.

esbuild comes from .tools/node_modules (scripts/setup.sh installs it from
.tools/package-lock.json); nothing is downloaded here.
"""

import base64
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ESBUILD = os.path.join(ROOT, ".tools", "node_modules", ".bin", "esbuild")
WASM_OPT = os.path.join(ROOT, ".tools", "node_modules", ".bin", "wasm-opt")

# Exported wasm-bindgen classes that nothing on the page uses: wasm-streams'
# adapters from Rust streams to JS streams, which Leptos links through
# server_fn's "browser" feature (server functions; this page has no server).
# wasm-bindgen exports every `#[wasm_bindgen]` type, used or not.
UNUSED_CLASSES = ("IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource")

TAG_RE = re.compile(r"<(?P<name>link|script)\b(?P<attrs>[^>]*)>", re.I)
ATTR_RE = re.compile(r"""(?P<key>[^\s=>"'/]+)(?:\s*=\s*(?P<val>"[^"]*"|'[^']*'|[^\s>"']+))?""")
# relative specifiers in `import … from "./x"`, `export … from "./x"`, `import("./x")`
IMPORT_RE = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])(\./[^"']+)\1""")


# Files index.html may point at that a site adds after the build, or not at all.
OPTIONAL = {"console-config.json"}


class PackError(Exception):
    pass


def log(msg: str) -> None:
    print(f"pack-dist: {msg}")


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def hashed_name(stem: str, ext: str, data: bytes) -> str:
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}{ext}"


def attrs_of(tag_attrs: str) -> dict:
    out = {}
    for m in ATTR_RE.finditer(tag_attrs):
        val = m.group("val")
        if val is not None and val[:1] in "\"'":
            val = val[1:-1]
        out[m.group("key").lower()] = val
    return out


def set_attr(tag: str, key: str, value: str) -> str:
    """Replace the value of attribute `key` in one tag (it must be there)."""
    pat = re.compile(rf"""(\s{re.escape(key)}\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)""", re.I)
    new, n = pat.subn(lambda m: f'{m.group(1)}"{value}"', tag, count=1)
    if n != 1:
        raise PackError(f"no {key}= in {tag!r}")
    return new


def local_name(url: str, base: str) -> "str | None":
    """The staged file name a URL in index.html points at, or None if not local."""
    if url is None or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith("//"):
        return None
    if url.startswith(base):
        url = url[len(base):]
    elif url.startswith("./"):
        url = url[2:]
    return url.split("?", 1)[0].split("#", 1)[0]


class Stage:
    def __init__(self, staging: str, base: str):
        self.dir = staging
        self.base = base
        self.index = os.path.join(staging, "index.html")
        with open(self.index, encoding="utf-8") as fh:
            self.html = fh.read()

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def read(self, name: str) -> bytes:
        with open(self.path(name), "rb") as fh:
            return fh.read()

    def tags(self):
        for m in TAG_RE.finditer(self.html):
            yield m, attrs_of(m.group("attrs"))

    def save_html(self) -> None:
        with open(self.index, "w", encoding="utf-8") as fh:
            fh.write(self.html)

    def wasm_name(self) -> str:
        """The one `.wasm` (wasm-bindgen's `<name>-<hash>_bg.wasm`)."""
        wasms = [n for n in os.listdir(self.dir) if n.endswith("_bg.wasm")]
        if len(wasms) != 1:
            raise PackError(f"expected one *_bg.wasm, found {wasms}")
        return wasms[0]

    def js_files(self):
        return sorted(n for n in os.listdir(self.dir) if n.endswith((".js", ".mjs")))

    def replace(self, old: str, data: bytes, stem: str, ext: str) -> str:
        """Swap staged file `old` for `data` under a new hashed name; fix every reference."""
        new = hashed_name(stem, ext, data)
        if new == old:
            return new  # same bytes, same name: the references hold
        with open(self.path(new), "wb") as fh:
            fh.write(data)
        os.remove(self.path(old))
        ref = re.compile(rf"(?<=/){re.escape(old)}(?![\w.-])")
        found = 0
        # index.html: the URL, and the integrity of any tag that points at it
        out = []
        pos = 0
        for m, attrs in self.tags():
            url = attrs.get("href") or attrs.get("src")
            if local_name(url, self.base) != old:
                continue
            tag = m.group(0)
            tag, n = ref.subn(new, tag)
            if n != 1:
                raise PackError(f"cannot rewrite the URL of {old} in {m.group(0)!r}")
            if "integrity" in attrs:
                tag = set_attr(tag, "integrity", sri(data))
            out.append(self.html[pos:m.start()])
            out.append(tag)
            pos = m.end()
            found += 1
        out.append(self.html[pos:])
        self.html = "".join(out)
        # other scripts naming it (the boot script imports the glue and loads
        # the .wasm): edited, so they get new names too, and so on
        for name in self.js_files():
            if name == new or not os.path.isfile(self.path(name)):
                continue
            text = self.read(name).decode("utf-8")
            text2, n = ref.subn(new, text)
            if n:
                found += n
                stem, ext = split_hashed(name)
                self.replace(name, text2.encode("utf-8"), stem, ext)
        if not found:
            raise PackError(f"{old} is referenced nowhere")
        return new


def merge_css(stage: Stage) -> None:
    links = []
    for m, attrs in stage.tags():
        if m.group("name").lower() == "link" and (attrs.get("rel") or "").lower() == "stylesheet":
            name = local_name(attrs.get("href"), stage.base)
            if name is None:
                raise PackError(f"non-local stylesheet {m.group(0)!r}")
            links.append((m, attrs, name))
    if not links:
        raise PackError("no stylesheet link in index.html")
    if len(links) == 1:
        log(f"one stylesheet already ({links[0][2]})")
        return
    parts = []
    for _, attrs, name in links:
        data = stage.read(name)
        if attrs.get("integrity") and attrs["integrity"] != sri(data):
            raise PackError(f"{name}: integrity in index.html does not match the file")
        if (attrs.get("media") or "all") != "all":
            raise PackError(f"{name}: a media= link cannot be merged")
        text = data.decode("utf-8")
        # @import/@charset are only valid at the start of a stylesheet
        if re.search(r"@(?:import|charset)\b", text, re.I):
            raise PackError(f"{name}: @import/@charset cannot be merged into one file")
        parts.append(text.strip())
    merged = ("\n".join(parts) + "\n").encode("utf-8")
    name = hashed_name("style", ".css", merged)
    with open(stage.path(name), "wb") as fh:
        fh.write(merged)
    tag = f'<link rel="stylesheet" href="{stage.base}{name}" integrity="{sri(merged)}">'
    # the merged link takes the first link's place; the others go
    first = links[0][0]
    out = [stage.html[: first.start()], tag]
    pos = first.end()
    for m, _, _ in links[1:]:
        out.append(stage.html[pos: m.start()])
        pos = m.end()
    out.append(stage.html[pos:])
    stage.html = "".join(out)
    for _, _, old in links:
        os.remove(stage.path(old))
    log(f"{len(links)} stylesheets -> {name} ({len(merged)} bytes)")


def esbuild_minify(source: bytes, what: str) -> bytes:
    if not os.access(ESBUILD, os.X_OK):
        raise PackError(f"{ESBUILD} missing: run scripts/setup.sh")
    res = subprocess.run(
        [ESBUILD, "--format=esm", "--minify", "--loader=js", "--log-level=warning"],
        input=source,
        capture_output=True,
    )
    sys.stderr.write(res.stderr.decode("utf-8", "replace"))
    if res.returncode != 0 or not res.stdout.strip():
        raise PackError(f"esbuild failed on {what} (exit {res.returncode})")
    if res.stderr.strip():
        raise PackError(f"esbuild warned on {what}")
    return res.stdout


def module_exports(data: bytes) -> str:
    """The export names of an ES module (JSON), by importing it with node."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.mjs")
        with open(path, "wb") as fh:
            fh.write(data)
        script = (
            "const m = await import(process.argv[1]);"
            "console.log(JSON.stringify(Object.keys(m).sort()));"
        )
        res = subprocess.run(
            ["node", "--input-type=module", "-e", script, "file://" + path],
            capture_output=True,
            text=True,
        )
    if res.returncode != 0:
        raise PackError(f"cannot import the module with node: {res.stderr.strip()}")
    return res.stdout.strip()


def glue_name(stage: Stage) -> str:
    """The wasm-bindgen glue: the module index.html preloads (rel=modulepreload)."""
    names = [
        local_name(attrs.get("href"), stage.base)
        for m, attrs in stage.tags()
        if (attrs.get("rel") or "").lower() == "modulepreload"
    ]
    if len(names) != 1 or not names[0] or not names[0].endswith(".js"):
        raise PackError(f"expected one modulepreload of the JS glue in index.html, found {names}")
    return names[0]


def split_hashed(name: str) -> "tuple[str, str]":
    """`glue-0123abcd.js` -> (`glue`, `.js`); `app-0123abcd_bg.wasm` -> (`app`, `_bg.wasm`)."""
    m = re.match(r"^(?P<stem>.+?)-[0-9a-f]{8,}(?P<ext>(?:_bg)?\.[a-z]+)$", name)
    if not m:
        raise PackError(f"unexpected file name {name} (want <name>-<hash>.<ext>)")
    return m.group("stem"), m.group("ext")


def rename_wasm(stage: Stage) -> None:
    """Name the .wasm after its final bytes.

    Trunk's hash in the name is taken before wasm-opt, so a change of wasm-opt's
    passes alone would ship different bytes under the same (immutable-cached) name.
    """
    old = stage.wasm_name()
    new = stage.replace(old, stage.read(old), *split_hashed(old))
    log(f"wasm {old} -> {new}")


def minify_js(stage: Stage) -> None:
    glue = glue_name(stage)
    original = stage.read(glue)
    minified = esbuild_minify(original, glue)
    before, after = module_exports(original), module_exports(minified)
    if before != after:
        raise PackError(f"{glue}: exports changed by minifying: {before} -> {after}")
    new = stage.replace(glue, minified, *split_hashed(glue))
    log(f"glue {glue} ({len(original)} bytes) -> {new} ({len(minified)} bytes), exports {after}")
    boots = [n for n in stage.js_files() if n.startswith("boot-")]
    if len(boots) != 1:
        raise PackError(f"expected one boot-*.js, found {boots}")
    boot = boots[0]
    original = stage.read(boot)
    minified = esbuild_minify(original, boot)
    new = stage.replace(boot, minified, *split_hashed(boot))
    log(f"boot {boot} ({len(original)} bytes) -> {new} ({len(minified)} bytes)")


# --- unused exports ---------------------------------------------------------------
def drop_wasm_exports(wasm: bytes, drop) -> "tuple[bytes, list]":
    """The module without the exports whose name `drop(name)` accepts; returns
    the new bytes and the names dropped."""
    dropped = []

    def exports(body: int, end: int) -> bytes:
        count, j = _leb(wasm, body)
        kept = []
        for _ in range(count):
            start = j
            n, j = _leb(wasm, j)
            name = wasm[j:j + n].decode("utf-8")
            j += n + 1  # name, kind
            _, j = _leb(wasm, j)  # index
            if drop(name):
                dropped.append(name)
            else:
                kept.append(wasm[start:j])
        if j != end:
            raise PackError("export section not read to its end")
        return _uleb(len(kept)) + b"".join(kept)

    return rewrite_section(wasm, 7, exports), dropped


def drop_unused_classes(stage: Stage) -> None:
    """Remove ``UNUSED_CLASSES`` from the glue (class, dispose hook,
    finalization registry) and their methods' exports from the .wasm, then
    let wasm-opt drop the code only those exports reached. Fails if the glue
    still mentions a class or a removed export, or if a class is not found
    (a new wasm-bindgen may write them differently: then look again)."""
    glue = glue_name(stage)
    text = stage.read(glue).decode("utf-8")
    for cls in UNUSED_CLASSES:
        patterns = [
            rf"^export class {cls} \{{\n.*?^\}}\n",
            rf"^if \(Symbol\.dispose\) {cls}\.prototype\[Symbol\.dispose\] = {cls}\.prototype\.free;\n",
            rf"^const {cls}Finalization = .*?;\n",
        ]
        for pattern in patterns:
            text, n = re.subn(pattern, "", text, count=1, flags=re.M | re.S)
            if n != 1:
                raise PackError(f"{glue}: {pattern!r} not found once")
        if re.search(rf"\b{cls}\b", text):
            raise PackError(f"{glue}: {cls} still used after removing it")
    prefixes = tuple(
        p for cls in UNUSED_CLASSES for p in (f"__wbg_{cls.lower()}_", f"{cls.lower()}_")
    )
    wasm_name = stage.wasm_name()
    wasm, dropped = drop_wasm_exports(stage.read(wasm_name), lambda n: n.startswith(prefixes))
    if not dropped:
        raise PackError(f"{wasm_name}: none of the exports of {UNUSED_CLASSES}")
    for name in dropped:
        if re.search(rf"\bwasm\.{re.escape(name)}\b", text):
            raise PackError(f"{glue}: still calls the dropped export {name}")
    if not os.access(WASM_OPT, os.X_OK):
        raise PackError(f"{WASM_OPT} missing: run scripts/setup.sh")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.wasm"), os.path.join(tmp, "out.wasm")
        with open(src, "wb") as fh:
            fh.write(wasm)
        # the same memory fact as index.html's data-wasm-opt-params
        res = subprocess.run(
            [WASM_OPT, "-Oz", "--low-memory-unused", "--reorder-functions", src, "-o", dst],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            raise PackError(f"wasm-opt failed: {res.stderr.strip()}")
        with open(dst, "rb") as fh:
            optimized = fh.read()
    before = len(stage.read(wasm_name))
    with open(stage.path(wasm_name), "wb") as fh:
        fh.write(optimized)
    with open(stage.path(glue), "wb") as fh:
        fh.write(text.encode("utf-8"))
    log(
        f"dropped {', '.join(UNUSED_CLASSES)}: {len(dropped)} wasm exports, "
        f"{wasm_name} {before} -> {len(optimized)} bytes"
    )


# --- short import names ---------------------------------------------------------
def _load_script(name: str):
    """A sibling script (hyphenated name) as a module."""
    path = os.path.join(ROOT, "scripts", name)
    spec = importlib.util.spec_from_file_location(name.replace("-", "_").removesuffix(".py"), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# the LEB128 reader of the size benchmark's section walker
_leb = _load_script("wasm-contributors.py").leb128


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _limits_end(data: bytes, i: int) -> int:
    flags, i = _leb(data, i)
    _, i = _leb(data, i)
    if flags & 1:
        _, i = _leb(data, i)
    return i


def rewrite_section(wasm: bytes, sid: int, rewrite) -> bytes:
    """The module with the body of its section `sid` replaced by
    `rewrite(body, end)`, given the offsets of the old body in `wasm`."""
    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise PackError("not a wasm module (version 1)")
    out = bytearray(wasm[:8])
    i = 8
    while i < len(wasm):
        size, body = _leb(wasm, i + 1)
        end = body + size
        if wasm[i] == sid:
            section = rewrite(body, end)
            out += bytes([sid]) + _uleb(len(section)) + section
        else:
            out += wasm[i:end]
        i = end
    return bytes(out)


def rename_wasm_imports(wasm: bytes, rename) -> "tuple[bytes, dict]":
    """The module with every import's name renamed by `rename(index)` (the
    glue provides them all, under one module name); returns the new bytes and
    {old name: new name}."""
    names = {}

    def imports(body: int, end: int) -> bytes:
        count, j = _leb(wasm, body)
        section = bytearray(_uleb(count))
        for _ in range(count):
            n, j = _leb(wasm, j)
            module = wasm[j:j + n]
            j += n
            n, j = _leb(wasm, j)
            field = wasm[j:j + n].decode("utf-8")
            j += n
            kind = wasm[j]
            start = j
            j += 1
            if kind == 0:  # function: type index
                _, j = _leb(wasm, j)
            elif kind == 1:  # table: reftype, limits
                j = _limits_end(wasm, j + 1)
            elif kind == 2:  # memory: limits
                j = _limits_end(wasm, j)
            elif kind == 3:  # global: valtype, mutability
                j += 2
            else:
                raise PackError(f"import {field}: unknown kind {kind}")
            if field in names:
                raise PackError(f"import {field} twice")
            new = rename(len(names))
            names[field] = new
            fb = new.encode("utf-8")
            section += _uleb(len(module)) + module + _uleb(len(fb)) + fb + wasm[start:j]
        if j != end:
            raise PackError("import section not read to its end")
        return bytes(section)

    return rewrite_section(wasm, 2, imports), names


def short_name(index: int) -> str:
    """a, b, ..., z, A, ..., Z, aa, ab, ...: short JS property names."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    name = ""
    index += 1
    while index:
        index -= 1
        name = letters[index % 52] + name
        index //= 52
    return name


def shorten_imports(stage: Stage) -> None:
    """Rename the .wasm's imports from the glue (`__wbg_remove_8228e91d7ddbc755`
    and the like: about 150 names with 16 random hex digits each, written in
    both files) to `a`, `b`, ...; in the .wasm's import section and in the glue
    that defines them. Every old name must be found in the glue."""
    glue = glue_name(stage)
    wasm_name = stage.wasm_name()
    wasm, names = rename_wasm_imports(stage.read(wasm_name), short_name)
    if not names:
        raise PackError(f"{wasm_name} imports nothing")
    text = stage.read(glue).decode("utf-8")
    for old in names:
        if not re.fullmatch(r"__wb[\w$]+", old):
            raise PackError(f"unexpected import name {old}")
        if old in names.values():
            raise PackError(f"short name {old} is also an original name")
    pattern = re.compile(r"(?<![\w$])(" + "|".join(re.escape(n) for n in names) + r")(?![\w$])")
    seen = set()

    def swap(m: "re.Match[str]") -> str:
        seen.add(m.group(1))
        return names[m.group(1)]

    text = pattern.sub(swap, text)
    missing = sorted(set(names) - seen)
    if missing:
        raise PackError(f"{glue} does not define the imports {missing[:5]}")
    new_glue = stage.replace(glue, text.encode("utf-8"), *split_hashed(glue))
    new_wasm = stage.replace(wasm_name, wasm, *split_hashed(wasm_name))
    log(f"imports: {len(names)} renamed (glue {new_glue}, wasm {new_wasm})")


def check_links(stage: Stage) -> None:
    """Instantiate the .wasm in node with the glue's imports (`initSync`): a
    name the glue does not provide is a LinkError. Starting the app itself
    fails there (no DOM), which is expected and ignored."""
    glue = glue_name(stage)
    wasm_name = stage.wasm_name()
    script = (
        "const m = await import(process.argv[1]);"
        "const bytes = (await import('node:fs')).readFileSync(process.argv[2]);"
        "try { m.initSync({ module: bytes }); } catch (e) {"
        "  if (e instanceof WebAssembly.LinkError || e instanceof WebAssembly.CompileError) {"
        "    console.error(String(e)); process.exit(1); } }"
    )
    res = subprocess.run(
        ["node", "--input-type=module", "-e", script, "file://" + stage.path(glue), stage.path(wasm_name)],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise PackError(f"the .wasm does not link with {glue}: {res.stderr.strip()[-400:]}")


def verify(stage: Stage) -> None:
    referenced = set()
    problems = []
    for m, attrs in stage.tags():
        url = attrs.get("href") or attrs.get("src")
        name = local_name(url, stage.base)
        if name is None:
            continue
        referenced.add(name)
        if name in OPTIONAL:
            continue
        if not os.path.isfile(stage.path(name)):
            problems.append(f"index.html points at a missing file: {m.group(0)}")
            continue
        want = attrs.get("integrity")
        if want and want != sri(stage.read(name)):
            problems.append(f"index.html: wrong integrity for {name}")
    for name in stage.js_files():
        text = stage.read(name).decode("utf-8")
        for m in IMPORT_RE.finditer(text):
            target = m.group(2)[2:]
            referenced.add(target)
            if not os.path.isfile(stage.path(target)):
                problems.append(f"{name} imports a missing file: {m.group(2)}")
        # the boot script passes the .wasm to init() by URL
        for m in re.finditer(r"""(["'])\./([^"']+\.wasm)\1""", text):
            referenced.add(m.group(2))
    for dirpath, _, files in os.walk(stage.dir):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), stage.dir)
            # the kinds of file this hook renames or drops (other assets may be unlinked)
            if rel.endswith((".js", ".mjs", ".css", ".wasm")) and rel not in referenced:
                problems.append(f"staged file referenced nowhere: {rel}")
    if problems:
        raise PackError("\n  ".join(["the packed build is inconsistent:"] + problems))


def main() -> int:
    boot = _load_script("externalize-boot.py")
    env = boot.trunk_env("pack-dist")
    if env is None:
        return 2
    staging, base = env
    release = os.environ.get("TRUNK_PROFILE") == "release"
    try:
        if boot.externalize(staging, base) != 0:
            raise PackError("moving the inline loader out of index.html failed")
        stage = Stage(staging, base)
        merge_css(stage)
        if release:
            drop_unused_classes(stage)
            minify_js(stage)
            shorten_imports(stage)  # names the .wasm after its new bytes
            check_links(stage)
        else:
            log("debug build: JS left unminified")
        # after every change to its bytes (a no-op when shorten_imports named it)
        rename_wasm(stage)
        verify(stage)
        stage.save_html()
    except PackError as err:
        print(f"pack-dist: ERROR: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
