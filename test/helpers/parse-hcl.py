"""Print a Terraform file as JSON, parsed by python-hcl2 (no providers needed). Usage: parse-hcl.py FILE"""
import json
import sys

import hcl2

with open(sys.argv[1], encoding="utf-8") as f:
    print(json.dumps(hcl2.load(f)))
