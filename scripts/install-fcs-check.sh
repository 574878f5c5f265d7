#!/usr/bin/env bash
# Installs the npm package "fcs" (an independent FCS reader) into scripts/node_modules, where
# NodeFcsCrossCheckTest looks for it; the test skips, saying why, when node or the package is
# missing. Needs node and npm (Debian: apt-get install nodejs npm).  Usage: scripts/install-fcs-check.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v npm >/dev/null || { echo "install-fcs-check: npm is not installed" >&2; exit 1; }
npm install --no-audit --no-fund --no-package-lock --loglevel=error
node -e "require('./node_modules/fcs'); console.log('install-fcs-check: fcs ' + require('./node_modules/fcs/package.json').version + ' ready')"
