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
	// EUNAVAILABLE is a failure of a service the server depends on (the
	// database not answering, shutting down or out of connections): not the
	// client's fault, and worth retrying shortly.
	EUNAVAILABLE = "UNAVAILABLE"
	EINTERNAL    = "INTERNAL"
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
	// Err is the failure behind the error (an UNAVAILABLE database's driver
	// error), for the server log only: never shown to a client.
	Err error
}

// Unwrap returns the failure behind the error, if any.
func (e *Error) Unwrap() error { return e.Err }

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

// Unavailable returns an UNAVAILABLE error saying which service failed,
// keeping the failure for the log.
func Unavailable(service string, err error) *Error {
	return &Error{Code: EUNAVAILABLE, Message: service + " is unavailable; try again shortly", Err: err}
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
