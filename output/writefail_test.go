//go:build unix

package output

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/fulldisk"
)

// fsizeChild is the role of the child process that writes its files under
// a shrinking file size limit (RLIMIT_FSIZE), for TestWriteErrorAtEveryByte:
// its argument is the directory, fsizeMaxEnv_FORMAT the largest limit.
const (
	fsizeChild  = "output-fsize"
	fsizeMaxEnv = "POOLSCRAPE_OUTPUT_TEST_FSIZE_MAX"
)

// fsizeRecords is the most records the child tries to write to one file.
const fsizeRecords = 4

// fsizeOutcome is what the child reports about one file.
type fsizeOutcome struct {
	Path     string `json:"path"`
	Format   string `json:"format"`
	Limit    int64  `json:"limit"`
	OpenErr  string `json:"open_err"`
	Written  int    `json:"written"` // records Write returned nil for
	WriteErr string `json:"write_err"`
	CloseErr string `json:"close_err"`
	TooBig   bool   `json:"too_big"` // every error wraps EFBIG
}

// recordBytes is how many bytes the sample records 0..n-1 take in format
// after its header, with the footer: the range of limits to try.
func recordBytes(t testing.TB, dir, format string, n int) int64 {
	path := filepath.Join(dir, "size."+format)
	writeAll(t.(*testing.T), path, "", n)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// runFsizeChild writes sample records to one file per format and limit,
// with the process's file size limit set to that many bytes, so that the
// kernel fails the write (EFBIG) at that byte: in the header, in a
// record, in the separator or the footer. It prints one fsizeOutcome per
// file as a JSON line. max is the largest limit, per format, in the
// order of fsizeFormats.
func runFsizeChild(dir string) int {
	var orig syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &orig); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	enc := json.NewEncoder(os.Stdout)
	for i, format := range fsizeFormats {
		max, _ := strconv.ParseInt(os.Getenv(fsizeMaxEnv+"_"+format), 10, 64)
		for limit := int64(0); limit <= max; limit++ {
			o := fsizeOutcome{Path: filepath.Join(dir, fmt.Sprintf("%d-%d.%s", i, limit, format)), Format: format, Limit: limit}
			lim := orig
			setRlimit(&lim.Cur, uint64(limit))
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			fsizeWrite(&o)
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &orig); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			if err := enc.Encode(o); err != nil {
				return 1
			}
		}
	}
	return 0
}

// fsizeWrite opens o.Path, writes records until one fails and closes it.
func fsizeWrite(o *fsizeOutcome) {
	o.TooBig = true
	note := func(err error) string {
		if !errors.Is(err, syscall.EFBIG) {
			o.TooBig = false
		}
		return err.Error()
	}
	w, err := Open(o.Path, "", testRules)
	if err != nil {
		o.OpenErr = note(err)
		return
	}
	for i := range fsizeRecords {
		if err := w.Write(sampleRecord(i)); err != nil {
			o.WriteErr = note(err)
			break
		}
		o.Written++
	}
	if err := w.Close(); err != nil {
		o.CloseErr = note(err)
	} else if o.WriteErr != "" {
		o.CloseErr, o.TooBig = "Close returned nil after a failed Write", false
	}
}

// TestWriteErrorAtEveryByte makes the kernel fail the output's write at
// every byte offset of a header and a few records, in every format (a
// child process under a file size limit: real short writes, then EFBIG):
// whatever byte the failure hits, the file holds exactly the records whose
// Write succeeded, whole, a JSON array is closed, and Open, the failed
// Write and Close report the error with the path.
func TestWriteErrorAtEveryByte(t *testing.T) {
	var env []string
	for _, format := range fsizeFormats {
		max := recordBytes(t, t.TempDir(), format, fsizeRecords) // all fit at this limit
		env = append(env, fmt.Sprintf("%s_%s=%d", fsizeMaxEnv, format, max))
	}
	c := childtest.Start(t, fsizeChild, t.TempDir(), env...)
	sc := bufio.NewScanner(c.Stdout)
	files := map[string]int{}
	for sc.Scan() {
		var o fsizeOutcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("child said %q: %v", sc.Text(), err)
		}
		files[o.Format]++
		checkFsizeOutcome(t, o)
	}
	if err := c.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	for _, format := range fsizeFormats {
		if files[format] < 100 {
			t.Errorf("%s: only %d limits tried", format, files[format])
		}
	}
}

