#!/usr/bin/env python3
"""Who makes the .wasm big: sizes by crate (from `twiggy top -f csv`) and the
code/data split with each part's brotli size.

    scripts/wasm-contributors.py <named.wasm> <twiggy-top.csv> [rows]

Used by scripts/bench-size.sh. Sizes are of the names-kept copy, so they are
raw bytes of code and data (the name section itself is left out). The console's
own code is split by module (`ac::core::sign`, `ac::ui::field`, ...); views the
compiler inlined into `main` show up as `ac::main`.
"""
import collections
import csv
import re
import subprocess
import sys


def leb128(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def sections(data):
    """{section id: bytes} of a wasm module (custom sections left out)."""
    found = collections.defaultdict(bytes)
    i = 8
    while i < len(data):
        sid = data[i]
        size, i = leb128(data, i + 1)
        if sid != 0:
            found[sid] += data[i : i + size]
        i += size
    return found


def brotli_size(data):
    return len(subprocess.run(["brotli", "-q", "11", "-c"], input=data, capture_output=True, check=True).stdout)


def owner(name):
    """The crate (or console module) an item belongs to."""
    if name.startswith("data segment"):
        return "(data segments)"
    if name.startswith("code["):
        return "(unnamed code: wasm-bindgen shims)"
    if name.startswith("import "):
        return "(imports)"
    n = name
    while True:
        stripped = re.sub(r"^(?:[<&*\s]+|(?:dyn|mut|impl|const)\s+)", "", n)
        if stripped == n:
            break
        n = stripped
    m = re.match(r"agentcore_console::(\w+)(?:::(\w+))?", n)
    if m:
        return "ac::" + m.group(1) + ("::" + m.group(2) if m.group(2) and m.group(1) in ("core", "ui") else "")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", n)
    if not m:
        return "(other)"
    crate = m.group(1)
    # `<T as tachys::...>`: generic impls belong to the trait's crate
    t = re.match(r"[A-Za-z_][\w\[\]]* as ([A-Za-z_]\w*)", n)
    if crate in ("T", "F", "E", "V", "I", "S") and t:
        return t.group(1)
    return crate


def main():
    wasm, table = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    parts = sections(open(wasm, "rb").read())
    code, data = parts.get(10, b""), parts.get(11, b"")
    print(f"code section {len(code):>9} bytes raw {brotli_size(code):>8} brotli")
    print(f"data section {len(data):>9} bytes raw {brotli_size(data):>8} brotli")
    by_owner = collections.Counter()
    for row in csv.DictReader(open(table)):
        name = row["Name"]
        if "function names" in name or name.startswith(("Σ", "...")):
            continue
        by_owner[owner(name)] += int(row["ShallowSize"])
    total = sum(by_owner.values())
    print(f"\nby crate (raw bytes; {total} in all)")
    for name, size in by_owner.most_common(rows):
        print(f"{size:>9}  {100 * size / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
