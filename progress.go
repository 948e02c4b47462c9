package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// progressBar draws "name [#####.....] 50% 1200/2400" on a terminal.
type progressBar struct {
	mu   sync.Mutex
	w    io.Writer
	name string
	last int
}

// progressThreshold is the file size above which "auto" shows a bar.
const progressThreshold = 1 << 20

func newProgressBar(w io.Writer, name, mode string, size int64) *progressBar {
	switch mode {
	case "never":
		return nil
	case "always":
	default:
		if size < progressThreshold || !isTerminal(w) {
			return nil
		}
	}
	return &progressBar{w: w, name: filepath.Base(name), last: -1}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func (p *progressBar) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total <= 0 {
		return
	}
	pct := done * 100 / total
	if pct == p.last {
		return
	}
	p.last = pct
	const width = 30
	filled := pct * width / 100
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d records", p.name, strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, done, total)
}

func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last >= 0 {
		fmt.Fprintln(p.w)
	}
}
