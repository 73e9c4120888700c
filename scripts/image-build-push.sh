#!/usr/bin/env bash
# image-build-push.sh: build the image for linux/amd64 and linux/arm64 with buildx and push one
# multi-arch tag to a registry (run it on a workstation, not on the Pi). This project's own releases
# come from .github/workflows/release.yml (docs/releasing.md); this is for your own registry.
#
#   IMAGE=ghcr.io/you/anova-control-server scripts/image-build-push.sh          # tags <version> and latest
#   IMAGE=registry.example.com/anova TAG=1.2.0-rc1 LATEST=0 scripts/image-build-push.sh
#
#   IMAGE       registry/repository to push to (required); log in first with `docker login`
#   TAG         default: the version in package.json;  LATEST=0 skips the :latest tag
#   PLATFORMS   default linux/amd64,linux/arm64
#   NODE_IMAGE  base image override (a mirror); NPM_CA=/path/ca.pem for npm behind a TLS proxy
#
# Then on the Pi: APP_IMAGE=$IMAGE:$TAG in .env, `docker compose pull && docker compose up -d`.
# Only the runtime stage is built per platform and it runs no commands, so no QEMU is needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${IMAGE:?set IMAGE to the registry/repository, e.g. IMAGE=ghcr.io/you/anova-control-server}"
version=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' package.json)
tag=${TAG:-$version}
platforms=${PLATFORMS:-linux/amd64,linux/arm64}
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

# The default `docker` build driver cannot produce a multi-platform image: use a docker-container builder.
builder=anova-multiarch
if ! docker buildx inspect "$builder" >/dev/null 2>&1; then
  docker buildx create --name "$builder" --driver docker-container >/dev/null
fi

args=(--builder "$builder" --platform "$platforms" -f docker/Dockerfile
      --build-arg "VERSION=$version" --build-arg "REVISION=$revision" -t "$IMAGE:$tag")
[ "${LATEST:-1}" = 1 ] && args+=(-t "$IMAGE:latest")
[ -n "${NODE_IMAGE:-}" ] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
[ -n "${NPM_CA:-}" ] && args+=(--secret "id=npm_ca,src=$NPM_CA")

echo "image-build-push.sh: $IMAGE:$tag for $platforms (revision $revision)"
docker buildx build "${args[@]}" --push .
docker buildx imagetools inspect "$IMAGE:$tag"
