// Edge states: goroutines already in a syscall / running / runnable / sleeping when tracing
// starts and stops, GOMAXPROCS 1->4->3->2 (Ps appearing and disappearing), CPU profiling,
// locked OS thread, and a ~2.3 s trace (several generations in Go 1.22+).
package main

import (
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync/atomic"
	"syscall"
	"time"
)

var stop atomic.Bool
var sink int

func spin(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			sink += i
		}
	}
}

func blockingRead(fd int) {
	b := make([]byte, 1)
	syscall.Read(fd, b) // raw blocking syscall, no netpoller
}

func main() {
	var p1, p2 [2]int
	syscall.Pipe(p1[:])
	syscall.Pipe(p2[:])
	// In a syscall before the trace starts; released mid-trace.
	go blockingRead(p1[0])
	// In a syscall before the trace starts and still at the end.
	go blockingRead(p2[0])
	// Running across the start.
	go func() {
		for !stop.Load() {
			spin(5 * time.Millisecond)
			runtime.Gosched()
		}
	}()
	// Sleeping across the start.
	go func() { time.Sleep(700 * time.Millisecond); spin(2 * time.Millisecond) }()
	// Locked thread.
	go func() {
		runtime.LockOSThread()
		for !stop.Load() {
			time.Sleep(37 * time.Millisecond)
			spin(time.Millisecond)
		}
	}()
	// Many runnable goroutines at the start.
	for i := 0; i < 30; i++ {
		go spin(3 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)

	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	pprof.StartCPUProfile(io.Discard)
	defer pprof.StopCPUProfile()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	for i, n := range []int{1, 4, 3, 2} {
		runtime.GOMAXPROCS(n)
		for j := 0; j < 4; j++ {
			go spin(time.Duration(j+1) * 2 * time.Millisecond)
		}
		if i == 2 {
			syscall.Write(p1[1], []byte("x"))
			// A new goroutine that enters a syscall and never leaves it.
			var p3 [2]int
			syscall.Pipe(p3[:])
			go blockingRead(p3[0])
			runtime.GC()
		}
		time.Sleep(550 * time.Millisecond)
	}
	// Still running on another P at trace stop.
	go spin(200 * time.Millisecond)
	time.Sleep(time.Millisecond)
	trace.Stop()
	stop.Store(true)
}
