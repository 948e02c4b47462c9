package redis

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testsvc"
)

// TestRelayOnSentinelAndCluster: events travel between relays behind
// Sentinel (again after the master died: the receiver subscribes again on
// the new master) and on a Cluster. Pub/sub keeps nothing: events sent
// while no master answers are lost; the test asks that delivery resumes.
func TestRelayOnSentinelAndCluster(t *testing.T) {
	t.Parallel()
	t.Run("sentinel", func(t *testing.T) {
		t.Parallel()
		set := testsvc.RedisSentinel(t, 1)
		a, b := openRelay(t, set.URL(0), "t:"), openRelay(t, set.URL(0), "t:")
		gotB := receive(t, b)
		sendUntil(t, a, quake(1), gotB)
		old := set.MasterAddr()
		set.Master().Kill()
		set.WaitNewMaster(old, 30*time.Second)
		sendUntil(t, a, quake(2), gotB)
	})
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		nodes := testsvc.RedisCluster(t, 3)
		a, b := openRelay(t, nodes.URL(), "t:"), openRelay(t, nodes.URL(), "t:")
		gotB := receive(t, b)
		sendUntil(t, a, quake(1), gotB)
	})
}
