#!/usr/bin/env bash
# `npm run crosscheck:all`: builds the small programs in scripts/crosscheck/progs with every Go
# toolchain that scripts/get-go.sh unpacked (/opt/go-toolchains/usr/lib/go-1.*), records
# a trace with each, and compares the project's summary of it with Go's own reader (Go 1.26's
# `go tool trace -d=parsed`, which reads every format back to 1.11). One VERDICT line per trace;
# MISMATCH lines say what differs. Traces go to bench-data/crosscheck/.
#
# Known difference: Go's converter gives goroutines that were runnable when an old-format (<=1.21)
# trace started timestamps 1 ns apart in map order, so with very many of them Go's own output
# varies from run to run (see scripts/crosscheck/check.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLCHAINS=${TOOLCHAINS:-/opt/go-toolchains/usr/lib}
REF=${GO_REF:-$TOOLCHAINS/go-1.26/bin/go}
OUT=bench-data/crosscheck
mkdir -p "$OUT"
export GOTOOLCHAIN=local GOCACHE=${GOCACHE:-/tmp/gocache} GOFLAGS=
[ -x "$REF" ] || { echo "no reference Go at $REF (run scripts/get-go.sh 1.26, or set GO_REF)"; exit 2; }
for goroot in "$TOOLCHAINS"/go-1.*; do
  go="$goroot/bin/go"
  [ -x "$go" ] || continue
  ver=${goroot##*/go-}
  for prog in scripts/crosscheck/progs/*/; do
    name=$(basename "$prog")
    # The flight recorder exists from Go 1.25.
    if [ "$name" = flight ] && [ "$(printf '%s\n' "$ver" 1.25 | sort -V | head -1)" != 1.25 ]; then continue; fi
    bin="$OUT/$name-$ver"
    trace="$OUT/$name-go$ver.trace"
    (cd "$prog" && "$go" build -o "../../../../$bin" main.go)
    "$bin" "$trace" >/dev/null 2>&1
    node scripts/run.mjs scripts/crosscheck/check.ts "$trace" "$REF" 2>&1 | grep -E 'VERDICT|MISMATCH' | cut -c1-300
  done
done
