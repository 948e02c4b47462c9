package filestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/mkg"
)

func TestLocalPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("radar volume bytes")
	d1, n, err := l.Put(ctx, bytes.NewReader(data), 100)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Put = %q, %d, %v", d1, n, err)
	}
	// The digest is the SHA-256 of the contents, so it names them.
	if sum := sha256.Sum256(data); d1 != hex.EncodeToString(sum[:]) {
		t.Fatalf("digest %q is not SHA-256 hex", d1)
	}
	d2, _, err := l.Put(ctx, bytes.NewReader(data), 100)
	if err != nil || d2 != d1 {
		t.Fatalf("second Put = %q, %v; want the same digest", d2, err)
	}
	f, err := l.Open(ctx, d1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(6, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(f)
	f.Close()
	if string(rest) != "volume bytes" {
		t.Fatalf("read after seek %q", rest)
	}
	if err := l.Delete(ctx, d1); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Open(ctx, d1); mkg.ErrorCode(err) != mkg.ENOTFOUND {
		t.Fatalf("Open after Delete: %v, want NOT_FOUND", err)
	}
	if err := l.Delete(ctx, d1); err != nil {
		t.Fatalf("deleting a missing file: %v", err)
	}
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(tmp) != 0 {
		t.Fatalf("temporary files left behind: %v", tmp)
	}
}

func TestLocalRefusesOversizeAndKeepsNothing(t *testing.T) {
	l, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = l.Put(context.Background(), strings.NewReader(strings.Repeat("x", 11)), 10)
	if mkg.ErrorCode(err) != mkg.EINVALID {
		t.Fatalf("oversize Put: %v, want BAD_USER_INPUT", err)
	}
	var files []string
	filepath.WalkDir(l.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Fatalf("oversize Put left %v", files)
	}
}

func TestLocalRefusesNonDigests(t *testing.T) {
	l, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"", "../etc/passwd", strings.Repeat("A", 64), strings.Repeat("a", 63)} {
		if _, err := l.Open(context.Background(), d); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("Open(%q) = %v, want NOT_FOUND", d, err)
		}
	}
}
