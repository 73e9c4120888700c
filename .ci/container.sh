#!/usr/bin/env bash
# CI step after `npm test`: a Docker engine from nothing, then the container tests.
# Runs as root in a fresh clone with ../shared beside it. No image registry is reachable, so the
# shared script builds local Node base images (amd64 natively, arm64 under QEMU); the tests build
# the app image on them. Measured on a fresh machine: setup ~3 min (169 s), container tests ~1 min.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODE_MAJOR=24 ARCHES="amd64 arm64" bash ../shared/tools/docker-here.sh
NODE_IMAGE=local/node:24-bookworm NODE_IMAGE_ARM64=local/node:24-bookworm-arm64 ARCHES="amd64 arm64" \
  npm run test:container
