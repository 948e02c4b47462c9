package himawari

import (
	"errors"
	"strconv"
)

// ErrName is wrapped by every error ParseName returns, for errors.Is.
var ErrName = errors.New("himawari: not a valid Himawari file name")

// NameError says which part of a file name broke the convention and how.
type NameError struct {
	Part   string // "satellite", "date", "band", "area", "extension", ...
	Value  string // the part as it was written
	Reason string // completes the sentence "<part> <value> ..."
}

func (e *NameError) Error() string {
	return "himawari: " + e.Part + " " + strconv.Quote(e.Value) + " " + e.Reason
}

func (e *NameError) Unwrap() error { return ErrName }
