package warc_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/fulldisk"
	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// exchange is a made-up exchange number i with a body of n bytes.
func exchange(i, n int) *warc.Exchange {
	body := bytes.Repeat([]byte{byte('a' + i%26)}, n)
	return &warc.Exchange{
		Date: time.Now(), TargetURI: fmt.Sprintf("http://127.0.0.1:1/p%d", i), IP: "127.0.0.1",
		Request:      []byte(fmt.Sprintf("GET /p%d HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n", i)),
		ResponseHead: []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", n)),
		Body:         body,
	}
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// write opens path (appending or not), writes a warcinfo and exchanges
// first..last-1, and closes it.
func write(t *testing.T, path string, appending bool, first, last int) {
	t.Helper()
	open := warc.Create
	if appending {
		open = warc.Append
	}
	w, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteInfo(time.Now(), []warc.Field{{Name: "software", Value: "test"}}); err != nil {
		t.Fatal(err)
	}
	for i := first; i < last; i++ {
		if err := w.WriteExchange(exchange(i, 3000+i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAppendCutsTornTail tears the last exchange of a file at several
// points, each a crash in the middle of a write, and appends: Append cuts
// back to the last whole exchange (a request record without its response
// goes too), and the file reads back whole and valid, every body right.
func TestAppendCutsTornTail(t *testing.T) {
	for _, name := range []string{"a.warc", "a.warc.gz"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			full := filepath.Join(dir, name)
			write(t, full, false, 0, 2)
			whole := size(t, full)
			w, err := warc.Append(full)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteInfo(time.Now(), nil); err != nil {
				t.Fatal(err)
			}
			w.Close()
			info := size(t, full)
			if w, err = warc.Append(full); err != nil {
				t.Fatal(err)
			}
			if err := w.WriteExchange(exchange(2, 3002)); err != nil {
				t.Fatal(err)
			}
			w.Close()
			data, err := os.ReadFile(full)
			if err != nil {
				t.Fatal(err)
			}
			for _, cut := range []int64{whole + 1, info - 1, info + 1, info + 200, int64(len(data)) - 1} {
				path := filepath.Join(dir, fmt.Sprintf("cut%d-%s", cut, name))
				if err := os.WriteFile(path, data[:cut], 0o644); err != nil {
					t.Fatal(err)
				}
				w, err := warc.Append(path)
				if err != nil {
					t.Fatal(err)
				}
				want := info // a torn exchange goes whole, its request too
				if cut < info {
					want = whole // a torn warcinfo
				}
				if got := size(t, path); got != want {
					t.Errorf("cut at %d: %d bytes after Append, want %d (the last whole record)", cut, got, want)
				}
				w.Close()
				write(t, path, true, 3, 5)
				recs, err := warcread.File(path)
				if err != nil {
					t.Fatalf("cut at %d: %v", cut, err)
				}
				checkBodies(t, recs)
			}
		})
	}
}

func checkBodies(t *testing.T, recs []warcread.Record) {
	t.Helper()
	for _, r := range recs {
		if r.Type != "response" {
			continue
		}
		var i int
		if _, err := fmt.Sscanf(r.TargetURI, "http://127.0.0.1:1/p%d", &i); err != nil {
			t.Fatal(err)
		}
		if want := exchange(i, 3000+i).Body; !bytes.Equal(r.Payload, want) {
			t.Errorf("%s: body of %d bytes, want %d", r.TargetURI, len(r.Payload), len(want))
		}
	}
}

// TestAppendRefusesForeignFile leaves a file that is not a WARC alone.
func TestAppendRefusesForeignFile(t *testing.T) {
	for _, name := range []string{"notes.warc", "notes.warc.gz"} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte("my notes\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := warc.Append(path); !errors.Is(err, warc.ErrNotWARC) {
			t.Errorf("%s: Append: %v, want ErrNotWARC", name, err)
		}
		if got, _ := os.ReadFile(path); string(got) != "my notes\n" {
			t.Errorf("%s: now holds %q", name, got)
		}
	}
}

// TestOneWriterAFile: a second Writer on a file in use fails and does not
// empty it.
func TestOneWriterAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.warc")
	w, err := warc.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteExchange(exchange(1, 10)); err != nil {
		t.Fatal(err)
	}
	n := size(t, path)
	for _, open := range []func(string) (*warc.Writer, error){warc.Create, warc.Append} {
		if w2, err := open(path); err == nil {
			w2.Close()
			t.Error("a second Writer opened a file in use")
		}
	}
	if size(t, path) != n {
		t.Error("the second open changed the file")
	}
	w.Close()
	if w, err = warc.Append(path); err != nil {
		t.Fatalf("after Close: %v", err)
	}
	w.Close()
}

func TestCompressed(t *testing.T) {
	for name, want := range map[string]bool{"a.warc": false, "dir/a.warc.gz": true} {
		if got, err := warc.Compressed(name); err != nil || got != want {
			t.Errorf("Compressed(%q) = %v, %v", name, got, err)
		}
	}
	for _, name := range []string{"a.gz", "a.warc.bz2", "a.WARC", ""} {
		if _, err := warc.Compressed(name); !errors.Is(err, warc.ErrFormat) {
			t.Errorf("Compressed(%q): %v, want ErrFormat", name, err)
		}
	}
}

// TestWriteFailureCutBack fills a real 64 KiB tmpfs (fulldisk: skipped
// without the right to mount): the write that fails is cut back off, every
// later write and Close fail with it, and the file reads back whole.
func TestWriteFailureCutBack(t *testing.T) {
	dir := fulldisk.Mount(t, 64<<10)
	for _, name := range []string{"a.warc", "a.warc.gz"} {
		path := filepath.Join(dir, name)
		w, err := warc.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		var werr error
		for i := 0; werr == nil && i < 1000; i++ {
			ex := exchange(i, 9000)
			ex.Body = []byte(strings.Repeat(fmt.Sprint(time.Now().UnixNano()), 900)) // not too compressible
			werr = w.WriteExchange(ex)
		}
		if werr == nil || !strings.Contains(werr.Error(), "no space left") {
			t.Fatalf("%s: writes until full: %v", name, werr)
		}
		if err := w.WriteExchange(exchange(0, 1)); !errors.Is(err, werr) && err.Error() != werr.Error() {
			t.Errorf("%s: a write after the failure: %v", name, err)
		}
		if err := w.Close(); err == nil {
			t.Errorf("%s: Close: nil after a failed write", name)
		}
		if _, err := warcread.File(path); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		os.Remove(path)
	}
}

// TestRevisitRefersTo: a revisit record names the capture it revisits in
// WARC-Refers-To and WARC-Refers-To-Date (as WARC-Date writes a date) when
// the Exchange knows it, and leaves both out when it does not; the
// response record's WARC-Record-ID is ex.ID.
func TestRevisitRefersTo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.warc")
	w, err := warc.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	orig := exchange(1, 10)
	if err := w.WriteExchange(orig); err != nil {
		t.Fatal(err)
	}
	known := exchange(1, 10)
	known.Profile, known.RefersTo, known.RefersToDate = warc.ProfileIdenticalPayloadDigest, orig.ID, orig.Date
	unknown := exchange(1, 10)
	unknown.Profile = warc.ProfileServerNotModified
	for _, ex := range []*warc.Exchange{known, unknown} {
		if err := w.WriteExchange(ex); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	recs, err := warcread.File(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []warcread.Record
	for _, r := range recs {
		if r.Type != "request" {
			got = append(got, r)
		}
	}
	if len(got) != 3 || got[0].ID != orig.ID || got[0].Type != "response" {
		t.Fatalf("records %+v, want the response %s and two revisits", got, orig.ID)
	}
	if r := got[1]; r.RefersTo != orig.ID || r.RefersToDate != got[0].Date || r.RefersToTargetURI != orig.TargetURI {
		t.Errorf("revisit refers to %q at %q of %q, want %q at %q of %q", r.RefersTo, r.RefersToDate, r.RefersToTargetURI, orig.ID, got[0].Date, orig.TargetURI)
	}
	if r := got[2]; r.RefersTo != "" || r.RefersToDate != "" || r.RefersToTargetURI != orig.TargetURI {
		t.Errorf("revisit of an unknown capture refers to %q at %q of %q, want only the URI", r.RefersTo, r.RefersToDate, r.RefersToTargetURI)
	}
}
