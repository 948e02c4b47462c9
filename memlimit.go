package main

import (
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The Go collector lets the heap grow to twice what is live (GOGC=100)
// before it runs: the garbage of thousands of connections' setup doubles
// the resident memory of a server holding them. A soft memory limit makes
// it collect sooner when the process nears the limit (and gives memory back
// to the system), at the cost of more collection near the limit; past it,
// the collector takes at most half the CPU, never stops the server.

// memoryLimitShare is the part of a container's memory limit that "auto"
// sets as the soft limit, leaving room for what the runtime does not
// count (cgo, the binary's mapped pages).
const memoryLimitShare = 0.9

// memoryLimit returns the soft memory limit in bytes that setting asks
// for, 0 for none, and where it came from (for the log):
//   - "auto": GOMEMLIMIT when set (the runtime applied it), else
//     memoryLimitShare of the container's memory limit (cgroup v2 or v1),
//     else none;
//   - "off": none;
//   - a size: bytes, or with a suffix KiB, MiB or GiB (as GOMEMLIMIT).
func memoryLimit(setting, goMemLimit string, readFile func(string) ([]byte, error)) (int64, string, error) {
	switch setting {
	case "off":
		return 0, "off", nil
	case "auto", "":
		if goMemLimit != "" {
			return 0, "GOMEMLIMIT", nil
		}
		if n := containerMemory(readFile); n > 0 {
			return int64(float64(n) * memoryLimitShare), "container", nil
		}
		return 0, "none (no container limit)", nil
	}
	n, err := parseSize(setting)
	if err != nil || n < 64<<20 {
		return 0, "", fmt.Errorf("memory-limit must be auto, off or a size of at least 64MiB (e.g. 512MiB, 2GiB), got %q", setting)
	}
	return n, "memory-limit", nil
}

// applyMemoryLimit sets the soft memory limit the setting asks for.
func applyMemoryLimit(setting string) (string, error) {
	n, from, err := memoryLimit(setting, os.Getenv("GOMEMLIMIT"), os.ReadFile)
	if err != nil {
		return "", err
	}
	switch {
	case n > 0:
		debug.SetMemoryLimit(n)
		return fmt.Sprintf("%d MiB (%s)", n>>20, from), nil
	case from == "off":
		debug.SetMemoryLimit(math.MaxInt64) // none, even if GOMEMLIMIT said otherwise
	}
	return from, nil
}

// parseSize reads bytes with an optional binary suffix.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("not a size: %q", s)
	}
	return n * mult, nil
}

// containerMemory is the memory limit of the process's cgroup, 0 when
// there is none (or it cannot be read): cgroup v2's memory.max ("max": no
// limit), else v1's memory.limit_in_bytes (a huge number: no limit).
func containerMemory(readFile func(string) ([]byte, error)) int64 {
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := readFile(path)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 {
			return 0
		}
		return n
	}
	return 0
}
