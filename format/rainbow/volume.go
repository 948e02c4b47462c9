package rainbow

import (
	"errors"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/radar"
)

// MaxInputSize is the largest input Parse accepts; larger ones are
// refused before anything is read.
const MaxInputSize = 512 << 20

// MemoryFactor sets the memory budget of a file (see format/budget): Parse,
// and each Decode, may take at most MemoryFactor times its size plus
// budget.Base. Parse charges the header tree and refuses a blob, or a
// moment, that could not be decoded within the budget; Decode charges the
// inflated blob and its float32 values (five bytes per 8-bit gate). The
// real sample's Parse allocates 1.9 bytes per byte, each Decode of one of
// its 14 sweeps 6.
const MemoryFactor = 32

// Limits on what a header may declare, so that no allocation follows an
// unchecked number. Operational radars stay far below them (720 rays of
// 4000 bins is 2.9M gates).
const (
	maxRays  = 1 << 16
	maxBins  = 1 << 16
	maxGates = 1 << 25
)

// Errors wrapped by what Parse and Decode return, so that a caller can tell
// a wrong kind of file from a damaged one. A file larger than MaxInputSize,
// or one that declares more data than its size can justify, is refused
// with an error that wraps budget.ErrTooLarge.
var (
	ErrNotRainbow  = errors.New("not a Rainbow 5 volume")
	ErrTruncated   = errors.New("truncated")
	ErrCorrupt     = errors.New("corrupt")
	ErrUnsupported = errors.New("unsupported")
)

// Volume is the metadata of one file.
type Volume struct {
	Version string
	// Site: SiteCode is the sensorinfo id, else its name; SiteName its
	// name.
	radar.Site
	WavelengthM *float64 // nil when the file does not say
	// Start is the earliest sweep start; End the latest sweep start plus
	// that sweep's duration (rays*anglestep/antspeed) when the file gives
	// the antenna speed, else the latest sweep start.
	Start, End time.Time
	ScanType   string // "VOLUME", "PPI" or "RHI"
	ScanName   string
	Sweeps     []Sweep

	blobs    map[int]blob   // by blobid
	fileSize int            // to refuse Decode on other data
	budget   *budget.Budget // Parse's, while it runs
}

// Sweep is one slice of the file.
type Sweep struct {
	radar.Sweep // Rays and Bins of the first moment
	Moments     []Moment

	rhi       bool
	start     *rayRef // startangle rays, nil when the file has none
	stop      *rayRef // stopangle rays
	angleStep float64 // degrees, 0 when unknown
	ccw       bool    // antenna turns towards smaller angles
	startDeg  float64 // the slice's <startangle>, for files without rays
}

// Moment is one quantity measured in a sweep.
type Moment struct {
	radar.Moment     // Name as in the file, e.g. "dBZ"
	Depth        int // bits per value
	BlobID       int
	Min, Max     float64 // the values raw 1 and 2^depth-1 stand for
	rays         int
	bins         int
	hasRange     bool
}

// Field is one decoded moment of one sweep, for rendering.
type Field = radar.Field

// rayRef is a <rayinfo> blob: one value per ray.
type rayRef struct {
	blobID, rays, depth int
}

// blob is where one <BLOB> block's payload lies in the file.
type blob struct {
	off, size  int
	length     int // of the data: size, or the qCompress length prefix
	compressed bool
}
