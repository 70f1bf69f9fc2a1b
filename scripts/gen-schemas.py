#!/usr/bin/env python3
"""Regenerates the JSON schemas built into homeport (Sources/Flux/Schema/Builtin/).

One command:

    python3 -m pip install kubernetes-validate==1.37.0   # the Kubernetes schemas
    python3 scripts/gen-schemas.py [--crd-catalog ../shared/data/crd-schemas]

Inputs (public sources):
  * the PyPI package `kubernetes-validate`: per Kubernetes minor, a `vX.Y.0-local-strict`
    directory whose `_definitions.json` holds every API type with `additionalProperties: false`;
  * a CRD catalog laid out as `{group}/{kind}_{version}.json` (datreeio/CRDs-catalog, MIT; its
    LICENSE is copied next to the output).

Output: `BuiltinSchemaData.swift`, a StaticString of base64 text. It holds separately
zlib-compressed chunks so a check inflates only what it uses: an index chunk, one chunk per
Kubernetes minor (every definition) and one chunk per CRD kind and version. A chunk is a
precompiled binary form of the schema (descriptions dropped), decoded by
Sources/Flux/Schema/Builtin/BuiltinSchemaDecoder.swift; the two must agree on the format below.

Chunk format (all integers are LEB128 varints, strings are indexes into the chunk's table):
  chunk   := count string*  count entry*
  string  := length utf8-bytes
  entry   := name-index byte-length node
  node    := flags [types u8] [ref] [properties] [additional] [required] [items] [enum]
             [anyOf] [oneOf] [allOf]
A Kubernetes chunk has entries "def/<definition>" and "kind/<group>/<version>/<Kind>" (a `$ref`
node naming the definition); a CRD chunk has one entry, "schema".
Index chunk (first in the text): entries "k8s/<minor>" and "crd/<group>/<version>/<lowercase kind>"
whose bytes are a chunk number, and "chunks": count (offset length)*, base64 characters counted
from the end of the index chunk.
"""

import argparse
import base64
import json
import os
import shutil
import sys
import zlib

KUBERNETES_MINORS = [35, 36, 37]
LINE_LENGTH = 120

FLAG_TYPES = 1
FLAG_REF = 2
FLAG_PROPERTIES = 4
FLAG_ADDITIONAL_FORBIDDEN = 8
FLAG_ADDITIONAL_SCHEMA = 16
FLAG_REQUIRED = 32
FLAG_ITEMS = 64
FLAG_ENUM = 128
FLAG_ANY_OF = 256
FLAG_ONE_OF = 512
FLAG_ALL_OF = 1024
FLAG_INT_OR_STRING = 2048
FLAG_PRESERVE_UNKNOWN = 4096

TYPE_BITS = {"object": 1, "array": 2, "string": 4, "integer": 8, "number": 16, "boolean": 32, "null": 64}


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def canonical(value):
    """The enum form the Swift validator compares against (JSONSchema.canonical)."""
    if isinstance(value, bool):
        return "b:" + ("true" if value else "false")
    if isinstance(value, str):
        return "s:" + value
    if isinstance(value, int):
        return "n:" + str(value)
    if isinstance(value, float):
        return "n:" + (str(int(value)) if value.is_integer() else repr(value))
    if value is None:
        return "null"
    return "?"


