// tracebench: Go's own execution-trace reader with nothing on top, the speed anchor of
// `npm run bench` (issue 18: "Go's bare reader reading every event").
//
// It opens FILE, reads every event with internal/trace's Reader (the package golang.org/x/exp/trace
// is generated from), touches each event's kind and time so nothing is optimized away, and prints
// one JSON line: {"events": N, "ms": wall time of the read loop, "error": "..." when the reader
// stopped early}.
//
// internal/trace can only be imported from inside GOROOT, so scripts/bench.ts copies this file to
// GOROOT/src/cmd/tracebench/main.go and builds it there with `GOFLAGS=-mod=vendor go build`
// (the cmd module's vendored dependencies: no module is fetched).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"internal/trace"
	"io"
	"os"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tracebench FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	start := time.Now()
	out := map[string]any{}
	r, err := trace.NewReader(bufio.NewReaderSize(f, 1<<20))
	var events int64
	var kinds [32]int64
	var last trace.Time
	if err == nil {
		for {
			ev, err2 := r.ReadEvent()
			if err2 == io.EOF {
				break
			}
			if err2 != nil {
				err = err2
				break
			}
			events++
			kinds[int(ev.Kind())&31]++
			last = ev.Time()
		}
	}
	out["ms"] = float64(time.Since(start).Microseconds()) / 1000
	out["events"] = events
	out["lastTime"] = int64(last)
	if err != nil {
		out["error"] = err.Error()
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
