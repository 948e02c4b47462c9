//go:build !linux

package sqlstore

import "syscall"

// setUserTimeout does nothing where TCP_USER_TIMEOUT does not exist; the
// keep-alives and the operations' deadlines still apply.
func setUserTimeout(string, string, syscall.RawConn) error { return nil }
