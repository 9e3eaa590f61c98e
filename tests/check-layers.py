#!/usr/bin/python3
"""The layers' direction: no source of a layer includes a header of a layer
above it (src/meson.build draws the graph; the build enforces it too, since
each layer is compiled with only the include folders below it).

    check-layers.py SOURCE_DIR

Each quoted #include is looked up among the layers' own headers; one that
belongs to a layer the including layer may not use is named with its file
and line. A header found in two layers is an error as well: the lookup must
be unambiguous.
"""
import os
import re
import sys

# Layer: (its folders, the layers it may use besides itself).
LAYERS = {
    "core": (["include/parcelscreen", "src/core"], []),
    "drivers": (["drivers"], ["core"]),
    "config": (["src/config"], ["core"]),
    "signing": (["src/signing"], ["core", "config"]),
    "store": (["src/store"], ["core", "config"]),
    "sim": (["src/sim"], ["core", "config", "store"]),
    "pdf": (["src/pdf"], ["core"]),
    "relay": (["src/relay"], ["core", "config", "signing", "store", "pdf"]),
    "app": (["src/app", "ui"], ["core", "config", "signing", "store", "pdf", "relay", "drivers"]),
    "ctl": (["src/ctl"], ["core", "config", "signing", "store", "sim", "relay", "drivers"]),
    "hub": (["src/hub"], ["core", "config", "signing"]),
}
# Generated or build-wide headers every layer may include.
COMMON = {"config.h", "ps-resources.h", "ps-hub-resources.h"}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def main():
    root = sys.argv[1]
    owner = {}
    problems = []
    for layer, (folders, _) in LAYERS.items():
        for folder in folders:
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                continue
            for name in os.listdir(path):
                if name.endswith(".h"):
                    key = name
                    if folder == "include/parcelscreen":
                        key = "parcelscreen/" + name
                    if key in owner and owner[key] != layer:
                        problems.append(f"{folder}/{name}: also a header of {owner[key]}")
                    owner[key] = layer
    checked = 0
    for layer, (folders, uses) in LAYERS.items():
        allowed = set(uses) | {layer}
        for folder in folders:
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                continue
            for name in sorted(os.listdir(path)):
                if not name.endswith((".c", ".h")):
                    continue
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        header = m.group(1)
                        checked += 1
                        if header in COMMON:
                            continue
                        if os.path.exists(os.path.join(path, header)):
                            header = os.path.relpath(os.path.join(path, header), root)
                            header = header.replace("include/", "", 1) if header.startswith(
                                "include/") else os.path.basename(header)
                        if header not in owner:
                            problems.append(f"{folder}/{name}:{number}: {header} belongs to no layer")
                        elif owner[header] not in allowed:
                            problems.append(
                                f"{folder}/{name}:{number}: the {layer} layer includes {header}, "
                                f"a header of the {owner[header]} layer above it")
    for p in problems:
        print("FAIL:", p)
    if checked == 0:
        print("FAIL: no #include found: wrong source folder?")
        return 1
    if problems:
        return 1
    print(f"ok: {checked} includes, every one from its own layer or one below")
    return 0


if __name__ == "__main__":
    sys.exit(main())
