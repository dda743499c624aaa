//go:build unix && !linux

package chserver

import "syscall"

// procAttr puts the server in its own process group. Without Pdeathsig the
// server outlives a parent that dies without calling Close.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
