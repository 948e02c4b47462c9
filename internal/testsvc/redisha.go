package testsvc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SentinelSet is a Redis master, one replica and Sentinels watching them,
// each a private process on a free port, stopped when the test ends.
type SentinelSet struct {
	MasterName string
	// Servers are the master and the replica as started; after a
	// fail-over their roles are swapped (MasterAddr tells which is which).
	Servers   []*Process
	Sentinels []*Process
	t         testing.TB
}

// RedisSentinel starts a master, a replica in sync with it, and n
// Sentinels (quorum n/2+1) that know each other, so that both a forced
// fail-over and one after the master dies can happen. A master is judged
// down after 1 s without an answer.
func RedisSentinel(t testing.TB, n int) *SentinelSet {
	t.Helper()
	s := &SentinelSet{MasterName: "mymaster", t: t}
	master := Redis(t)
	replica := redisServer(t, "--replicaof", "127.0.0.1", strconv.Itoa(master.Port))
	s.Servers = []*Process{master, replica}
	s.waitFor(10*time.Second, "the replica in sync", func() bool {
		info, err := redisDo(replica.Addr(), "INFO", "replication")
		return err == nil && strings.Contains(info[0], "master_link_status:up")
	})
	bin := lookBinary(t, "redis-server")
	for i := range n {
		dir := t.TempDir()
		p := &Process{Name: "redis-sentinel " + strconv.Itoa(i), logPath: filepath.Join(dir, "sentinel.log")}
		confFor := 0
		p.command = func() *exec.Cmd {
			conf := filepath.Join(dir, "sentinel.conf")
			if confFor != p.Port { // a restart keeps what Sentinel wrote there as it learnt
				confFor = p.Port
				os.WriteFile(conf, []byte(fmt.Sprintf(`port %d
bind 127.0.0.1
sentinel monitor %s 127.0.0.1 %d %d
sentinel down-after-milliseconds %[2]s 1000
sentinel failover-timeout %[2]s 10000
sentinel parallel-syncs %[2]s 1
`, p.Port, s.MasterName, master.Port, n/2+1)), 0o644)
			}
			return exec.Command(bin, conf, "--sentinel")
		}
		p.ready = func() error { return redisPing(p.Addr()) }
		start(t, p)
		t.Cleanup(func() { p.stop(syscall.SIGTERM) })
		s.Sentinels = append(s.Sentinels, p)
	}
	// Sentinels find each other and the replica through the master, every
	// 2 s; an election after the master dies needs them all known.
	s.waitFor(30*time.Second, "the Sentinels to know each other and the replica", func() bool {
		for _, sen := range s.Sentinels {
			m, err := redisDo(sen.Addr(), "SENTINEL", "MASTER", s.MasterName)
			if err != nil || field(m, "num-other-sentinels") != strconv.Itoa(n-1) || field(m, "num-slaves") != "1" {
				return false
			}
		}
		return true
	})
	return s
}

// URL is the redis-sentinel:// URL of database db.
func (s *SentinelSet) URL(db int) string {
	var addrs []string
	for _, p := range s.Sentinels {
		addrs = append(addrs, p.Addr())
	}
	return "redis-sentinel://" + strings.Join(addrs, ",") + "/" + s.MasterName + "?db=" + strconv.Itoa(db)
}

