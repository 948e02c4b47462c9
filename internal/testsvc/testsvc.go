// Package testsvc starts private PostgreSQL and Redis servers, Redis
// Sentinel sets and Redis Clusters for fault tests: each test gets its own
// cluster or process on a free port, which it may freeze (SIGSTOP, as a
// hung host or a stalled network behaves), thaw, kill and restart without
// disturbing the shared services other tests use.
//
// A missing binary skips the test, or fails it when MKG_REQUIRE_SERVICES=1
// (as CI sets it), like the shared services in testenv.
package testsvc

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
)

// Process is a server process. Freezing or killing it reaches every
// process it forked too (PostgreSQL runs one per connection, each in a
// session of its own, so a process group would not do).
type Process struct {
	Name string
	Port int

	t       testing.TB
	command func() *exec.Cmd
	ready   func() error
	logPath string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
}

// Addr is host:port.
func (p *Process) Addr() string { return "127.0.0.1:" + strconv.Itoa(p.Port) }

// Freeze stops every process of the server (SIGSTOP): connections stay
// open and the kernel still accepts new ones, but nothing answers.
func (p *Process) Freeze() { p.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server (SIGCONT).
func (p *Process) Thaw() { p.signal(syscall.SIGCONT) }

// Kill ends the server at once (SIGKILL to the whole group) and waits for
// it to exit.
func (p *Process) Kill() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.killLocked()
}

// Restart starts the server again on the same port and data after Kill (or
// kills it first) and waits until it answers.
func (p *Process) Restart() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.killLocked()
	if err := p.startLocked(); err != nil {
		p.t.Fatal(err)
	}
}

func (p *Process) signal(sig syscall.Signal) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		p.t.Fatalf("%s is not running", p.Name)
	}
	if _, err := signalTree(p.cmd.Process.Pid, sig); err != nil {
		p.t.Fatalf("%s: %v: %v", p.Name, sig, err)
	}
}

// signalTree signals a process, then its descendants, and returns them
// all: the parent first, so that once it is stopped it forks no child the
// walk could miss.
func signalTree(pid int, sig syscall.Signal) ([]int, error) {
	if err := syscall.Kill(pid, sig); err != nil {
		return nil, err
	}
	pids := []int{pid}
	for i := 0; i < len(pids); i++ {
		for _, c := range children(pids[i]) {
			syscall.Kill(c, sig)
			pids = append(pids, c)
		}
	}
	return pids, nil
}

// children lists a process's children from /proc/PID/task/*/children, or
// by reading every process's parent where the kernel lacks those files.
func children(pid int) []int {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if len(files) == 0 {
		return scanChildren(pid)
	}
	var out []int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, field := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(field); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// scanChildren finds a process's children by their parent in /proc/*/stat.
func scanChildren(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			if c, err := strconv.Atoi(filepath.Base(filepath.Dir(f))); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

func (p *Process) killLocked() {
	if p.cmd == nil {
		return
	}
	// Stopped first, the tree cannot change (nor children be handed to init
	// when their parent dies) while it is killed.
	pids, _ := signalTree(p.cmd.Process.Pid, syscall.SIGSTOP)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	<-p.exited
	p.cmd = nil
	// The children too: a PostgreSQL backend that has not finished dying
	// still holds the cluster's shared memory, and a restart would refuse
	// it ("pre-existing shared memory block is still in use").
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids[1:] {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// alive reports whether a process exists and has not exited (a zombie,
// waiting for its parent to reap it, holds nothing any more).
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state …: the state follows the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

func (p *Process) startLocked() error {
	log, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := p.command()
	cmd.Stdout, cmd.Stderr = log, log
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// A test binary that dies (a panic, a timeout) takes its servers along.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	p.cmd, p.exited = cmd, exited
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := p.ready()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			p.cmd = nil
			return fmt.Errorf("%s exited at start:\n%s", p.Name, p.logTail())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not answer after 30 s: %v\n%s", p.Name, err, p.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop thaws the server and ends it: gently first (term), then for good.
func (p *Process) stop(term syscall.Signal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	pid := p.cmd.Process.Pid
	signalTree(pid, syscall.SIGCONT)
	syscall.Kill(pid, term)
	select {
	case <-p.exited:
		p.cmd = nil
	case <-time.After(5 * time.Second):
		p.killLocked()
	}
}

func (p *Process) logTail() string {
	b, _ := os.ReadFile(p.logPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// freePort returns a TCP port nobody listens on right now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// lookBinary finds a server binary, or skips (fails under
// MKG_REQUIRE_SERVICES=1) the test.
func lookBinary(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	testenv.Missing(t, fmt.Sprintf("%s not installed", names[0]))
	return ""
}

// start starts p on a free port. A port is free when chosen, not always
// when the server binds it (another test's server may have taken it in
// between): such a start is tried again on another port.
func start(t testing.TB, p *Process) *Process {
	t.Helper()
	p.t = t
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		p.Port = port
		p.mu.Lock()
		err = p.startLocked()
		p.mu.Unlock()
		if err == nil {
			return p
		}
		if attempt == 5 || !strings.Contains(err.Error(), "Address already in use") {
			t.Fatal(err)
		}
		os.Truncate(p.logPath, 0)
	}
}

// errNotReady: the server runs but does not answer yet.
var errNotReady = errors.New("not ready")
