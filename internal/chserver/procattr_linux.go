//go:build linux

package chserver

import "syscall"

// procAttr puts the server in its own process group and has the kernel kill
// it when the thread that started it dies. Go never ends an idle thread, so
// in practice that is when this process dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
