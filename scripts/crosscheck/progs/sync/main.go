package main

import (
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

var sink int

func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i % 7
	}
	return s
}

func main() {
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
	defer trace.Stop()
	deadline := time.Now().Add(400 * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var rw sync.RWMutex
	shared := 0
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				mu.Lock()
				shared += spin(2000)
				mu.Unlock()
				spin(500)
			}
		}()
	}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(w bool) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if w {
					rw.Lock()
					shared += spin(5000)
					rw.Unlock()
					time.Sleep(300 * time.Microsecond)
				} else {
					rw.RLock()
					sink += spin(1000)
					rw.RUnlock()
				}
			}
		}(i == 0)
	}
	// Cond producer/consumer
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	queue := 0
	done := false
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				cmu.Lock()
				for queue == 0 && !done {
					cond.Wait()
				}
				if done && queue == 0 {
					cmu.Unlock()
					return
				}
				queue--
				cmu.Unlock()
				spin(3000)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			cmu.Lock()
			queue += 2
			cmu.Unlock()
			cond.Broadcast()
			time.Sleep(500 * time.Microsecond)
		}
		cmu.Lock()
		done = true
		cmu.Unlock()
		cond.Broadcast()
	}()
	// WaitGroup fan-out rounds
	wg.Add(1)
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			var inner sync.WaitGroup
			for j := 0; j < 8; j++ {
				inner.Add(1)
				go func() { defer inner.Done(); spin(800) }()
			}
			inner.Wait()
		}
	}()
	wg.Wait()
	sink += shared
}
