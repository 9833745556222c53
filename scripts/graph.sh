#!/usr/bin/env bash
# Regenerates docs/schema.svg, the example project's diagram shown in the README, from the
# models in models/ (no database needed): `npm run docs:graph` (after `npm run build`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node bin/run.js db graph --format svg --out docs/schema.svg
