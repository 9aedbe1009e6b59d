package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/trace"
	"sync"
	"syscall"
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

	// TCP echo server on 127.0.0.1
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				io.Copy(c, c)
			}(c)
		}
	}()
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			defer c.Close()
			r := bufio.NewReader(c)
			buf := make([]byte, 64)
			for time.Now().Before(deadline) {
				c.Write([]byte("hello world, this is a line\n"))
				if _, err := io.ReadFull(r, buf[:28]); err != nil {
					panic(err)
				}
			}
		}()
	}
	// short-lived TCP connections
	wg.Add(1)
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			c.Write([]byte("x"))
			b := make([]byte, 1)
			c.Read(b)
			c.Close()
			time.Sleep(2 * time.Millisecond)
		}
	}()
	// pipe I/O
	pr, pw, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			pw.Write(make([]byte, 4096))
			time.Sleep(100 * time.Microsecond)
		}
		pw.Close()
	}()
	go func() {
		defer wg.Done()
		io.Copy(io.Discard, pr)
	}()
	// file I/O and raw syscalls
	dir, _ := os.MkdirTemp("", "ccio")
	defer os.RemoveAll(dir)
	wg.Add(2)
	go func() {
		defer wg.Done()
		p := filepath.Join(dir, "f")
		data := make([]byte, 32<<10)
		for time.Now().Before(deadline) {
			os.WriteFile(p, data, 0o644)
			os.ReadFile(p)
			fd, _ := os.Open(p)
			fd.Sync()
			fd.Close()
		}
	}()
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			syscall.Getpid()
			var ts syscall.Timespec
			ts.Nsec = 200000
			syscall.Nanosleep(&ts, nil) // blocking syscall
			os.Stat("/")
		}
	}()
	wg.Wait()
	ln.Close()
}
