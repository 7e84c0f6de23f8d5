#!/usr/bin/env bash
# Builds the container image of every p2plab service from the one shared Dockerfile, with docker
# or podman, and optionally pushes them or loads them into a kind or minikube cluster.
#
#   scripts/build-images.sh                      build p2plab/<service>:<appVersion> for every service
#   scripts/build-images.sh --load kind          ... and kind load docker-image each (cluster "kind")
#   scripts/build-images.sh --load minikube      ... and minikube image load each
#   scripts/build-images.sh --registry ghcr.io/you --push
#                                                ghcr.io/you/p2plab/<service>:<tag>, pushed; then
#                                                helm install ... --set image.registry=ghcr.io/you
#   scripts/build-images.sh chord-node           only the named services
#
# Options:
#   --tool docker|podman   the container tool (default: docker if installed, else podman)
#   --registry REG         prefix of every image name (default: none, as the chart's default)
#   --tag TAG              image tag (default: the chart's appVersion, which the chart defaults to)
#   --push                 push every image (needs --registry)
#   --load kind|minikube   load every image into a local cluster
#   --kind-name NAME       the kind cluster to load into (default: kind)
#   --platform OS/ARCH     build for another platform (e.g. linux/arm64)
#   --no-package           use the jars already in */target instead of running ./mvnw package
#   --print-base-digest    pull the JRE base by its tag and print tag@digest to pin in Dockerfile
#
# Services are the modules built with spring-boot-maven-plugin (chord-node, gateway, ...); image
# names are [<registry>/]p2plab/<service>:<tag>, exactly what helm/p2plab renders.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "build-images: $*" >&2; exit 2; }

tool="" registry="" tag="" push=false load="" kind_name=kind platform="" package=true print_digest=false
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tool) tool=${2:?--tool needs docker or podman}; shift 2 ;;
    --registry) registry=${2:?--registry needs a value}; registry=${registry%/}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --push) push=true; shift ;;
    --load) load=${2:?--load needs kind or minikube}; shift 2 ;;
    --kind-name) kind_name=${2:?--kind-name needs a value}; shift 2 ;;
    --platform) platform=${2:?--platform needs a value}; shift 2 ;;
    --no-package) package=false; shift ;;
    --print-base-digest) print_digest=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) services+=("$1"); shift ;;
  esac
done

if [ -z "$tool" ]; then
  if command -v docker > /dev/null; then tool=docker
  elif command -v podman > /dev/null; then tool=podman
  else die "needs docker or podman (or --tool)"; fi
fi
case "$tool" in docker|podman) ;; *) die "--tool must be docker or podman, not $tool" ;; esac
command -v "$tool" > /dev/null || die "$tool is not installed"
case "$load" in ""|kind|minikube) ;; *) die "--load must be kind or minikube, not $load" ;; esac
if $push && [ -z "$registry" ]; then die "--push needs --registry"; fi
if [ -n "$load" ]; then command -v "$load" > /dev/null || die "--load $load: $load is not installed"; fi

base=$(sed -n 's/^ARG JRE_IMAGE=//p' Dockerfile)
[ -n "$base" ] || die "Dockerfile has no ARG JRE_IMAGE"
if $print_digest; then
  base_tag=${base%@*}
  "$tool" pull "$base_tag" > /dev/null
  digest=$("$tool" image inspect --format '{{index .RepoDigests 0}}' "$base_tag")
  echo "$base_tag@${digest##*@}"
  exit 0
fi

all=()
for pom in */pom.xml; do
  grep -q '<artifactId>spring-boot-maven-plugin</artifactId>' "$pom" && all+=("$(dirname "$pom")")
done
[ ${#services[@]} -gt 0 ] || services=("${all[@]}")
for s in "${services[@]}"; do
  printf '%s\n' "${all[@]}" | grep -qx "$s" || die "no service $s (services: ${all[*]})"
done

[ -n "$tag" ] || tag=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' helm/p2plab/Chart.yaml)
[ -n "$tag" ] || die "no --tag and no appVersion in helm/p2plab/Chart.yaml"

if $package; then
  ./mvnw -B -q -DskipTests package -pl "$(IFS=,; echo "${services[*]}")" -am
fi

images=()
for s in "${services[@]}"; do
  jars=()
  for j in "$s"/target/"$s"-*.jar; do
    case "$j" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    [ -f "$j" ] && jars+=("$j")
  done
  [ ${#jars[@]} -eq 1 ] || die "expected one packaged jar in $s/target, found ${#jars[@]}: run ./mvnw -B -DskipTests clean package"
  image="${registry:+$registry/}p2plab/$s:$tag"
  args=(build -f Dockerfile --build-arg "SERVICE=$s" --build-arg "JAR=${jars[0]}" -t "$image")
  [ -z "$platform" ] || args+=(--platform "$platform")
  echo "build-images: $image from ${jars[0]}" >&2
  "$tool" "${args[@]}" .
  images+=("$image")
done

for image in "${images[@]}"; do
  if $push; then "$tool" push "$image"; fi
  case "$load" in
    kind)
      if [ "$tool" = podman ]; then
        # kind loads from docker's store; with podman hand it an image archive
        archive=$(mktemp --suffix=.tar)
        podman save -o "$archive" "$image"
        kind load image-archive "$archive" --name "$kind_name"
        rm -f "$archive"
      else
        kind load docker-image "$image" --name "$kind_name"
      fi ;;
    minikube) minikube image load "$image" ;;
  esac
done
printf '%s\n' "${images[@]}"
