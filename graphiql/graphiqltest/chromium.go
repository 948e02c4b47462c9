package graphiqltest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Options configures Launch. The zero value is ready to use.
type Options struct {
	// Binary is the browser to run. Empty: $CHROMIUM, then /usr/bin/chromium,
	// then chromium, chromium-browser or google-chrome on $PATH.
	Binary string
	// Args are extra command-line flags, after the defaults.
	Args []string
	// Log receives the browser's stderr; nil discards it.
	Log io.Writer
}

// Flags passed to every browser: headless, no first-run or background
// traffic (updates, sync, QUIC probes), so that any request the browser
// makes comes from the page under test.
var defaultFlags = []string{
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--no-default-browser-check",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-extensions",
	"--disable-dev-shm-usage",
	"--remote-debugging-port=0",
}

// Browser is a headless Chromium driven over the DevTools Protocol.
type Browser struct {
	cmd  *exec.Cmd
	dir  string // the throw-away profile
	conn *conn
	exit chan error
}

// FindChromium returns the browser binary Launch would use, or an error
// when there is none.
func FindChromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: install it (apt-get install chromium) or set $CHROMIUM")
}

// Launch starts a headless browser with a fresh profile and connects to it.
// ctx bounds the start-up only; call Close to stop the browser.
func Launch(ctx context.Context, opt Options) (*Browser, error) {
	bin := opt.Binary
	if bin == "" {
		var err error
		if bin, err = FindChromium(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "graphiqltest-chromium-")
	if err != nil {
		return nil, err
	}
	args := slices.Concat(defaultFlags, []string{"--user-data-dir=" + dir}, opt.Args, []string{"about:blank"})
	cmd := exec.Command(bin, args...)
	// A pipe of our own rather than cmd.StderrPipe: Wait closes the latter,
	// and Chromium's helper processes keep writing to it after the browser
	// process is gone.
	pr, pw, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd.Stderr = pw
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	b := &Browser{cmd: cmd, dir: dir, exit: make(chan error, 1)}
	go func() { b.exit <- cmd.Wait() }()
	wsURL, err := devtoolsURL(ctx, pr, opt.Log)
	if err == nil {
		var ws *wsConn
		if ws, err = dialWebSocket(ctx, wsURL); err == nil {
			b.conn = newConn(ws)
			return b, nil
		}
	}
	b.kill()
	return nil, fmt.Errorf("starting %s: %w", bin, err)
}

// devtoolsURL reads the browser's stderr until it announces its DevTools
// WebSocket, then keeps copying stderr to log so the pipe never fills.
func devtoolsURL(ctx context.Context, stderr io.ReadCloser, log io.Writer) (string, error) {
	if log == nil {
		log = io.Discard
	}
	type result struct {
		url  string
		tail string // the last lines, when the browser gave up
	}
	found := make(chan result, 1)
	go func() {
		defer stderr.Close()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		var tail []string
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(log, line)
			if u, ok := strings.CutPrefix(line, "DevTools listening on "); ok {
				found <- result{url: strings.TrimSpace(u)}
				_, _ = io.Copy(log, stderr) // keep draining so the browser never blocks on stderr
				return
			}
			if tail = append(tail, line); len(tail) > 5 {
				tail = tail[1:]
			}
		}
		found <- result{tail: strings.Join(tail, "\n")}
	}()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	select {
	case r := <-found:
		if r.url == "" {
			return "", fmt.Errorf("browser exited before opening DevTools: %s", r.tail)
		}
		return r.url, nil
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for DevTools: %w", ctx.Err())
	}
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() error {
	if b.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = b.conn.call(ctx, "", "Browser.close", nil, nil) // the process is killed below if this fails
		cancel()
		b.conn.close()
	}
	select {
	case <-b.exit:
	case <-time.After(5 * time.Second):
		b.kill()
	}
	return os.RemoveAll(b.dir)
}

func (b *Browser) kill() {
	if b.cmd.Process != nil {
		_ = b.cmd.Process.Kill() // already gone is fine
	}
	select {
	case <-b.exit:
	case <-time.After(5 * time.Second):
	}
	os.RemoveAll(b.dir)
}
