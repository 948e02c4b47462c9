package mkg

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: each maps to one extensions.code a
// client can act on, and everything else is INTERNAL.
const (
	ENOTFOUND        = "NOT_FOUND"
	EINVALID         = "BAD_USER_INPUT"
	ECONFLICT        = "CONFLICT"
	EFORBIDDEN       = "FORBIDDEN"
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	EINTERNAL        = "INTERNAL"
)

// Error is an error a client may see. Message must be safe to show: it never
// carries SQL, file paths or another caller's data. Field names the argument
// or input field at fault, in the API's own spelling ("filter.bbox").
type Error struct {
	Code    string
	Message string
	Field   string
	// Extra are further facts a client may act on, shown as extensions
	// (e.g. "dataset": the dataset a FORBIDDEN field needs).
	Extra map[string]any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error naming the field at fault.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns a NOT_FOUND error for a thing of the given kind.
func NotFound(kind string) *Error {
	return &Error{Code: ENOTFOUND, Message: kind + " not found"}
}

// ErrorCode returns the code of err, or EINTERNAL when err is not an *Error,
// so that unexpected failures are never shown to clients as their fault.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}
