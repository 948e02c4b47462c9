package redis_test

import (
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/redis"
)

// TestParseURL: each REDIS_URL form gives the right topology and
// credentials; a URL that cannot be used is refused with an error naming
// REDIS_URL and saying what is wrong, never repeating the password.
func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url                     string
		addrs                   string
		master                  string
		cluster, tls            bool
		db                      int
		user, pass, sentinelPwd string
	}{
		{url: "redis://127.0.0.1:6379/9", addrs: "127.0.0.1:6379", db: 9},
		{url: "rediss://u:p%40ss@cache.internal:6380/2", addrs: "cache.internal:6380", db: 2, tls: true, user: "u", pass: "p@ss"},
		{url: "redis-sentinel://s1:26379,s2:26379,[::1]:26380/mymaster", addrs: "s1:26379,s2:26379,[::1]:26380", master: "mymaster"},
		{url: "redis-sentinel://:secret@s1:26379/cache?db=4&sentinel_password=sp", addrs: "s1:26379", master: "cache", db: 4, pass: "secret", sentinelPwd: "sp"},
		{url: "rediss-sentinel://s1:26379/m", addrs: "s1:26379", master: "m", tls: true},
		{url: "redis-cluster://n1:7000,n2:7001,n3:7002", addrs: "n1:7000,n2:7001,n3:7002", cluster: true},
		{url: "rediss-cluster://app:pw@n1:7000,n2:7000/0", addrs: "n1:7000,n2:7000", cluster: true, tls: true, user: "app", pass: "pw"},
	} {
		o, err := redis.ParseURL(c.url)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.url, err)
			continue
		}
		if o.TLSConfig != nil && len(o.Addrs) > 1 && o.TLSConfig.ServerName != "" {
			t.Errorf("ParseURL(%q): every host's certificate is checked against %q", c.url, o.TLSConfig.ServerName)
		}
		got := []any{strings.Join(o.Addrs, ","), o.MasterName, o.IsClusterMode, o.TLSConfig != nil, o.DB, o.Username, o.Password, o.SentinelPassword}
		want := []any{c.addrs, c.master, c.cluster, c.tls, c.db, c.user, c.pass, c.sentinelPwd}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("ParseURL(%q) = %v, want %v", c.url, got, want)
				break
			}
		}
	}
	for url, want := range map[string]string{
		"cache.internal:6379":                              "not a URL",
		"http://127.0.0.1:6379/0":                          `unknown scheme "http"`,
		"redis://:hunter2@127.0.0.1:6379/zero":             "invalid database number",
		"redis://:hunter2@127.0.0.1:6379/%zz":              "invalid URL escape",
		"redis-sentinel://:hunter2@s1:26379":               "names the master set",
		"redis-sentinel://:hunter2@s1:26379/m/x":           "names the master set",
		"redis-sentinel://:hunter2@s1/m":                   `"s1" is not host:port`,
		"redis-sentinel://:hunter2@s1:26379,/m":            `"" is not host:port`,
		"redis-sentinel://:hunter2@s1:99999/m":             "no valid port",
		"redis-sentinel://:hunter2@s1:26379/m?db=x":        `db="x" is not a database number`,
		"redis-sentinel://:hunter2@s1:26379/m?pool_size=9": `unknown parameter "pool_size"`,
		"redis-cluster://:hunter2@n1:7000/3":               "only database 0",
		"redis-cluster://:hunter2@n1:7000?db=0":            `unknown parameter "db"`,
		"redis-cluster://:hunter2%zz@n1:7000":              "invalid URL escape",
	} {
		_, err := redis.ParseURL(url)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted it", url)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "REDIS_URL: ") || !strings.Contains(msg, want) || strings.Contains(msg, "hunter2") {
			t.Errorf("ParseURL(%q) = %q; want REDIS_URL: …%s…, without the password", url, msg, want)
		}
	}
}
