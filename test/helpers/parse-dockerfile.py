"""Parse a Dockerfile with dockerfile-parse and print its instructions and stages as JSON."""
import json
import sys

from dockerfile_parse import DockerfileParser

parser = DockerfileParser(sys.argv[1])
json.dump(
    {
        "parentImages": parser.parent_images,
        "instructions": [
            {"instruction": i["instruction"], "value": i["value"]}
            for i in parser.structure
            if i["instruction"] != "COMMENT"
        ],
    },
    sys.stdout,
)
