// Package reject is the one shape in which every parser reports a record
// of its input that it could not use: where the record is and why. A
// parser returns its rejects beside what it read, so that one bad record
// is reported while the rest of the file still loads.
package reject

// Reject is a record left out of a parse, and why.
type Reject struct {
	// Record is the 1-based position of the record in the input, in the
	// unit the format has: the line of a text file, the row of a sheet or
	// a page's table, the feature, event or flash of a structured file.
	// The format's package comment or Parse says which.
	Record int
	// Reason names the field and the value that failed, in words a data
	// manager can act on.
	Reason string
}
