package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cgroupFiles reads the paths memoryLimit asks for from a folder of real
// files laid out as /sys/fs/cgroup.
func cgroupFiles(t *testing.T, files map[string]string) func(string) ([]byte, error) {
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return func(path string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, strings.TrimPrefix(path, "/sys/fs/cgroup/")))
	}
}

func TestMemoryLimit(t *testing.T) {
	v2 := cgroupFiles(t, map[string]string{"memory.max": "1073741824\n"})
	v2none := cgroupFiles(t, map[string]string{"memory.max": "max\n"})
	v1 := cgroupFiles(t, map[string]string{"memory/memory.limit_in_bytes": "536870912\n"})
	v1none := cgroupFiles(t, map[string]string{"memory/memory.limit_in_bytes": "9223372036854771712\n"})
	none := cgroupFiles(t, nil)
	for _, c := range []struct {
		setting, gomemlimit string
		files               func(string) ([]byte, error)
		want                int64
		from                string
	}{
		{"auto", "", v2, 966367641, "container"},
		{"auto", "", v1, 483183820, "container"},
		{"auto", "", v2none, 0, "none (no container limit)"},
		{"auto", "", v1none, 0, "none (no container limit)"},
		{"auto", "", none, 0, "none (no container limit)"},
		{"auto", "300MiB", v2, 0, "GOMEMLIMIT"}, // the runtime applied it
		{"off", "", v2, 0, "off"},
		{"512MiB", "300MiB", v2, 512 << 20, "memory-limit"},
		{"2GiB", "", none, 2 << 30, "memory-limit"},
		{"100000000", "", none, 100000000, "memory-limit"},
	} {
		got, from, err := memoryLimit(c.setting, c.gomemlimit, c.files)
		if err != nil || got != c.want || from != c.from {
			t.Errorf("memoryLimit(%q, GOMEMLIMIT=%q) = %d, %q, %v; want %d, %q", c.setting, c.gomemlimit, got, from, err, c.want, c.from)
		}
	}
	for _, bad := range []string{"lots", "512MB", "-1", "1MiB", "63MiB", "99999999999GiB", " 512MiB"} {
		if _, _, err := memoryLimit(bad, "", none); err == nil || !strings.Contains(err.Error(), "memory-limit") {
			t.Errorf("memoryLimit(%q): %v, want an error naming memory-limit", bad, err)
		}
	}
}
