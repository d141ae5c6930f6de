// Package childtest runs the test binary again as a child process that
// plays a role instead of running the tests: a writer or a pool owner that
// the test kills with SIGKILL, a process under a resource limit. It is for
// tests only.
//
// A package's TestMain calls Serve with its roles before anything else
// (after executor.Init where the binary is also a pool worker); a test
// starts a child with Start, or builds its command with Command.
package childtest

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The environment variables that make the test binary a child: the role
// and its argument.
const (
	roleEnv = "POOLSCRAPE_TEST_CHILD"
	argEnv  = "POOLSCRAPE_TEST_CHILD_ARG"
)

// runOnly is the test binary's first argument in a child: it runs no test
// should the role be unknown to Serve.
const runOnly = "-test.run=^$"

// Serve, when this process was started as a child (by Start or Command),
// runs its role with the argument it was given and exits with the code the
// role returns; an unknown role exits 2. Otherwise it returns at once. The
// child's environment no longer holds the role, so processes it starts are
// not children in turn.
func Serve(roles map[string]func(arg string) int) {
	role, ok := os.LookupEnv(roleEnv)
	if !ok {
		return
	}
	arg := os.Getenv(argEnv)
	os.Unsetenv(roleEnv)
	os.Unsetenv(argEnv)
	fn, ok := roles[role]
	if !ok {
		os.Stderr.WriteString("childtest: unknown role " + role + "\n")
		os.Exit(2)
	}
	os.Exit(fn(arg))
}

// Args returns, in a child, the arguments after the test binary's that
// Command was given.
func Args() []string {
	if len(os.Args) < 2 || os.Args[1] != runOnly {
		return nil
	}
	return os.Args[2:]
}

// Command returns the command that runs the test binary as a child playing
// role with arg (and args, for Args), in this process's environment. The
// caller sets its output and runs it.
func Command(role, arg string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{runOnly}, args...)...)
	cmd.Env = append(os.Environ(), roleEnv+"="+role, argEnv+"="+arg)
	return cmd
}

// Child is a running child process.
type Child struct {
	cmd *exec.Cmd
	// Stdout reads what the child prints on its standard output.
	Stdout *bufio.Reader

	once    sync.Once
	waitErr error
}

// Start starts the test binary as a child playing role with arg, with env
// ("KEY=value") added to its environment and its standard error copied to
// the test's. When the test ends the child is killed, if it still runs,
// and reaped.
func Start(t testing.TB, role, arg string, env ...string) *Child {
	t.Helper()
	cmd := Command(role, arg)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the child %s: %v", role, err)
	}
	c := &Child{cmd: cmd, Stdout: bufio.NewReader(out)}
	t.Cleanup(func() { _ = c.Kill() })
	return c
}

// Pid returns the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// ReadLine returns the next line the child prints, without its newline. It
// fails the test when the child ends its output first.
func (c *Child) ReadLine(t testing.TB) string {
	t.Helper()
	line, err := c.Stdout.ReadString('\n')
	if err != nil {
		t.Fatalf("the child said %q, then: %v", line, err)
	}
	return strings.TrimSuffix(line, "\n")
}

// Wait waits for the child to exit and returns what exec.Cmd.Wait does;
// it returns the same again when called again.
func (c *Child) Wait() error {
	c.once.Do(func() { c.waitErr = c.cmd.Wait() })
	return c.waitErr
}

// Kill kills the child with SIGKILL, unless it has exited already, and
// waits for it; it returns what Wait does.
func (c *Child) Kill() error {
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return c.Wait()
}

// KilledBySIGKILL reports whether err, from Wait or Kill, says the child
// died of SIGKILL.
func KilledBySIGKILL(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
