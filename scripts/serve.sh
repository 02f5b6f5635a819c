#!/usr/bin/env bash
# Build the page and serve it on loopback.
#
#   bash scripts/serve.sh          # http://127.0.0.1:8000/
#   PORT=9000 bash scripts/serve.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

port="${PORT:-8000}"

bash scripts/setup.sh
bash scripts/build-wasm.sh

echo
echo "serving www/ at http://127.0.0.1:$port/  (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 "$port" --directory www