// MasterAddr is the master's address as the first Sentinel knows it.
func (s *SentinelSet) MasterAddr() string {
	s.t.Helper()
	r, err := redisDo(s.Sentinels[0].Addr(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", s.MasterName)
	if err != nil || len(r) != 2 {
		s.t.Fatalf("SENTINEL GET-MASTER-ADDR-BY-NAME: %q, %v", r, err)
	}
	return net.JoinHostPort(r[0], r[1])
}

// Master is the server that is master now.
func (s *SentinelSet) Master() *Process {
	s.t.Helper()
	addr := s.MasterAddr()
	for _, p := range s.Servers {
		if p.Addr() == addr {
			return p
		}
	}
	s.t.Fatalf("master %s is none of the servers started", addr)
	return nil
}

// Failover makes the Sentinels promote the replica (SENTINEL FAILOVER,
// without waiting for the master to fail) and returns once every Sentinel
// names the new master and it accepts writes.
func (s *SentinelSet) Failover() {
	s.t.Helper()
	old := s.MasterAddr()
	if _, err := redisDo(s.Sentinels[0].Addr(), "SENTINEL", "FAILOVER", s.MasterName); err != nil {
		s.t.Fatalf("SENTINEL FAILOVER: %v", err)
	}
	s.WaitNewMaster(old, 30*time.Second)
}

// WaitNewMaster waits until every Sentinel names a master other than old
// and that master accepts writes.
func (s *SentinelSet) WaitNewMaster(old string, within time.Duration) {
	s.t.Helper()
	s.waitFor(within, "a new master", func() bool {
		var addr string
		for _, sen := range s.Sentinels {
			r, err := redisDo(sen.Addr(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", s.MasterName)
			if err != nil || len(r) != 2 || net.JoinHostPort(r[0], r[1]) == old {
				return false
			}
			addr = net.JoinHostPort(r[0], r[1])
		}
		info, err := redisDo(addr, "INFO", "replication")
		return err == nil && strings.Contains(info[0], "role:master")
	})
}

func (s *SentinelSet) waitFor(within time.Duration, what string, ok func() bool) {
	s.t.Helper()
	if !waitUntil(within, ok) {
		s.t.Fatalf("no %s after %v", what, within)
	}
}

// ClusterNodes are the masters of a Redis Cluster, each a private process
// on a free port (with its bus on another), stopped when the test ends.
type ClusterNodes []*Process

// RedisCluster starts n masters (no replicas), gives each an equal share
// of the 16384 hash slots, joins them and waits until every node reports
// the cluster ok.
func RedisCluster(t testing.TB, n int) ClusterNodes {
	t.Helper()
	var nodes ClusterNodes
	var buses []int
	for range n {
		// The bus port is chosen with the client port (again if start
		// tries another), and kept by a restart.
		bus, busFor := 0, 0
		dir := t.TempDir()
		p := redisServerWith(t, func(port int) []string {
			if busFor != port {
				bus, _ = freePort()
				busFor = port
			}
			return []string{"--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(bus),
				"--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--cluster-node-timeout", "2000"}
		})
		nodes, buses = append(nodes, p), append(buses, bus)
	}
	for i, p := range nodes {
		first, last := i*16384/n, (i+1)*16384/n-1
		if _, err := redisDo(p.Addr(), "CLUSTER", "ADDSLOTSRANGE", strconv.Itoa(first), strconv.Itoa(last)); err != nil {
			t.Fatalf("CLUSTER ADDSLOTSRANGE on %s: %v", p.Addr(), err)
		}
		if i > 0 {
			if _, err := redisDo(p.Addr(), "CLUSTER", "MEET", "127.0.0.1", strconv.Itoa(nodes[0].Port), strconv.Itoa(buses[0])); err != nil {
				t.Fatalf("CLUSTER MEET: %v", err)
			}
		}
	}
	if !waitUntil(30*time.Second, func() bool {
		for _, p := range nodes {
			info, err := redisDo(p.Addr(), "CLUSTER", "INFO")
			if err != nil || !strings.Contains(info[0], "cluster_state:ok") ||
				!strings.Contains(info[0], "cluster_known_nodes:"+strconv.Itoa(n)+"\r") {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("the cluster of %d nodes is not ok after 30 s", n)
	}
	return nodes
}

// URL is the redis-cluster:// URL naming every node.
func (c ClusterNodes) URL() string {
	var addrs []string
	for _, p := range c {
		addrs = append(addrs, p.Addr())
	}
	return "redis-cluster://" + strings.Join(addrs, ",")
}

// KeySlot asks the cluster for a key's hash slot.
func (c ClusterNodes) KeySlot(t testing.TB, key string) int {
	t.Helper()
	r, err := redisDo(c[0].Addr(), "CLUSTER", "KEYSLOT", key)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(r[0])
	if err != nil {
		t.Fatalf("CLUSTER KEYSLOT answered %q", r)
	}
	return n
}

// Owner is the node that holds a key's hash slot (RedisCluster gives node
// i of n the slots from i×16384/n).
func (c ClusterNodes) Owner(t testing.TB, key string) *Process {
	t.Helper()
	return c[c.KeySlot(t, key)*len(c)/16384]
}

// redisServer starts a redis-server with extra arguments, without
// persistence, stopped when the test ends.
func redisServer(t testing.TB, args ...string) *Process {
	t.Helper()
	return redisServerWith(t, func(int) []string { return args })
}

// redisServerWith is redisServer with arguments that depend on the port.
func redisServerWith(t testing.TB, args func(port int) []string) *Process {
	t.Helper()
	bin := lookBinary(t, "redis-server")
	// Its directory is the test's: a replica writes the master's data
	// there (dump.rdb) whatever --save says.
	dir := t.TempDir()
	p := &Process{Name: "redis-server", logPath: filepath.Join(dir, "redis.log")}
	p.command = func() *exec.Cmd {
		base := []string{"--port", strconv.Itoa(p.Port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
			"--dir", dir}
		return exec.Command(bin, append(base, args(p.Port)...)...)
	}
	p.ready = func() error { return redisPing(p.Addr()) }
	start(t, p)
	t.Cleanup(func() { p.stop(syscall.SIGTERM) })
	return p
}

// redisDo sends one command and returns its reply flattened: a status,
// integer or bulk string as one element, an array as its elements.
func redisDo(addr string, args ...string) ([]string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return nil, err
	}
	return readReply(bufio.NewReader(c))
}

func readReply(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty reply")
	}
	switch line[0] {
	case '+', ':':
		return []string{line[1:]}, nil
	case '-':
		return nil, errors.New(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return []string{string(buf[:n])}, nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil {
			return nil, err
		}
		var out []string
		for range n {
			e, err := readReply(r)
			if err != nil {
				return nil, err
			}
			out = append(out, e...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}

// field finds a value in a flat key, value, key, value… reply.
func field(kv []string, key string) string {
	i := slices.Index(kv, key)
	if i < 0 || i%2 != 0 || i+1 >= len(kv) {
		return ""
	}
	return kv[i+1]
}

func waitUntil(within time.Duration, ok func() bool) bool {
	for deadline := time.Now().Add(within); ; time.Sleep(50 * time.Millisecond) {
		if ok() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}
