package output

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// callLog is an io.Writer that keeps each Write call's bytes, fails every
// call from the failAt-th on (0: never) and records a Close.
type callLog struct {
	calls  [][]byte
	failAt int
	closed bool
}

var errStream = errors.New("stream broken")

func (c *callLog) Write(b []byte) (int, error) {
	if c.failAt > 0 && len(c.calls)+1 >= c.failAt {
		return 0, errStream
	}
	c.calls = append(c.calls, bytes.Clone(b))
	return len(b), nil
}

func (c *callLog) Close() error { c.closed = true; return nil }

// TestNewWriterStream writes records onto a plain io.Writer in every
// format: the bytes are those Open writes to a file, each record comes in
// one Write call, and Close neither closes the stream nor writes after the
// footer.
func TestNewWriterStream(t *testing.T) {
	const n = 5
	for _, format := range Formats {
		path := tempPath(t, string(format))
		writeAll(t, path, "", n)
		file, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var log callLog
		w, err := NewWriter(&log, format, testRules)
		if err != nil {
			t.Fatal(err)
		}
		header := len(log.calls)
		for i := range n {
			if err := w.Write(sampleRecord(i)); err != nil {
				t.Fatal(err)
			}
			if len(log.calls) != header+i+1 {
				t.Fatalf("%s: record %d took %d Write calls", format, i, len(log.calls)-header-i)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := bytes.Join(log.calls, nil); !bytes.Equal(got, file) {
			t.Errorf("%s: the stream holds\n%q\nthe file\n%q", format, got, file)
		}
		if log.closed || w.Path() != "" || w.Format() != format || w.Records() != n {
			t.Errorf("%s: closed %v, Path %q, Format %q, Records %d", format, log.closed, w.Path(), w.Format(), w.Records())
		}
	}
}

// TestNewWriterStreamError: after the stream fails, Write and Close return
// that error (with the "output: " prefix) and nothing more is written.
func TestNewWriterStreamError(t *testing.T) {
	for _, format := range Formats {
		log := callLog{failAt: 3} // the header (none for jsonl), then a record or two
		w, err := NewWriter(&log, format, testRules)
		if err != nil {
			t.Fatal(err)
		}
		var werr error
		for i := 0; werr == nil && i < 5; i++ {
			werr = w.Write(sampleRecord(i))
		}
		calls := len(log.calls)
		again, cerr := w.Write(sampleRecord(9)), w.Close()
		for _, err := range []error{werr, again, cerr} {
			if !errors.Is(err, errStream) || !strings.HasPrefix(err.Error(), "output: write: ") {
				t.Errorf("%s: %v, want the stream's error after \"output: write: \"", format, err)
			}
		}
		if len(log.calls) != calls {
			t.Errorf("%s: %d Write calls after the failed one", format, len(log.calls)-calls)
		}
	}
}

// TestNewWriterRefuses bad formats and bad rule names before it writes.
func TestNewWriterRefuses(t *testing.T) {
	var log callLog
	for _, c := range []struct {
		format Format
		rules  []string
		want   error
	}{
		{"", testRules, ErrUnknownFormat},
		{"xml", testRules, ErrUnknownFormat},
		{CSV, []string{"url"}, ErrBadRules},
		{JSON, []string{"a", "a"}, ErrBadRules},
	} {
		if _, err := NewWriter(&log, c.format, c.rules); !errors.Is(err, c.want) || !strings.HasPrefix(err.Error(), "output: ") {
			t.Errorf("NewWriter(%q, %q) = %v, want %v", c.format, c.rules, err, c.want)
		}
	}
	if len(log.calls) != 0 {
		t.Errorf("refused writers wrote %q", log.calls)
	}
}
