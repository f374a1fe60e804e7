package data

import (
	"errors"
	"fmt"
)

// Error codes. Every error that a person should read carries one of them;
// anything else is an internal error whose detail goes to the log only.
const (
	EINVALID   = "invalid"   // the input is wrong; the message says what and where
	ENOTFOUND  = "not_found" // no such record
	ECONFLICT  = "conflict"  // the record changed in a way that stops this action
	EFORBIDDEN = "forbidden" // the user's role does not allow it
	EAUTH      = "auth"      // wrong user name or password
	EINTERNAL  = "internal"  // a bug or a failure of the machine
)

// Error is an error with a code and a message meant for a person.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain,
// EINTERNAL for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the sentence a person sees for err. Errors without a
// code read "Internal error" so that no detail (and no personal data) leaks
// to the screen; the caller logs the detail.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	case errors.Is(err, ErrDiskFull):
		return ErrDiskFull.Error()
	case errors.Is(err, ErrReadOnly):
		return ErrReadOnly.Error()
	}
	return "Internal error"
}
