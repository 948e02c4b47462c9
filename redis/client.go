package redis

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// The forms of REDIS_URL (see the README):
//
//	redis://[[user]:password@]host:6379[/db]            one node (rediss:// for TLS)
//	redis-sentinel://[[user]:password@]host1:26379,host2:26379/mastername[?db=N&sentinel_password=…]
//	redis-cluster://[[user]:password@]host1:7000,host2:7001
//
// rediss-sentinel:// and rediss-cluster:// use TLS. In a Sentinel URL the
// user and password are the master's and replicas'; the Sentinels' own
// (when they require one) are sentinel_username and sentinel_password. A
// Cluster has only database 0.
const (
	schemeSentinel = "redis-sentinel"
	schemeCluster  = "redis-cluster"
)

// ParseURL reads REDIS_URL into go-redis's options for one node, a
// Sentinel set (MasterName set) or a Cluster (IsClusterMode set). Its
// errors name the setting and never repeat the password.
func ParseURL(raw string) (*goredis.UniversalOptions, error) {
	opt, err := parseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return opt, nil
}

func parseURL(raw string) (*goredis.UniversalOptions, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, errors.New("not a URL: want redis://, rediss://, redis-sentinel:// or redis-cluster://")
	}
	tlsOn := strings.HasPrefix(scheme, "rediss")
	switch scheme {
	case "redis", "rediss":
		return parseSingle(raw)
	case schemeSentinel, "rediss-sentinel", schemeCluster, "rediss-cluster":
	default:
		return nil, fmt.Errorf("unknown scheme %q: want redis://, rediss://, redis-sentinel:// or redis-cluster://", scheme)
	}
	u, hosts, err := splitHosts(rest)
	if err != nil {
		return nil, err
	}
	opt := &goredis.UniversalOptions{Addrs: hosts}
	if u.User != nil {
		opt.Username = u.User.Username()
		opt.Password, _ = u.User.Password()
	}
	if tlsOn {
		// No ServerName: each connection checks the certificate against
		// the host it dials (the Sentinels, the master they name, each
		// Cluster node), not against the first address of the URL.
		opt.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	q := u.Query()
	if strings.HasSuffix(scheme, "-sentinel") {
		err = sentinelOptions(opt, u.Path, q)
	} else {
		err = clusterOptions(opt, u.Path, q)
	}
	if err != nil {
		return nil, err
	}
	return opt, nil
}

// parseSingle reads a redis:// or rediss:// URL with go-redis's own parser
// (which also takes its query parameters, such as pool_size).
func parseSingle(raw string) (*goredis.UniversalOptions, error) {
	o, err := goredis.ParseURL(raw)
	if err != nil {
		return nil, hidePassword(err)
	}
	return &goredis.UniversalOptions{
		Addrs: []string{o.Addr}, DB: o.DB, Username: o.Username, Password: o.Password, TLSConfig: o.TLSConfig,
		ClientName: o.ClientName, Protocol: o.Protocol, PoolSize: o.PoolSize, MinIdleConns: o.MinIdleConns,
		MaxIdleConns: o.MaxIdleConns, MaxActiveConns: o.MaxActiveConns, ConnMaxIdleTime: o.ConnMaxIdleTime,
		ConnMaxLifetime: o.ConnMaxLifetime,
	}, nil
}

// splitHosts parses [userinfo@]host:port,host:port[/path][?query]: the
// standard URL parser takes one host only.
func splitHosts(rest string) (*url.URL, []string, error) {
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	userinfo, hostlist := "", authority
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo, hostlist = authority[:i+1], authority[i+1:]
	}
	var hosts []string
	for _, h := range strings.Split(hostlist, ",") {
		host, port, err := net.SplitHostPort(h)
		if err != nil || host == "" {
			return nil, nil, fmt.Errorf("address %q is not host:port", h)
		}
		if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
			return nil, nil, fmt.Errorf("address %q has no valid port", h)
		}
		hosts = append(hosts, h)
	}
	u, err := url.Parse("redis://" + userinfo + "host" + tail)
	if err != nil {
		return nil, nil, hidePassword(err)
	}
	return u, hosts, nil
}

func sentinelOptions(opt *goredis.UniversalOptions, path string, q url.Values) error {
	opt.MasterName = strings.Trim(path, "/")
	if opt.MasterName == "" || strings.Contains(opt.MasterName, "/") {
		return errors.New("a Sentinel URL names the master set after the addresses: redis-sentinel://host:26379/mymaster")
	}
	for k, v := range q {
		switch k {
		case "db":
			db, err := strconv.Atoi(v[0])
			if err != nil || db < 0 {
				return fmt.Errorf("db=%q is not a database number", v[0])
			}
			opt.DB = db
		case "sentinel_username":
			opt.SentinelUsername = v[0]
		case "sentinel_password":
			opt.SentinelPassword = v[0]
		default:
			return fmt.Errorf("unknown parameter %q (a Sentinel URL takes db, sentinel_username, sentinel_password)", k)
		}
	}
	return nil
}

func clusterOptions(opt *goredis.UniversalOptions, path string, q url.Values) error {
	if p := strings.Trim(path, "/"); p != "" && p != "0" {
		return errors.New("a Cluster has only database 0")
	}
	for k := range q {
		return fmt.Errorf("unknown parameter %q (a Cluster URL takes none)", k)
	}
	opt.IsClusterMode = true
	return nil
}

// hidePassword drops the URL that net/url puts in its errors (with the
// password in it), keeping what was wrong.
func hidePassword(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// newClient makes the client for one node, a Sentinel set or a Cluster,
// with the timeouts of configure. It does no I/O.
func newClient(opt *goredis.UniversalOptions) goredis.UniversalClient {
	configure(opt)
	switch {
	case opt.MasterName != "":
		return goredis.NewFailoverClient(opt.Failover())
	case opt.IsClusterMode:
		return goredis.NewClusterClient(opt.Cluster())
	default:
		return goredis.NewClient(opt.Simple())
	}
}

func configure(opt *goredis.UniversalOptions) {
	opt.DialTimeout = DialTimeout
	opt.ReadTimeout = IOTimeout
	opt.WriteTimeout = IOTimeout
	opt.PoolTimeout = IOTimeout
	// One attempt per call: go-redis would otherwise redial 5 times and
	// resend 3 times (0 means its default; -1 means none), about a second
	// per call while Redis is down. cache.Resilient retries, off the
	// request path. (A Cluster still follows MOVED and ASK redirects.)
	opt.DialerRetries = 1
	opt.MaxRetries = -1
	// A request's own deadline bounds its cache calls too.
	opt.ContextTimeoutEnabled = true
	// A new connection costs one round trip (HELLO), not three: no client
	// identity, no maintenance notifications (a Redis Enterprise feature).
	opt.DisableIdentity = true
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
}
