#!/bin/sh
# Lists the files compiled into the program, one per line, relative to the source root.
cd "$(dirname "$0")/.." && find templates static data src/db/migrations -type f ! -name '.*' | LC_ALL=C sort
