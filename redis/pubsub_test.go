package redis

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/bmkg/mkggraph/internal/testsvc"
)

// TestPubSubOnEveryTopology: what one client publishes another receives,
// on one node, behind Sentinel (also after the master died, once a
// replica is promoted: the subscriber subscribes again on the new master)
// and on a Cluster. Pub/sub keeps nothing: messages sent while no master
// answers are lost, and the test only asks that delivery resumes.
func TestPubSubOnEveryTopology(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, url string, failover func()) {
		open := func() *Cache {
			c, err := New(url, "t:", slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			return c
		}
		pub, sub := open(), open()
		ctx := context.Background()
		ps := sub.client.Subscribe(ctx, "t:events")
		t.Cleanup(func() { ps.Close() })
		if _, err := ps.Receive(ctx); err != nil { // the subscription's confirmation
			t.Fatal(err)
		}
		delivered := func(within time.Duration) bool {
			deadline := time.Now().Add(within)
			for i := 0; time.Now().Before(deadline); i++ {
				want := "m" + strconv.Itoa(i)
				pub.client.Publish(ctx, "t:events", want)
				for {
					msg, err := ps.ReceiveTimeout(ctx, 100*time.Millisecond)
					if err != nil {
						break // nothing yet (or the connection is being replaced)
					}
					if m, ok := msg.(*goredis.Message); ok && m.Payload == want {
						return true
					}
				}
			}
			return false
		}
		if !delivered(2 * time.Second) {
			t.Fatal("a message published was not received")
		}
		if failover != nil {
			failover()
			if !delivered(15 * time.Second) {
				t.Fatal("no message received within 15 s of the new master")
			}
		}
	}
	t.Run("single", func(t *testing.T) { t.Parallel(); run(t, testsvc.Redis(t).RedisURL(0), nil) })
	t.Run("sentinel", func(t *testing.T) {
		t.Parallel()
		set := testsvc.RedisSentinel(t, 1)
		run(t, set.URL(0), func() {
			old := set.MasterAddr()
			set.Master().Kill()
			set.WaitNewMaster(old, 30*time.Second)
		})
	})
	t.Run("cluster", func(t *testing.T) { t.Parallel(); run(t, testsvc.RedisCluster(t, 3).URL(), nil) })
}
