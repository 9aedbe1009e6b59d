// Go 1.25+: a flight-recorder snapshot (trace that starts mid-run).
package main

import (
	"context"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 300 * time.Millisecond, MaxBytes: 2 << 20})
	if err := fr.Start(); err != nil {
		panic(err)
	}
	deadline := time.Now().Add(1500 * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ch := make(chan int)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, task := trace.NewTask(context.Background(), "w")
			defer task.End()
			for n := 0; time.Now().Before(deadline); n++ {
				trace.WithRegion(ctx, "step", func() {
					mu.Lock()
					time.Sleep(100 * time.Microsecond)
					mu.Unlock()
				})
				if n%50 == 0 {
					trace.Log(ctx, "n", "x")
				}
				select {
				case ch <- n:
				case <-time.After(time.Millisecond):
				}
			}
		}(i)
	}
	go func() {
		for range ch {
			time.Sleep(300 * time.Microsecond)
		}
	}()
	wg.Wait()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if _, err := fr.WriteTo(f); err != nil {
		panic(err)
	}
	f.Close()
	fr.Stop()
}
