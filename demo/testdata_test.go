package demo

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatTestdata: the format packages test against their own copies
// of these samples, in format/<fmt>/testdata (each README there lists
// them). A copy, or a link, must hold exactly the bundled file: a sample
// corrected here and not there would leave the parser tested against a
// file the server no longer ships.
func TestFormatTestdata(t *testing.T) {
	bundled := map[string][]byte{} // path below samples/
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		bundled[p], err = fs.ReadFile(FS(), p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	err = filepath.WalkDir(filepath.Join("..", "format"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, rel, ok := strings.Cut(filepath.ToSlash(p), "/testdata/")
		if !ok {
			return nil
		}
		for name, want := range bundled {
			if name != rel && !strings.HasSuffix(name, "/"+rel) {
				continue
			}
			copies++
			got, err := os.ReadFile(p) // follows a link
			if err != nil {
				return err
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from demo/samples/%s", p, name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 68 today; a walk that finds few has lost its way.
	if copies < 60 {
		t.Errorf("found %d copies of the samples under format/*/testdata, want at least 60", copies)
	}
}