class Chunk:
    def __init__(self):
        self.strings = []
        self.string_index = {}
        self.entries = []

    def string(self, text):
        if text not in self.string_index:
            self.string_index[text] = len(self.strings)
            self.strings.append(text)
        return varint(self.string_index[text])

    def node(self, schema, strict_root=False, is_root=True):
        """Encodes one schema node. `strict_root` forbids unknown top-level fields of a CRD (the
        catalog marks only nested objects `additionalProperties: false`)."""
        if not isinstance(schema, dict):
            schema = {}
        flags = 0
        body = bytearray()
        types = schema.get("type")
        if isinstance(types, str):
            types = [types]
        if isinstance(types, list) and types:
            flags |= FLAG_TYPES
            bits = 0
            for name in types:
                bits |= TYPE_BITS.get(name, 0)
            body.append(bits)
        reference = schema.get("$ref")
        if isinstance(reference, str):
            flags |= FLAG_REF
            body += self.string(reference.split("/")[-1])
        properties = schema.get("properties")
        if strict_root and is_root and isinstance(properties, dict):
            # Every object has these; some catalog schemas leave them out of the root.
            properties = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}, **properties}
        if isinstance(properties, dict) and properties:
            flags |= FLAG_PROPERTIES
            body += varint(len(properties))
            for key in sorted(properties):
                body += self.string(key)
                body += self.node(properties[key], is_root=False)
        preserve = schema.get("x-kubernetes-preserve-unknown-fields") is True
        additional = schema.get("additionalProperties")
        if additional is False:
            flags |= FLAG_ADDITIONAL_FORBIDDEN
        elif isinstance(additional, dict):
            flags |= FLAG_ADDITIONAL_SCHEMA
            body += self.node(additional, is_root=False)
        elif additional is None and strict_root and is_root and properties and not preserve:
            flags |= FLAG_ADDITIONAL_FORBIDDEN
        required = schema.get("required")
        if isinstance(required, list) and required:
            flags |= FLAG_REQUIRED
            body += varint(len(required))
            for name in required:
                body += self.string(name)
        items = schema.get("items")
        if isinstance(items, dict):
            flags |= FLAG_ITEMS
            body += self.node(items, is_root=False)
        values = schema.get("enum")
        if isinstance(values, list) and values:
            flags |= FLAG_ENUM
            body += varint(len(values))
            for value in values:
                body += self.string(canonical(value))
        for key, flag in (("anyOf", FLAG_ANY_OF), ("oneOf", FLAG_ONE_OF), ("allOf", FLAG_ALL_OF)):
            options = schema.get(key)
            if isinstance(options, list) and options:
                flags |= flag
                body += varint(len(options))
                for option in options:
                    body += self.node(option, is_root=False)
        if schema.get("x-kubernetes-int-or-string") is True or schema.get("format") == "int-or-string":
            flags |= FLAG_INT_OR_STRING
        if preserve:
            flags |= FLAG_PRESERVE_UNKNOWN
        return varint(flags) + bytes(body)

    def add(self, name, payload):
        self.entries.append((name, payload))

    def encode(self):
        names = [(self.string(name), payload) for name, payload in self.entries]
        out = bytearray(varint(len(self.strings)))
        for text in self.strings:
            raw = text.encode("utf-8")
            out += varint(len(raw)) + raw
        out += varint(len(names))
        for name, payload in names:
            out += name + varint(len(payload)) + payload
        return bytes(out)


def kubernetes_directory():
    try:
        import kubernetes_validate
    except ImportError:
        sys.exit("gen-schemas: pip install kubernetes-validate first (it ships the Kubernetes schemas)")
    return os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema"), getattr(
        __import__("kubernetes_validate.version", fromlist=["__version__"]), "__version__", "?")


def kubernetes_chunk(directory):
    with open(os.path.join(directory, "_definitions.json"), encoding="utf-8") as handle:
        definitions = json.load(handle)["$defs"]
    chunk = Chunk()
    for name in sorted(definitions):
        chunk.add("def/" + name, chunk.node(definitions[name]))
        for gvk in definitions[name].get("x-kubernetes-group-version-kind", []):
            group, version, kind = gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", "")
            # A kind entry is a reference to its definition.
            chunk.add(f"kind/{group}/{version}/{kind}", varint(FLAG_REF) + chunk.string(name))
    return chunk.encode()