// checkFsizeOutcome checks one file the child wrote.
func checkFsizeOutcome(t *testing.T, o fsizeOutcome) {
	t.Helper()
	what := fmt.Sprintf("%s cut at byte %d", o.Format, o.Limit)
	failed := o.OpenErr != "" || o.WriteErr != ""
	if failed && !o.TooBig {
		t.Errorf("%s: errors do not all wrap EFBIG: open %q write %q close %q", what, o.OpenErr, o.WriteErr, o.CloseErr)
	}
	for _, e := range []string{o.OpenErr, o.WriteErr, o.CloseErr} {
		if e != "" && !strings.Contains(e, o.Path) {
			t.Errorf("%s: error does not name the file: %s", what, e)
		}
	}
	if o.OpenErr != "" {
		if b, err := os.ReadFile(o.Path); err == nil && len(b) > 0 {
			t.Errorf("%s: a failed Open left %q", what, b)
		}
		return
	}
	if o.WriteErr == "" && o.Written != fsizeRecords {
		t.Errorf("%s: %d records written and no error", what, o.Written)
	}
	recs, err := ReadFile(o.Path, "")
	if err != nil {
		b, _ := os.ReadFile(o.Path)
		t.Errorf("%s (%d records written, then %q): %v; the file ends %q", what, o.Written, o.WriteErr, err, b[max(0, len(b)-40):])
		return
	}
	if len(recs) != o.Written {
		t.Errorf("%s: %d records in the file, Write succeeded %d times", what, len(recs), o.Written)
	}
	for i, rec := range recs {
		if want := wantRecord(i, o.Format == "csv"); fmt.Sprint(rec) != fmt.Sprint(want) {
			t.Errorf("%s: record %d reads back as %+v", what, i, rec)
		}
	}
}

// TestWriteErrorsDevFull writes every format to /dev/full, where every
// write fails with ENOSPC: Open (which writes the CSV header or the JSON
// array's brackets) or the first Write fails, and every later call says so.
func TestWriteErrorsDevFull(t *testing.T) {
	for _, format := range fsizeFormats {
		w, err := Open("/dev/full", Format(format), testRules)
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("no /dev/full: %v", err)
		}
		if format != "jsonl" {
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "/dev/full") {
				t.Errorf("%s: Open: %v, want ENOSPC naming /dev/full", format, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		errs := []error{w.Write(sampleRecord(0)), w.Write(sampleRecord(1)), w.Close()}
		for i, err := range errs {
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "/dev/full") {
				t.Errorf("%s: call %d: %v, want ENOSPC naming /dev/full", format, i, err)
			}
		}
	}
}

// TestWriteErrorFullFilesystem fills a real 64 KiB tmpfs (needs the right
// to mount: skipped without it) in every format: ENOSPC, and the file holds
// exactly the records written, whole, a JSON array closed.
func TestWriteErrorFullFilesystem(t *testing.T) {
	dir := fulldisk.Mount(t, 64<<10)
	for _, format := range fsizeFormats {
		path := filepath.Join(dir, "out."+format)
		w, err := Open(path, "", testRules)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for ; ; n++ {
			if err = w.Write(sampleRecord(n)); err != nil {
				break
			}
		}
		cerr := w.Close()
		if !errors.Is(err, syscall.ENOSPC) || !errors.Is(cerr, syscall.ENOSPC) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: Write %v, Close %v; want ENOSPC naming the path", format, err, cerr)
		}
		if recs, err := ReadFile(path, ""); err != nil || len(recs) != n || n == 0 {
			t.Errorf("%s: %d records written, ReadFile %d, %v", format, n, len(recs), err)
		}
		if err := os.Remove(path); err != nil { // room for the next format
			t.Fatal(err)
		}
	}
}

// setRlimit sets an Rlimit field, signed on some systems, unsigned on others.
func setRlimit[T int64 | uint64](field *T, n uint64) { *field = T(n) }
