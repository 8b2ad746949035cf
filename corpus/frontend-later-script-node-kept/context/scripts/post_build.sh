#!/bin/sh
set -e
# post-processing of the bundle with node
node -e "require(\"fs\").appendFileSync(\"static/dist/index.html\", \"<!-- post -->\")"
