package mkg

import (
	"context"
	"io"
	"regexp"
	"time"
)

// StoredFile is a file kept in the file store. Files are content addressed:
// the digest (SHA-256, lower-case hex) is the file's name in the store, so
// a file ingested twice is stored once.
type StoredFile struct {
	Digest      string
	Size        int64
	ContentType string
	Name        string // the name it was ingested under (base name), used for downloads
}

// FileStore keeps file contents. Put is atomic: a reader never sees half a
// file, and a file whose Put returned is kept until Delete, whatever
// happens to the catalogue row that refers to it (so a failed catalogue
// write never loses the file, and a retry finds it already stored).
type FileStore interface {
	// Put stores what r yields and returns its digest and size. Input
	// longer than maxSize is refused with INVALID and nothing is kept.
	Put(ctx context.Context, r io.Reader, maxSize int64) (digest string, size int64, err error)
	// Open returns the stored file for reading with seeks (range requests),
	// or NOT_FOUND.
	Open(ctx context.Context, digest string) (ReadSeekCloser, error)
	// Delete removes a file; deleting a missing file is not an error.
	Delete(ctx context.Context, digest string) error
}

// ReadSeekCloser is a stored file opened for reading.
type ReadSeekCloser interface {
	io.ReadSeeker
	io.Closer
}

var digestPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidDigest reports whether s is a digest as the file store names files;
// anything else is refused before it reaches a path.
func ValidDigest(s string) bool { return digestPattern.MatchString(s) }

// DownloadKind is what a signed download link serves.
type DownloadKind string

const (
	DownloadRadarScan      DownloadKind = "radar-scan"
	DownloadRadarQuickLook DownloadKind = "radar-quicklook"
	DownloadSatellite      DownloadKind = "satellite"
	DownloadExport         DownloadKind = "export"
)

// Download is a short-lived link to a file-backed object, issued to one
// caller: the server serves it only while the link is unexpired, its
// signature holds and that caller may still see the object's dataset.
type Download struct {
	URL         string
	ExpiresAt   time.Time
	ContentType string
	FileName    string
	Size        *int64 // unknown for exports, which are produced when fetched
}

// Downloader issues signed download links to the caller in the context.
type Downloader interface {
	// Link returns a link to the file of an object the caller has loaded
	// (kind and id name it in the link; dataset is the right its file
	// needs): the caller's denial (FORBIDDEN, UNAUTHENTICATED) when it may
	// not see that dataset. It reads nothing: serving the link loads the
	// object again and checks the right again.
	Link(ctx context.Context, kind DownloadKind, id int64, dataset Dataset, file StoredFile) (*Download, error)
	// Export returns a link to the export of a list query: INVALID for a
	// bad spec, the caller's denial when it may not see the dataset.
	Export(ctx context.Context, spec ExportSpec) (*Download, error)
}
