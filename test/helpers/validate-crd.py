"""Validate objects against a CRD version's openAPIV3Schema with jsonschema (Draft 7 keywords).

stdin: {"schema": <openAPIV3Schema>, "objects": [...]}; stdout: one JSON list of error strings per object.
Fields a schema does not list are errors (as `kubectl apply` strict field validation rejects them),
except under x-kubernetes-preserve-unknown-fields.
"""
import json
import sys

import jsonschema


def strict(node):
    if isinstance(node, dict):
        if (
            "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


request = json.load(sys.stdin)
schema = strict(request["schema"])
# metadata is `type: object` in a CRD; the API server checks it, so it is not constrained here.
validator = jsonschema.Draft7Validator(schema)
result = [
    sorted(f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(obj))
    for obj in request["objects"]
]
json.dump(result, sys.stdout)
