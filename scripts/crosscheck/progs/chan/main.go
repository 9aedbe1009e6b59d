package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()
	deadline := time.Now().Add(400 * time.Millisecond)
	var wg sync.WaitGroup
	// ping-pong pairs over unbuffered channels
	for p := 0; p < 3; p++ {
		ping, pong := make(chan int), make(chan int)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				ping <- i
				<-pong
			}
			close(ping)
		}()
		go func() {
			defer wg.Done()
			for v := range ping {
				if v%20 == 0 {
					time.Sleep(50 * time.Microsecond)
				}
				pong <- v
			}
		}()
	}
	// select over several channels + timers
	a, b, quit := make(chan int, 4), make(chan string), make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		tk := time.NewTicker(3 * time.Millisecond)
		defer tk.Stop()
		n := 0
		for {
			select {
			case <-a:
				n++
			case <-b:
				n++
			case <-tk.C:
				n++
			case <-time.After(20 * time.Millisecond):
				n++
			case <-quit:
				return
			}
		}
	}()
	wg.Add(2)
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			a <- 1
			time.Sleep(200 * time.Microsecond)
		}
	}()
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			b <- "x"
			time.Sleep(1 * time.Millisecond)
		}
	}()
	// sleepers
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				time.Sleep(time.Duration(i+1) * time.Millisecond)
			}
		}(i)
	}
	// a goroutine blocked forever (still waiting at trace end)
	never := make(chan int)
	go func() { <-never }()
	time.Sleep(450 * time.Millisecond)
	close(quit)
	wg.Wait()
}
