//go:build !linux

package input

import "io"

func growPipe(io.Reader) {}
