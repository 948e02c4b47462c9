package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	if newProgressBar(&buf, "x.tsv", "auto", 10<<20) != nil {
		t.Error("auto mode drew a bar on a non-terminal")
	}
	if newProgressBar(&buf, "x.tsv", "never", 10<<20) != nil {
		t.Error("never mode drew a bar")
	}
	bar := newProgressBar(&buf, "/data/x.tsv", "always", 1)
	for done := 0; done <= 200; done += 50 {
		bar.update(done, 200)
	}
	bar.finish()
	out := buf.String()
	if !strings.Contains(out, "x.tsv [") || !strings.Contains(out, "100% 200/200 records") || !strings.HasSuffix(out, "\n") {
		t.Errorf("bar output %q", out)
	}
	if strings.Count(out, "\r") != 5 {
		t.Errorf("want one redraw per change of percentage, got %q", out)
	}
}
