// Package sniff holds what the parsers' Detect and Parse functions look at
// first: a file's head, past the byte order mark some exports start with.
package sniff

import "bytes"

// Len is how much of a file the text formats' Detect looks at: enough
// for a header, and cheap even when handed a whole file.
const Len = 8192

// BOM is the UTF-8 byte order mark files saved on Windows start with.
var BOM = []byte("\xEF\xBB\xBF")

// TrimBOM returns data without a leading BOM.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, BOM) }

// Head returns what a Detect looks at: at most the first n bytes of data,
// past a BOM and leading white space.
func Head(data []byte, n int) []byte {
	return bytes.TrimLeft(TrimBOM(data[:min(len(data), n)]), " \t\r\n")
}

// FirstLine returns data's first line past a BOM, without its "\n".
func FirstLine(data []byte) []byte {
	line, _, _ := bytes.Cut(TrimBOM(data), []byte("\n"))
	return line
}
