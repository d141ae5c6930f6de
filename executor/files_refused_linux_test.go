package executor_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/internal/childtest"
	"golang.org/x/sys/unix"
)

// filesRefusedRole makes this test binary, started by
// TestSendRefusedFilesFailOnlyTheirCall in a user namespace of its own, a
// pool owner whose descriptors the kernel refuses to send.
const filesRefusedRole = "executor-files-refused"

func init() { childRoles[filesRefusedRole] = filesRefusedHelper }

// The kernel refuses to send descriptors (sendmsg fails with ETOOMANYREFS)
// when the sending user has more in flight over Unix sockets than its
// RLIMIT_NOFILE, unless it has CAP_SYS_RESOURCE or CAP_SYS_ADMIN, which a
// process in a user namespace of its own lacks outside it. The helper runs
// there: the call whose files are refused fails with ErrFiles, the call
// sent behind it runs, its worker is not replaced, and once the limit leaves
// room files reach the worker again.
func TestSendRefusedFilesFailOnlyTheirCall(t *testing.T) {
	runInOwnUserNamespace(t, filesRefusedRole)
}

// runInOwnUserNamespace runs this test binary as role in a user namespace
// of its own (skipping the test where none can be made), killed after two
// minutes, and fails the test with the child's output unless it exits 0.
func runInOwnUserNamespace(t *testing.T, role string) {
	t.Helper()
	cmd := childtest.Command(role, "")
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start a process in a user namespace of its own, where the limit on descriptors in flight applies: %v", err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out.String())
	}
}

// filesRefusedHelper runs in the user namespace (see above) and returns 0
// if all went as it should, else 1 with what went wrong on standard error.
func filesRefusedHelper(string) int {
	if err := filesRefused(); err != nil {
		fmt.Fprintf(os.Stderr, "files refused helper: %v\n", err)
		return 1
	}
	return 0
}

func filesRefused() error {
	p, err := executor.NewProcessPool(1)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	defer p.Shutdown(ctx) // bounded: a call that hangs must not hang the helper
	pid, err := executor.Call(p, taskPid, 0).Result(ctx)
	if err != nil {
		return err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	defer w.Close()

	restore, err := parkUntilRefused(64)
	if err != nil {
		return err
	}
	refused := executor.Call(p, taskWriteFiles, "refused", executor.WithFiles(w))
	behind := executor.Call(p, taskPid, 0)
	if _, err := refused.Result(ctx); !errors.Is(err, executor.ErrFiles) || !errors.Is(err, syscall.ETOOMANYREFS) {
		return fmt.Errorf("the call whose files were refused: %v, want ErrFiles and ETOOMANYREFS", err)
	}
	if got, err := behind.Result(ctx); err != nil || got != pid {
		return fmt.Errorf("the call behind it: pid %d, %v; want it run by worker %d", got, err, pid)
	}
	if err := restore(); err != nil {
		return err
	}
	if n, err := executor.Call(p, taskWriteFiles, "again", executor.WithFiles(w)).Result(ctx); err != nil || n != 1 {
		return fmt.Errorf("a call with files once the limit leaves room: %d, %v", n, err)
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if want := fmt.Sprintf("again from %d\n", pid); err != nil || line != want {
		return fmt.Errorf("the worker wrote %q (%v), want %q", line, err, want)
	}
	if s := p.Stats(); s.WorkerRestarts != 0 || s.Failed != 1 || s.Succeeded != 3 {
		return fmt.Errorf("Stats = %+v, want no restart, 1 failed, 3 succeeded", s)
	}
	return nil
}

// parkUntilRefused lowers this process's soft RLIMIT_NOFILE to limit and
// sends descriptors over a socket pair nobody reads, until the kernel
// refuses them with ETOOMANYREFS. restore raises the limit back and closes
// the pair, which frees what it holds.
func parkUntilRefused(limit uint64) (restore func() error, err error) {
	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &saved); err != nil {
		return nil, err
	}
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	restore = func() error {
		unix.Close(pair[0])
		unix.Close(pair[1])
		return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &saved)
	}
	low := saved
	low.Cur = limit
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		restore()
		return nil, err
	}
	same := make([]int, 32)
	for i := range same {
		same[i] = pair[1]
	}
	for range 100 {
		err := unix.Sendmsg(pair[0], []byte{0}, unix.UnixRights(same...), nil, unix.MSG_DONTWAIT)
		if errors.Is(err, unix.ETOOMANYREFS) {
			return restore, nil
		}
		if err != nil {
			restore()
			return nil, fmt.Errorf("park descriptors: %w", err)
		}
	}
	restore()
	return nil, fmt.Errorf("the kernel never refused descriptors in flight past RLIMIT_NOFILE %d", limit)
}
