package hostile

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// CPU is the processor time f takes on its own thread, whatever else the
// process does meanwhile. f must not hand its work to other goroutines.
func CPU(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := clock(clockThreadCPUTime)
	f()
	return clock(clockThreadCPUTime) - before
}

// ProcessCPU is the processor time the whole process has used so far.
func ProcessCPU() time.Duration { return clock(clockProcessCPUTime) }

// The clocks of clock_gettime(2) that count CPU time to the nanosecond
// (getrusage counts in scheduler ticks: a few milliseconds).
const (
	clockProcessCPUTime = 2
	clockThreadCPUTime  = 3
)

func clock(id uintptr) time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic(errno)
	}
	return time.Duration(ts.Nano())
}
