package childtest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain serves this package's own roles, and checks for leaked
// goroutines.
func TestMain(m *testing.M) {
	Serve(map[string]func(string) int{
		"hang": func(arg string) int {
			fmt.Println("hanging", arg, os.Getenv("EXTRA"), os.Getenv(roleEnv) == "")
			time.Sleep(time.Hour)
			return 0
		},
		"args": func(arg string) int {
			fmt.Println(arg, strings.Join(Args(), ","))
			return 3
		},
	})
	goleak.VerifyTestMain(m)
}

// TestStartAndKill starts a child that hangs: it gets its argument and
// the extra environment, its role is gone from its environment, and Kill
// ends it by SIGKILL.
func TestStartAndKill(t *testing.T) {
	c := Start(t, "hang", "x", "EXTRA=y")
	if line := c.ReadLine(t); line != "hanging x y true" {
		t.Fatalf("child said %q", line)
	}
	if err := c.Kill(); !KilledBySIGKILL(err) {
		t.Errorf("Kill: %v, want death by SIGKILL", err)
	}
	if err := c.Kill(); !KilledBySIGKILL(err) {
		t.Errorf("Kill again: %v", err)
	}
}

// TestCommand runs a child to its end: its arguments, its exit code, and
// an unknown role exits 2.
func TestCommand(t *testing.T) {
	out, err := Command("args", "a", "b", "c").Output()
	if string(out) != "a b,c\n" || exitCode(err) != 3 {
		t.Errorf("child printed %q and ended with %v; want \"a b,c\" and exit 3", out, err)
	}
	if err := Command("nosuchrole", "").Run(); exitCode(err) != 2 {
		t.Errorf("unknown role: %v, want exit 2", err)
	}
}

func exitCode(err error) int {
	if ee, ok := err.(interface{ ExitCode() int }); ok {
		return ee.ExitCode()
	}
	return -1
}
