package input

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// pipeSize is the pipe buffer asked for between xz and the parser: 1 MiB
// (Linux's default pipe-max-size) lets xz run a block ahead of a busy
// parser instead of stalling on the default 64 KiB.
const pipeSize = 1 << 20

// growPipe enlarges the kernel buffer of a pipe; failure only costs speed.
func growPipe(r io.Reader) {
	if f, ok := r.(*os.File); ok {
		_, _ = unix.FcntlInt(f.Fd(), unix.F_SETPIPE_SZ, pipeSize)
	}
}
