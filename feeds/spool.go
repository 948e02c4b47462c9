package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// fileSeen is a spool file as one scan saw it.
type fileSeen struct {
	size    int64
	modTime time.Time
}

// maxSpoolFiles bounds the files one scan takes; the rest wait for the
// next scan.
const maxSpoolFiles = 100

// pollSpool ingests the settled files of a spool folder, each once: a file
// ingested is moved to done/ (with a <name>.reason file listing its
// rejected records, if any), a file refused to failed/ with a <name>.reason
// file saying why. A file is read only when settled: not hidden (".name"),
// not named *.tmp, *.part or *~ (being written by the switch), and seen by
// the previous scan with the same size and modification time, which is at
// least Settle old. A folder that cannot be read fails the run (backed
// off); refused files are the run's error but move aside, so the folder
// is not backed off for them. A file the database failed to store stays
// where it is, for the next scan.
func (p *Poller) pollSpool(ctx context.Context, f *mkg.Feed) *mkg.FeedRun {
	at := p.opt.Now()
	if p.opt.SpoolRoot == "" {
		return p.failed(f, at, "no spool root is configured (-feeds-spool-dir)")
	}
	dir := filepath.Join(p.opt.SpoolRoot, filepath.FromSlash(f.Path))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return p.failed(f, at, "spool folder %q cannot be read: %v", f.Path, pathless(err))
	}
	run := &mkg.FeedRun{At: at, Next: mkg.NextFeedRun(at, f.Interval, 0, 0)}
	var problems []string
	taken := 0
	seen := map[string]fileSeen{}
	p.mu.Lock()
	before := p.spool[f.Name]
	p.mu.Unlock()
	for _, e := range entries {
		if taken == maxSpoolFiles || ctx.Err() != nil {
			break
		}
		name := e.Name()
		if !e.Type().IsRegular() || !settledName(name) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // gone since the listing
		}
		now := fileSeen{info.Size(), info.ModTime()}
		if before[name] != now || at.Sub(now.modTime) < p.opt.Settle {
			seen[name] = now // still being written, or new: read on a later scan
			continue
		}
		taken++
		counts, rejected, err := p.spoolFile(ctx, f, dir, name, info.Size())
		if ctx.Err() != nil {
			break // cancelled: the file stays, for the next leader
		}
		run.Counts = run.Counts.Add(counts)
		if errors.Is(err, errStore) {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			seen[name] = now // left in place, taken again on the next scan
			continue
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			err = moveAside(dir, "failed", name, err.Error())
		} else {
			err = moveAside(dir, "done", name, strings.Join(rejected, "\n"))
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s could not be moved aside: %v", name, pathless(err)))
			seen[name] = now // keep it from being read again every scan
		}
	}
	p.mu.Lock()
	p.spool[f.Name] = seen
	p.mu.Unlock()
	if len(problems) > 0 {
		run.Err = fmt.Sprintf("%d file(s) refused: %s", len(problems), strings.Join(problems, "; "))
	} else if taken == 0 {
		run.Unchanged = true
	}
	return run
}

// settledName reports whether a file's name says it is complete.
func settledName(name string) bool {
	return !strings.HasPrefix(name, ".") && !strings.HasSuffix(name, ".tmp") && !strings.HasSuffix(name, ".part") &&
		!strings.HasSuffix(name, "~") && !strings.HasSuffix(name, ".reason")
}

// spoolFile ingests one file, returning its counts and its rejections.
func (p *Poller) spoolFile(ctx context.Context, f *mkg.Feed, dir, name string, size int64) (mkg.FeedCounts, []string, error) {
	if size > p.opt.MaxBytes {
		return mkg.FeedCounts{}, nil, fmt.Errorf("%d bytes, over the limit of %d", size, p.opt.MaxBytes)
	}
	file, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return mkg.FeedCounts{}, nil, pathless(err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, p.opt.MaxBytes+1))
	if err != nil {
		return mkg.FeedCounts{}, nil, pathless(err)
	}
	if int64(len(data)) > p.opt.MaxBytes {
		return mkg.FeedCounts{}, nil, fmt.Errorf("grew past the limit of %d bytes while read", p.opt.MaxBytes)
	}
	return p.ingest(ctx, f, name, data)
}

// moveAside moves dir/name into dir/sub/, with a <name>.reason file when
// reason is not empty. A name already taken there gets a time suffix.
func moveAside(dir, sub, name, reason string) error {
	to := filepath.Join(dir, sub)
	if err := os.MkdirAll(to, 0o750); err != nil {
		return err
	}
	target := name
	if _, err := os.Lstat(filepath.Join(to, target)); err == nil {
		target = fmt.Sprintf("%s.%s", name, time.Now().UTC().Format("20060102T150405.000000000"))
	}
	if reason != "" {
		if err := os.WriteFile(filepath.Join(to, target+".reason"), []byte(reason+"\n"), 0o640); err != nil {
			return err
		}
	}
	return os.Rename(filepath.Join(dir, name), filepath.Join(to, target))
}

// pathless drops the file path from a file-system error: the spool root
// is the operator's, not the admin's to see.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
