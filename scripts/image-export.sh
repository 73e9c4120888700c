#!/usr/bin/env bash
# image-export.sh: build the image for ONE platform (default linux/arm64, the Pi) and hand it over
# without a registry: as a gzipped `docker save` tarball, or streamed straight into a Pi over SSH.
#
#   scripts/image-export.sh                             -> dist/image/anova-control-server-<version>-arm64.tar.gz
#   PI=pi@anova-server.local scripts/image-export.sh    -> docker save | gzip | ssh $PI 'gunzip | docker load'
#
#   PLATFORM    default linux/arm64 (linux/amd64 for an x86 host)
#   OUT         tarball path (default above); ignored with PI
#   NODE_IMAGE  base image override;  NPM_CA=/path/ca.pem for npm behind a TLS proxy
#
# Copying a tarball by hand instead:  scp FILE pi@anova-server.local:  then on the Pi
#   gunzip -c FILE | docker load && docker compose up -d
# The image is tagged anova-control-server:<version> and :latest. compose.yaml runs the published
# ghcr.io image by default: put APP_IMAGE=anova-control-server:latest in the Pi's .env (once) so it
# runs this one instead (docs/deploy-raspberry-pi.md, "Updating"). The tags also replace this
# machine's own anova-control-server:latest, if it runs one: rebuild that afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

platform=${PLATFORM:-linux/arm64}
arch=${platform#linux/}; arch=${arch//\//}
version=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' package.json)
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
name=anova-control-server

args=(--platform "$platform" -f docker/Dockerfile --build-arg "VERSION=$version" --build-arg "REVISION=$revision"
      -t "$name:$version" -t "$name:latest")
[ -n "${NODE_IMAGE:-}" ] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
[ -n "${NPM_CA:-}" ] && args+=(--secret "id=npm_ca,src=$NPM_CA")

echo "image-export.sh: building $name:$version for $platform"
# --load puts the single-platform result into the local engine, which `docker save` reads.
docker buildx build "${args[@]}" --load .

if [ -n "${PI:-}" ]; then
  echo "image-export.sh: streaming to $PI"
  docker save "$name:$version" "$name:latest" | gzip -1 | ssh "$PI" 'gunzip | docker load'
  echo "image-export.sh: on the Pi, APP_IMAGE=$name:latest in .env runs it (then docker compose up -d)"
else
  out=${OUT:-dist/image/$name-$version-$arch.tar.gz}
  mkdir -p "$(dirname "$out")"
  docker save "$name:$version" "$name:latest" | gzip -1 >"$out"
  echo "image-export.sh: wrote $out ($(du -h "$out" | cut -f1))"
fi
