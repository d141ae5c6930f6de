//go:build !unix || aix

package executor

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"syscall"
)

// On systems without Unix socket pairs and SCM_RIGHTS (Windows, Plan 9,
// WebAssembly) there is no ProcessPool: NewProcessPool fails with an error
// matching errors.ErrUnsupported. ThreadPool and the rest work as anywhere.

var errNoProcessPool = fmt.Errorf("executor: ProcessPool is not supported on %s (it needs Unix socket pairs and SCM_RIGHTS): %w",
	runtime.GOOS, errors.ErrUnsupported)

func processPoolSupport() error { return errNoProcessPool }

const msgCtrunc = 0

func oobSpace(n int) int { return 0 }

func filesRefused(err error) bool { return false }

func unixRights(fds []int) []byte { return nil }

func parseRights(oob []byte) ([]int, error) { return nil, errNoProcessPool }

func dupFD(raw uintptr) (int, error) { return -1, errNoProcessPool }

func closeFDs(fds []int) {}

func workerSysProcAttr() *syscall.SysProcAttr { return nil }

func signalName(sig syscall.Signal) string { return "signal " + strconv.Itoa(int(sig)) }

func socketFDs() ([2]int, error) { return [2]int{-1, -1}, errNoProcessPool }
