package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsStartWithOutput collects an error from each way the package
// fails: each starts with "output: " once, and names the path it is about.
func TestErrorsStartWithOutput(t *testing.T) {
	dir := t.TempDir()
	torn := filepath.Join(dir, "torn.jsonl")
	writeAll(t, torn, "", 2)
	full, _ := os.ReadFile(torn)
	os.WriteFile(torn, full[:len(full)-5], 0o644)
	corrupt := filepath.Join(dir, "corrupt.csv")
	os.WriteFile(corrupt, []byte("not,a,header\n"), 0o644)
	notCSV := filepath.Join(dir, "other.csv")
	writeAll(t, notCSV, "", 1)
	closed, err := Open(filepath.Join(dir, "closed.jsonl"), "", testRules)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	type result struct {
		about string
		err   error
	}
	errs := []result{{"", second(ParseFormat("xml"))}, {"out.txt", second(FormatFor("out.txt", ""))}}
	for _, c := range []struct {
		path  string
		f     Format
		rules []string
		opts  []Option
	}{
		{"out.txt", "", nil, nil},
		{filepath.Join(dir, "missing", "out.jsonl"), "", nil, nil},
		{filepath.Join(dir, "rules.csv"), "", []string{"url"}, nil},
		{filepath.Join(dir, "x.json"), "", nil, []Option{WithAppend()}},
		{notCSV, "", []string{"other"}, []Option{WithAppend()}},
		{corrupt, "", testRules, []Option{WithAppend()}},
	} {
		errs = append(errs, result{c.path, second(Open(c.path, c.f, c.rules, c.opts...))})
	}
	errs = append(errs,
		result{torn, second(ReadFile(torn, ""))},
		result{corrupt, second(Recover(corrupt, ""))},
		result{"-", second(Recover("-", JSONL))},
		result{closed.Path(), closed.Write(sampleRecord(0))},
		result{"", second(NewWriter(&callLog{}, "", nil))},
	)
	for i, r := range errs {
		switch {
		case r.err == nil:
			t.Errorf("case %d (%s): no error", i, r.about)
		case !strings.HasPrefix(r.err.Error(), "output: ") || strings.Contains(r.err.Error(), "output: output"):
			t.Errorf("case %d: %q does not start with a single \"output: \"", i, r.err)
		case !strings.Contains(r.err.Error(), r.about):
			t.Errorf("case %d: %q does not name %s", i, r.err, r.about)
		}
	}
}

// second returns the error of a call that returns a value and an error.
func second[T any](_ T, err error) error { return err }
