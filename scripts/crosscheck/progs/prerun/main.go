// 3000 goroutines runnable (never run) when tracing starts.
package main

import (
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	runtime.GOMAXPROCS(1)
	var wg sync.WaitGroup
	for i := 0; i < 3000; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); time.Sleep(time.Microsecond) }()
	}
	f, _ := os.Create(os.Args[1])
	trace.Start(f)
	wg.Wait()
	time.Sleep(50 * time.Millisecond)
	trace.Stop()
	f.Close()
}