def crd_chunks(catalog):
    for group in sorted(os.listdir(catalog)):
        folder = os.path.join(catalog, group)
        if not os.path.isdir(folder):
            continue
        for file_name in sorted(os.listdir(folder)):
            if not file_name.endswith(".json") or "_" not in file_name:
                continue
            kind, version = file_name[: -len(".json")].rsplit("_", 1)
            with open(os.path.join(folder, file_name), encoding="utf-8") as handle:
                schema = json.load(handle)
            chunk = Chunk()
            chunk.add("schema", chunk.node(schema, strict_root=True))
            yield f"crd/{group}/{version}/{kind.lower()}", chunk.encode()


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crd-catalog", default=os.path.join(root, "..", "shared", "data", "crd-schemas"))
    parser.add_argument("--output", default=os.path.join(root, "Sources", "Flux", "Schema", "Builtin"))
    arguments = parser.parse_args()

    k8s_root, k8s_version = kubernetes_directory()
    payloads = []  # (index name, raw chunk bytes)
    shipped = []
    for minor in KUBERNETES_MINORS:
        directory = os.path.join(k8s_root, f"v1.{minor}.0-local-strict")
        if not os.path.isdir(directory):
            print(f"gen-schemas: kubernetes-validate {k8s_version} has no v1.{minor}; skipped", file=sys.stderr)
            continue
        shipped.append(minor)
        payloads.append((f"k8s/{minor}", kubernetes_chunk(directory)))
    if not shipped:
        sys.exit("gen-schemas: no Kubernetes minor found in kubernetes-validate")
    payloads += list(crd_chunks(arguments.crd_catalog))

    # Chunk 0 is the index; chunk n (n >= 1) is payloads[n - 1].
    encoded = [base64.b64encode(zlib.compress(raw, 9)).decode("ascii") for _, raw in payloads]
    # Chunk offsets count base64 characters from the end of the index chunk.
    index = Chunk()
    for number, (name, _) in enumerate(payloads):
        index.add(name, varint(number))
    table = bytearray(varint(len(encoded)))
    offset = 0
    for text in encoded:
        table += varint(offset) + varint(len(text))
        offset += len(text)
    index.add("chunks", bytes(table))
    index_text = base64.b64encode(zlib.compress(index.encode(), 9)).decode("ascii")
    blob = index_text + "".join(encoded)

    os.makedirs(arguments.output, exist_ok=True)
    lines = [blob[i:i + LINE_LENGTH] for i in range(0, len(blob), LINE_LENGTH)]
    swift = [
        "// Generated by scripts/gen-schemas.py: do not edit. Regenerate with `python3 scripts/gen-schemas.py`.",
        f"// Kubernetes {', '.join(f'1.{m}' for m in shipped)} from kubernetes-validate {k8s_version} (Apache-2.0);",
        "// CRD schemas from datreeio/CRDs-catalog (MIT, see LICENSE-crd-catalog in this folder).",
        "",
        "/// The built-in schemas: base64 text of zlib chunks (see ``BuiltinSchemas``). Line breaks are",
        "/// skipped when decoding; offsets in the index count only base64 characters.",
        "enum BuiltinSchemaData {",
        f"    static let kubernetesMinors: [Int] = [{', '.join(str(m) for m in shipped)}]",
        f"    static let characterCount = {len(blob)}",
        f"    static let indexCharacterCount = {len(index_text)}",
        f"    static let lineLength = {LINE_LENGTH}",
        '    static let text: StaticString = """',
        *lines,
        '"""',
        "}",
        "",
    ]
    with open(os.path.join(arguments.output, "BuiltinSchemaData.swift"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(swift))
    shutil.copyfile(os.path.join(arguments.crd_catalog, "LICENSE"), os.path.join(arguments.output, "LICENSE-crd-catalog"))
    raw_total = sum(len(raw) for _, raw in payloads)
    print(f"gen-schemas: Kubernetes {shipped}, {len(payloads) - len(shipped)} CRD kinds; "
          f"{raw_total} bytes precompiled, {len(blob)} base64 characters compressed")


if __name__ == "__main__":
    main()
