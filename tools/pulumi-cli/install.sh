#!/usr/bin/env bash
# `npm run pulumi:install`: a real Pulumi CLI for the demo, the CLI's verbs and `npm run test:engine`.
#
# Tries, in order, and stops at the first that works:
#   1. a `pulumi` on PATH of the wanted version (a release comes with its language hosts);
#   2. a build from the Go module proxy into a cache outside the repository: the CLI
#      (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi), this repository's small Node.js language host
#      (tools/pulumi-cli/langhost-nodejs: Pulumi's own has no tags, and the proxy serves none of its
#      pseudo-versions), Pulumi YAML's host (github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
#      and the dynamic provider's launcher script.
# (npm's `pulumi` package downloads a release from get.pulumi.com, which this workplace cannot
# reach; a `pulumi` it left on PATH is found by step 1.)
#
# Cached and idempotent: a finished build is reused. Progress goes to stderr; the LAST line of
# stdout is the absolute path of the directory holding `pulumi` and its plugins, so a script can
#   PATH="$(npm run -s pulumi:install | tail -n 1):$PATH"
# Nothing works: one message on stderr, exit 1.
#
# The version: @pulumi/pulumi is 3.270.0, but the proxy serves pkg/v3 at 3.260.0 and 3.274.0 and
# nothing between; 3.274.0 is the nearest CLI at or above the SDK (a CLI may be newer than the SDK,
# never the other way round). It is in VERSION beside this script (cli/pulumi-cli.ts reads it too);
# PULUMI_CLI_VERSION overrides it; GOPROXY / GOFLAGS are go's own. The cache: $PULUMI_CSS_CACHE, else
# $XDG_CACHE_HOME/pulumi-css-pull-tasks, else ~/.cache/pulumi-css-pull-tasks.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="${PULUMI_CLI_VERSION:-$(cat "$here/VERSION")}"
yaml_version="${PULUMI_YAML_VERSION:-1.25.0}"
cache_root="${PULUMI_CSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-css-pull-tasks}"
out="$cache_root/pulumi-cli/v$version"
bin="$out/bin"

say() { printf '%s\n' "$*" >&2; }
# A fingerprint of what this script builds: a changed language host source rebuilds it.
stamp="$(cat "$0" "$here/langhost-nodejs/main.go" | sha256sum | cut -c1-16)"
# (cli/pulumi-cli.ts takes a build as finished when .complete exists, whatever its stamp.)

# 1. A pulumi on PATH of this version, with the Node.js language host beside it.
if command -v pulumi >/dev/null 2>&1; then
  found="$(pulumi version 2>/dev/null || true)"
  dir="$(cd "$(dirname "$(command -v pulumi)")" && pwd)"
  if [ "$found" = "v$version" ] && [ -x "$dir/pulumi-language-nodejs" ]; then
    say "pulumi $found on PATH ($dir)"
    echo "$dir"
    exit 0
  fi
  # (npm's `pulumi` shim on PATH answers nothing offline: not worth a line.)
  [ -z "$found" ] || [ "$dir" = "$bin" ] || say "pulumi on PATH is $found, not v$version: using a build of v$version"
fi

if [ -f "$out/.complete" ] && [ "$(cat "$out/.complete")" = "$stamp" ] && [ -x "$bin/pulumi" ]; then
  say "pulumi v$version (cached build in $bin)"
  echo "$bin"
  exit 0
fi

# 2. Build from the Go module proxy.
if ! command -v go >/dev/null 2>&1; then
  say "pulumi:install: no pulumi v$version on PATH and no Go toolchain to build one. Install the Pulumi CLI"
  say "(https://www.pulumi.com/docs/install/) or Go >= 1.25 with access to a Go module proxy (GOPROXY), then run again."
  exit 1
fi
mkdir -p "$bin"
started=$(date +%s)
log="$out/build.log"
: >"$log"
# go_build DIR GO_MOD REQUIREMENTS PACKAGE OUTPUT LDFLAGS: a throwaway module of our own that
# requires the modules at their versions (`go get`) and builds the package (`go install` refuses
# pkg/v3: its go.mod has `replace ... => ../sdk`, so the non-local replace it also has is repeated).
go_build() {
  local dir="$1" gomod="$2" requirements="$3" pkg="$4" output="$5" ldflags="$6"
  mkdir -p "$dir"
  printf '%s\n' "$gomod" >"$dir/go.mod"
  # shellcheck disable=SC2086 # the requirements are words
  (cd "$dir" && go get $requirements >>"$log" 2>&1 && { [ "$pkg" != . ] || go mod tidy >>"$log" 2>&1; } &&
    go build -trimpath -ldflags "$ldflags" -o "$output" "$pkg" >>"$log" 2>&1)
}
vflag="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
clipboard='replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e'

step() {
  say "[$(( $(date +%s) - started ))s] $1"
}
failed() {
  say "pulumi:install: $1 failed; the last lines of $log:"
  tail -n 15 "$log" >&2
  say "Needs a Go module proxy serving github.com/pulumi/pulumi/pkg/v3@v$version (GOPROXY=$(go env GOPROXY))."
  exit 1
}

step "building the Pulumi CLI v$version from the Go module proxy (first time: about 10-15 minutes on 2 cores)"
go_build "$out/src/cli" "module local/pulumi-cli
go 1.26
$clipboard" "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version github.com/pulumi/pulumi/sdk/v3@v$version" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi" "$vflag" || failed "building the CLI"

step "building the Node.js language host (tools/pulumi-cli/langhost-nodejs)"
lh_dir="$out/src/langhost-nodejs"
mkdir -p "$lh_dir"
cp "$here/langhost-nodejs/main.go" "$lh_dir/main.go"
go_build "$lh_dir" "module local/pulumi-language-nodejs
go 1.26" "github.com/pulumi/pulumi/sdk/v3@v$version" . "$bin/pulumi-language-nodejs" "$vflag" ||
  failed "building the Node.js language host"

# With the Pulumi versions its own go.mod asks for (3.206): it does not compile against 3.274's
# plugin API, and the engine speaks to it over gRPC only.
step "building the Pulumi YAML language host v$yaml_version"
go_build "$out/src/langhost-yaml" "module local/pulumi-language-yaml
go 1.26
$clipboard" "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "$bin/pulumi-language-yaml" \
  "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$yaml_version" ||
  failed "building the YAML language host"

# The plugin the engine loads for pulumi-nodejs:dynamic:Resource: Pulumi's release ships a script
# of this shape (sdk/nodejs/dist/pulumi-resource-pulumi-nodejs). It runs the dynamic provider of
# the @pulumi/pulumi the program's directory resolves.
cat >"$bin/pulumi-resource-pulumi-nodejs" <<'EOF'
#!/bin/sh
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
EOF
chmod +x "$bin/pulumi-resource-pulumi-nodejs"

"$bin/pulumi" version >/dev/null 2>&1 || failed "running the built CLI"
echo "$stamp" >"$out/.complete"
step "done: pulumi $("$bin/pulumi" version) in $bin (build took $(( $(date +%s) - started )) s)"
echo "$bin"
