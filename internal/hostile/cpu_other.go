//go:build unix && !linux

package hostile

import (
	"syscall"
	"time"
)

// CPU is the processor time the process uses while f runs: without
// per-thread accounting, other goroutines' work counts too.
func CPU(f func()) time.Duration {
	before := ProcessCPU()
	f()
	return ProcessCPU() - before
}

// ProcessCPU is the processor time the whole process has used so far.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
