//go:build unix && !aix

package executor

import (
	"errors"
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// The operating-system parts of a ProcessPool on Unix: socket pairs,
// descriptors passed with SCM_RIGHTS, process groups and signal names.

// processPoolSupport reports whether this system can run a ProcessPool.
func processPoolSupport() error { return nil }

// msgCtrunc is the recvmsg flag that says control data was cut short: the
// receiver could not take every descriptor sent.
const msgCtrunc = unix.MSG_CTRUNC

// filesRefused reports a sendmsg error that refuses the descriptors sent
// and sends nothing, the socket being fine: ETOOMANYREFS, when this user
// has more descriptors in flight over Unix sockets than its RLIMIT_NOFILE
// (Linux), and EMFILE or ENFILE, out of descriptors.
func filesRefused(err error) bool {
	return errors.Is(err, unix.ETOOMANYREFS) || errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE)
}

// oobSpace is the control buffer size for n descriptors.
func oobSpace(n int) int { return unix.CmsgSpace(n * 4) }

// unixRights is the SCM_RIGHTS control message that sends fds.
func unixRights(fds []int) []byte { return unix.UnixRights(fds...) }

// parseRights returns the descriptors in a control message buffer, each
// marked close-on-exec.
func parseRights(oob []byte) ([]int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("%w: control message: %w", errBadFrame, err)
	}
	var fds []int
	for i := range msgs {
		got, err := unix.ParseUnixRights(&msgs[i])
		if err != nil {
			continue // not SCM_RIGHTS
		}
		for _, fd := range got {
			unix.CloseOnExec(fd)
		}
		fds = append(fds, got...)
	}
	return fds, nil
}

// dupFD duplicates the descriptor raw, close-on-exec.
func dupFD(raw uintptr) (int, error) {
	return unix.FcntlInt(raw, unix.F_DUPFD_CLOEXEC, 0)
}

func closeFDs(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}

// workerSysProcAttr puts a worker in its own process group, so that a
// Ctrl-C at the terminal reaches the pool, which shuts the workers down,
// rather than killing them under it. A worker learns of its pool's death
// from its socket (EOF), not from a signal.
// (Linux's Pdeathsig would also signal it when the OS thread that started
// it exits, which a goroutine locked to its thread can make happen at any
// time.)
func workerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// signalName is the name of sig, such as "SIGKILL".
func signalName(sig syscall.Signal) string { return unix.SignalName(sig) }
