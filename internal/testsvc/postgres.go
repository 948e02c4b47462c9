package testsvc

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq" // PostgreSQL driver
)

// Postgres is a private PostgreSQL cluster.
type Postgres struct {
	*Process
}

// URL is the cluster's postgres database, as its superuser.
func (pg *Postgres) URL() string {
	return "postgres://postgres@" + pg.Addr() + "/postgres?sslmode=disable"
}

// StartPostgres creates a cluster with initdb in a temporary directory and
// runs it on a free port, without fsync (its data need not survive the
// machine). PostgreSQL refuses to run as root, so under root (as in CI) the
// cluster belongs to the postgres system user.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin := postgresBinDir(t)
	cred, uid, gid := runAs(t)
	dir, err := os.MkdirTemp("", "mkg-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-sync", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir // a directory the postgres user may enter
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	pg := &Postgres{&Process{Name: "postgres", logPath: filepath.Join(dir, "postgres.log")}}
	pg.command = func() *exec.Cmd {
		c := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(pg.Port),
			"-h", "127.0.0.1", "-k", dir, "-F", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
			"-c", "shared_buffers=16MB", "-c", "max_connections=50")
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		c.Dir = dir
		return c
	}
	pg.ready = func() error { return pgPing(pg.URL()) }
	start(t, pg.Process)
	t.Cleanup(func() { pg.stop(syscall.SIGINT) }) // SIGINT: fast shutdown
	return pg
}

// postgresBinDir finds initdb and postgres: MKG_PG_BINDIR, else the newest
// Debian install (/usr/lib/postgresql/N/bin), else beside initdb on PATH.
func postgresBinDir(t testing.TB) string {
	t.Helper()
	var dirs []string
	if d := os.Getenv("MKG_PG_BINDIR"); d != "" {
		dirs = append(dirs, d)
	}
	installs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(installs, func(a, b string) int { return version(b) - version(a) })
	dirs = append(dirs, installs...)
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err = filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "postgres")) {
			return d
		}
	}
	lookBinary(t, "initdb (PostgreSQL server)")
	return ""
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// runAs returns the credential the cluster runs under: the postgres user
// when the tests run as root, the current user otherwise.
func runAs(t testing.TB) (*syscall.Credential, int, int) {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil, os.Getuid(), os.Getgid()
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("running as root, PostgreSQL needs the postgres user: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid
}

func pgPing(url string) error {
	db, err := sql.Open("postgres", url+"&connect_timeout=2")
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: %v", errNotReady, err)
	}
	return nil
}
