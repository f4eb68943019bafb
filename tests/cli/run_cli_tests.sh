#!/usr/bin/env bash
# End-to-end tests of the lmc command line: filled in with the CLI.
set -euo pipefail
echo "cli: 0 passed, 0 failed"
