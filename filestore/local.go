// Package filestore keeps file contents for the catalogue: radar volumes,
// satellite products, rendered pictures. Files are content addressed (named
// by their SHA-256), so the same file ingested twice is stored once, and a
// name can never point at other contents.
//
// Local is the default store, a directory on the server's disk. The
// mkg.FileStore interface is what an object store (S3, GCS) would implement
// instead: Put must be atomic and Open must support seeks for range
// requests.
package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bmkg/mkggraph/mkg"
)

// Local stores files under a directory as <dir>/<d[0:2]>/<digest>.
type Local struct {
	dir string
}

// NewLocal returns a store in dir, creating it when missing.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("file store: %w", err)
	}
	return &Local{dir: dir}, nil
}

func (l *Local) path(digest string) string {
	return filepath.Join(l.dir, digest[:2], digest)
}

// Put implements mkg.FileStore: the contents go to a temporary file that is
// synced and then renamed into place, so a crash leaves either nothing or
// the whole file under its name.
func (l *Local) Put(ctx context.Context, r io.Reader, maxSize int64) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(l.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("file store: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, maxSize+1))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("file store: %w", err)
	}
	if n > maxSize {
		return "", 0, mkg.Invalid("file", "the file is larger than the limit of %d bytes", maxSize)
	}
	digest := hex.EncodeToString(h.Sum(nil))
	if err := os.MkdirAll(filepath.Dir(l.path(digest)), 0o750); err != nil {
		return "", 0, fmt.Errorf("file store: %w", err)
	}
	if err := os.Rename(tmp.Name(), l.path(digest)); err != nil {
		return "", 0, fmt.Errorf("file store: %w", err)
	}
	return digest, n, nil
}

// Open implements mkg.FileStore.
func (l *Local) Open(ctx context.Context, digest string) (mkg.ReadSeekCloser, error) {
	if !mkg.ValidDigest(digest) {
		return nil, mkg.NotFound("file")
	}
	f, err := os.Open(l.path(digest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, mkg.NotFound("file")
	}
	if err != nil {
		return nil, fmt.Errorf("file store: %w", err)
	}
	return f, nil
}

// Delete implements mkg.FileStore.
func (l *Local) Delete(ctx context.Context, digest string) error {
	if !mkg.ValidDigest(digest) {
		return nil
	}
	err := os.Remove(l.path(digest))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file store: %w", err)
	}
	return nil
}
