package executor_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/executor"
)

// node is a linked list, which a careless caller can close into a cycle.
type node struct {
	Val  int
	Next *node
}

// ptrLoop is a pointer that can point to itself with no container between.
type ptrLoop *ptrLoop

var (
	taskListLen = executor.Register("cyc.listlen", func(_ context.Context, n *node) (int, error) {
		count := 0
		for ; n != nil; n = n.Next {
			count++
		}
		return count, nil
	})
	taskAnyArg = executor.Register("cyc.any", func(_ context.Context, v any) (int, error) { return 1, nil })
	taskLoop   = executor.Register("cyc.loop", func(_ context.Context, v ptrLoop) (int, error) { return 1, nil })
	// taskCyclicResult returns a list that points back to itself.
	taskCyclicResult = executor.Register("cyc.result", func(context.Context, int) (*node, error) {
		n := &node{Val: 1}
		n.Next = n
		return n, nil
	})
)

func list(n int) *node {
	var head *node
	for i := range n {
		head = &node{Val: i, Next: head}
	}
	return head
}

// envCyclicChild makes this test binary, started by
// TestProcessPoolCyclicArgument, run that test's body: a cyclic argument
// used to overflow the caller's stack, a fatal error that no recover
// catches, so the test watches it from outside.
const envCyclicChild = "EXECUTOR_TEST_CYCLIC_CHILD"

// A cyclic argument fails its own future with ErrEncode; the caller and the
// pool go on. An acyclic list nested deeper than the codec allows fails the
// same way, and a long one within the limit crosses whole.
func TestProcessPoolCyclicArgument(t *testing.T) {
	if os.Getenv(envCyclicChild) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProcessPoolCyclicArgument$", "-test.v")
		cmd.Env = append(os.Environ(), envCyclicChild+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestProcessPoolCyclicArgument") {
			t.Fatalf("the test in a child process: %v\n%s", err, cut(string(out), 4000))
		}
		return
	}
	// Overflow fast: the stack need not reach its 1 GB default to fail.
	debug.SetMaxStack(64 << 20)
	p := newPool(t, 1)
	cyclic := &node{Val: 1}
	cyclic.Next = cyclic
	selfMap := map[string]any{}
	selfMap["self"] = selfMap
	selfSlice := []any{nil}
	selfSlice[0] = selfSlice
	var selfAny any
	selfAny = &selfAny
	var loop ptrLoop
	loop = &loop
	cases := []struct {
		name string
		err  error
	}{
		{"n.Next = n", errOf(executor.Call(p, taskListLen, cyclic))},
		{"a map holding itself", errOf(executor.Call(p, taskAnyArg, any(selfMap)))},
		{"a slice holding itself", errOf(executor.Call(p, taskAnyArg, any(selfSlice)))},
		{"an interface pointing to itself", errOf(executor.Call(p, taskAnyArg, selfAny))},
		{"a pointer pointing to itself", errOf(executor.Call(p, taskLoop, loop))},
		{"a list 100,000 long", errOf(executor.Call(p, taskListLen, list(100_000)))},
	}
	for _, c := range cases {
		if !errors.Is(c.err, executor.ErrEncode) || !strings.Contains(c.err.Error(), "cyclic") {
			t.Errorf("%s: %v, want ErrEncode saying the value may be cyclic", c.name, c.err)
		}
	}
	if got := mustResult(t, executor.Call(p, taskListLen, list(1000))); got != 1000 {
		t.Errorf("a list 1,000 long arrived %d long", got)
	}
}

// A task that returns a cyclic value fails its future with ErrEncode at
// once; its worker survives and goes on serving.
func TestProcessPoolCyclicResult(t *testing.T) {
	p := newPool(t, 1)
	pid := mustResult(t, executor.Call(p, taskPid, 0))
	_, err := result(t, executor.Call(p, taskCyclicResult, 0))
	if !errors.Is(err, executor.ErrEncode) || !strings.Contains(err.Error(), "cyclic") {
		t.Errorf("cyclic result: %v, want ErrEncode saying the value may be cyclic", err)
	}
	if got := mustResult(t, executor.Call(p, taskPid, 0)); got != pid {
		t.Errorf("the worker was replaced (pid %d, then %d): a cyclic result must not cost it", pid, got)
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
