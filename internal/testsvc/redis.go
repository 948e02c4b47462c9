package testsvc

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Redis starts a private redis-server on a free port, without persistence,
// stopped when the test ends.
func Redis(t testing.TB) *Process {
	t.Helper()
	return redisServer(t)
}

// URL is the redis:// URL of database db.
func (p *Process) RedisURL(db int) string { return "redis://" + p.Addr() + "/" + strconv.Itoa(db) }

func redisPing(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("%w: PING answered %q", errNotReady, line)
	}
	return nil
}
