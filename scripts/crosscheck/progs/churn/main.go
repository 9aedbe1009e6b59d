package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"sync"
	"time"
)

var keep [][]byte

func work(ctx context.Context, id int) {
	trace.WithRegion(ctx, "alloc", func() {
		b := make([][]byte, 0, 64)
		for i := 0; i < 64; i++ {
			b = append(b, make([]byte, 1024+id%7*256))
		}
		if id%50 == 0 {
			keep = append(keep, b[0])
		}
	})
	if id%10 == 0 {
		trace.Log(ctx, "progress", fmt.Sprint(id))
	}
}

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	debug.SetGCPercent(20)
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()
	deadline := time.Now().Add(400 * time.Millisecond)
	ctx, root := trace.NewTask(context.Background(), "root")
	trace.Log(ctx, "phase", "start")
	var wg sync.WaitGroup
	id := 0
	procs := []int{2, 1, 2, 1}
	round := 0
	for time.Now().Before(deadline) {
		rctx, task := trace.NewTask(ctx, "round")
		region := trace.StartRegion(rctx, "spawn")
		for j := 0; j < 40; j++ {
			wg.Add(1)
			id++
			go func(id int) {
				defer wg.Done()
				wctx, t := trace.NewTask(rctx, "worker")
				work(wctx, id)
				t.End()
			}(id)
		}
		region.End()
		trace.WithRegion(rctx, "wait", wg.Wait)
		task.End()
		round++
		if round%25 == 0 {
			runtime.GOMAXPROCS(procs[(round/25)%len(procs)])
			trace.Logf(ctx, "gomaxprocs", "%d", runtime.GOMAXPROCS(0))
		}
		if round%60 == 0 {
			runtime.GC()
		}
		if len(keep) > 2000 {
			keep = nil
		}
	}
	// an unfinished task and region at trace end
	_, open := trace.NewTask(ctx, "left-open")
	_ = open
	trace.StartRegion(ctx, "left-open-region")
	trace.Log(ctx, "phase", "end")
	root.End()
}
