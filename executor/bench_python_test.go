package executor

import (
	"context"
	"iter"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchItem is the small struct argument of BenchmarkProcessPoolVsPython,
// the counterpart of the Python script's dataclass Item.
type benchItem struct {
	ID   int
	Name string
	Tags []string
}

// benchItemTask is the struct task of BenchmarkProcessPoolVsPython.
var benchItemTask = Register("bench.item", func(_ context.Context, it benchItem) (int, error) {
	return it.ID + len(it.Tags), nil
})

// pythonBaseline times, in Python's ProcessPoolExecutor(2) with the default
// start method (fork on Linux), n calls of the same trivial work as the Go
// side, submitted all at once and collected in order (list(ex.map(...))),
// after a warm-up that starts the workers. It prints calls per second.
const pythonBaseline = `
import sys, time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

@dataclass
class Item:
    ID: int
    Name: str
    Tags: list = field(default_factory=list)

def inc(n):
    return n + 1

def item(it):
    return it.ID + len(it.Tags)

if __name__ == "__main__":
    kind, n = sys.argv[1], int(sys.argv[2])
    if kind == "int":
        fn, items = inc, list(range(n))
    else:
        fn, items = item, [Item(i, "item-%d" % i, ["a", "bb", "ccc"]) for i in range(n)]
    with ProcessPoolExecutor(2) as ex:
        list(ex.map(fn, items[:100]))
        start = time.perf_counter()
        out = list(ex.map(fn, items))
        elapsed = time.perf_counter() - start
    assert len(out) == n
    print(n / elapsed)
`

// pythonCalls is the number of calls each side makes per measurement.
const pythonCalls = 20000

// BenchmarkProcessPoolVsPython runs 20,000 trivial calls on a 2-worker
// ProcessPool with default options, all submitted with Call and then
// collected with Result, against Python's ProcessPoolExecutor(2) doing the
// same with list(ex.map(f, items)) in the same run; it reports both rates
// and their ratio (x-python). Subbenchmarks: an int argument, the same with
// Map instead of Call and Result, and a small struct (benchItem, a dataclass
// in Python). Without python3 on the PATH the
// baseline is skipped and only the Go rate is reported.
func BenchmarkProcessPoolVsPython(b *testing.B) {
	items := make([]benchItem, pythonCalls)
	for i := range items {
		items[i] = benchItem{ID: i, Name: "item-" + strconv.Itoa(i), Tags: []string{"a", "bb", "ccc"}}
	}
	b.Run("int", func(b *testing.B) {
		benchVsPython(b, "int", func(p *ProcessPool) {
			callAll(b, p, benchInc, func(i int) int { return i }, func(i int) int { return i + 1 })
		})
	})
	b.Run("int-map", func(b *testing.B) {
		benchVsPython(b, "int", func(p *ProcessPool) { mapAll(b, p) })
	})
	b.Run("struct", func(b *testing.B) {
		benchVsPython(b, "struct", func(p *ProcessPool) {
			callAll(b, p, benchItemTask, func(i int) benchItem { return items[i] }, func(i int) int { return i + 3 })
		})
	})
}

func benchVsPython(b *testing.B, kind string, run func(*ProcessPool)) {
	p, err := NewProcessPool(2)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	run(p) // warm up
	pyRate, pyErr := pythonRate(kind)
	var goTime time.Duration
	for b.Loop() {
		goTime += timed(func() { run(p) })
	}
	goRate := float64(b.N*pythonCalls) / goTime.Seconds()
	b.ReportMetric(goRate, "calls/s")
	if pyErr != nil {
		b.Logf("no Python baseline: %v", pyErr)
		return
	}
	b.ReportMetric(pyRate, "python-calls/s")
	b.ReportMetric(goRate/pyRate, "x-python")
}

// callAll makes pythonCalls calls of t, then waits for each and checks it.
func callAll[A any](b *testing.B, p *ProcessPool, t Task[A, int], arg func(int) A, want func(int) int) {
	ctx := context.Background()
	futures := make([]*Future[int], pythonCalls)
	for i := range futures {
		futures[i] = Call(p, t, arg(i))
	}
	for i, f := range futures {
		if v, err := f.Result(ctx); err != nil || v != want(i) {
			b.Fatalf("%s(%d) = %d, %v; want %d", t.Name(), i, v, err, want(i))
		}
	}
}

// mapAll makes pythonCalls calls of benchInc with Map and checks them.
func mapAll(b *testing.B, p *ProcessPool) {
	i := 0
	for v, err := range Map(context.Background(), p, benchInc, seqN(pythonCalls)) {
		if err != nil || v != i+1 {
			b.Fatalf("bench.inc(%d) = %d, %v", i, v, err)
		}
		i++
	}
}

func seqN(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// pythonRate runs the Python baseline for kind and returns its calls/s.
func pythonRate(kind string) (float64, error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return 0, err
	}
	out, err := exec.Command(py, "-c", pythonBaseline, kind, strconv.Itoa(pythonCalls)).Output()
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
}
