package chdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// errorCode is one ClickHouse exception code and how to treat it.
type errorCode struct {
	name      string
	retryable bool
}

// errorCodes is the one place that decides which ClickHouse exceptions are
// worth retrying: load, limits, timeouts, lost connections, replication and
// disk trouble that an operator or time can fix. Everything else, listed or
// not, is permanent: retrying the same statement gives the same error, so
// the caller should report it (or poison the batch) instead. The permanent
// entries are listed for the reader and for ExceptionName.
//
// Memory and disk exhaustion are retryable on purpose: a batch that fails
// for them is fine once the pressure is gone, and poisoning it would drop
// events that are not at fault.
var errorCodes = map[int32]errorCode{
	3:   {"UNEXPECTED_END_OF_FILE", true},
	32:  {"ATTEMPT_TO_READ_AFTER_EOF", true},
	159: {"TIMEOUT_EXCEEDED", true},
	160: {"TOO_SLOW", true},
	173: {"CANNOT_ALLOCATE_MEMORY", true},
	201: {"QUOTA_EXCEEDED", true},
	202: {"TOO_MANY_SIMULTANEOUS_QUERIES", true},
	203: {"NO_FREE_CONNECTION", true},
	209: {"SOCKET_TIMEOUT", true},
	210: {"NETWORK_ERROR", true},
	218: {"TABLE_IS_DROPPED", true},
	225: {"NO_ZOOKEEPER", true},
	236: {"ABORTED", true},
	241: {"MEMORY_LIMIT_EXCEEDED", true},
	242: {"TABLE_IS_READ_ONLY", true},
	243: {"NOT_ENOUGH_SPACE", true},
	252: {"TOO_MANY_PARTS", true},
	265: {"NO_AVAILABLE_REPLICA", true},
	279: {"ALL_CONNECTION_TRIES_FAILED", true},
	285: {"TOO_FEW_LIVE_REPLICAS", true},
	286: {"UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE", true},
	319: {"UNKNOWN_STATUS_OF_INSERT", true},
	369: {"ALL_REPLICAS_ARE_STALE", true},
	384: {"PART_IS_TEMPORARILY_LOCKED", true},
	388: {"CANNOT_ASSIGN_OPTIMIZE", true},
	394: {"QUERY_WAS_CANCELLED", true},
	415: {"ALL_REPLICAS_LOST", true},
	439: {"CANNOT_SCHEDULE_TASK", true},
	473: {"DEADLOCK_AVOIDED", true},
	517: {"CANNOT_ASSIGN_ALTER", true},
	999: {"KEEPER_EXCEPTION", true},
	// POCO_EXCEPTION is how a server reports socket and I/O failures.
	1000: {"POCO_EXCEPTION", true},

	1:    {"UNSUPPORTED_METHOD", false},
	6:    {"CANNOT_PARSE_TEXT", false},
	8:    {"THERE_IS_NO_COLUMN", false},
	10:   {"NOT_FOUND_COLUMN_IN_BLOCK", false},
	16:   {"NO_SUCH_COLUMN_IN_TABLE", false},
	27:   {"CANNOT_PARSE_INPUT_ASSERTION_FAILED", false},
	36:   {"BAD_ARGUMENTS", false},
	41:   {"CANNOT_PARSE_DATETIME", false},
	42:   {"NUMBER_OF_ARGUMENTS_DOESNT_MATCH", false},
	43:   {"ILLEGAL_TYPE_OF_ARGUMENT", false},
	44:   {"ILLEGAL_COLUMN", false},
	46:   {"UNKNOWN_FUNCTION", false},
	47:   {"UNKNOWN_IDENTIFIER", false},
	48:   {"NOT_IMPLEMENTED", false},
	49:   {"LOGICAL_ERROR", false},
	50:   {"UNKNOWN_TYPE", false},
	53:   {"TYPE_MISMATCH", false},
	57:   {"TABLE_ALREADY_EXISTS", false},
	60:   {"UNKNOWN_TABLE", false},
	62:   {"SYNTAX_ERROR", false},
	69:   {"ARGUMENT_OUT_OF_BOUND", false},
	70:   {"CANNOT_CONVERT_TYPE", false},
	81:   {"UNKNOWN_DATABASE", false},
	82:   {"DATABASE_ALREADY_EXISTS", false},
	101:  {"UNEXPECTED_PACKET_FROM_CLIENT", false},
	115:  {"UNKNOWN_SETTING", false},
	117:  {"INCORRECT_DATA", false},
	164:  {"READONLY", false},
	192:  {"UNKNOWN_USER", false},
	193:  {"WRONG_PASSWORD", false},
	194:  {"REQUIRED_PASSWORD", false},
	195:  {"IP_ADDRESS_NOT_ALLOWED", false},
	349:  {"CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN", false},
	386:  {"NO_COMMON_TYPE", false},
	396:  {"TOO_MANY_ROWS_OR_BYTES", false},
	497:  {"ACCESS_DENIED", false},
	516:  {"AUTHENTICATION_FAILED", false},
	1002: {"UNKNOWN_EXCEPTION", false},
}

// retryableErrnos are socket failures that a later attempt may not meet.
var retryableErrnos = []error{
	syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
	syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN,
}

// retryableErrors are sentinels of a lost or unavailable connection.
var retryableErrors = []error{
	io.EOF, io.ErrUnexpectedEOF, net.ErrClosed, driver.ErrBadConn,
	clickhouse.ErrAcquireConnTimeout, clickhouse.ErrConnectionClosed,
	context.DeadlineExceeded,
}

// Retryable reports whether the operation that returned err may succeed if
// tried again unchanged: a ClickHouse exception whose code errorCodes marks
// retryable, a network failure (refused, reset, timed out, closed), or a
// deadline that passed. A cancelled context, a client-side error (bad
// argument, unsupported type) and every other exception are permanent.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if code, ok := ExceptionCode(err); ok {
		return errorCodes[code].retryable
	}
	var op *clickhouse.OpError // clickhouse-go's OpError does not unwrap
	if errors.As(err, &op) && op.Err != nil {
		return Retryable(op.Err)
	}
	for _, target := range retryableErrnos {
		if errors.Is(err, target) {
			return true
		}
	}
	for _, target := range retryableErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// ExceptionCode returns the code of the ClickHouse exception in err's chain.
func ExceptionCode(err error) (int32, bool) {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return ex.Code, true
	}
	return 0, false
}

// ExceptionName returns the symbolic name of a ClickHouse exception code
// that errorCodes lists, or "".
func ExceptionName(code int32) string {
	return errorCodes[code].name
}
