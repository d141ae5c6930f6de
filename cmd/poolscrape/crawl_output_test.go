//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/fulldisk"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/output"
)

// fsizeExecRole makes the test binary (a child, package childtest) set its
// file size limit (RLIMIT_FSIZE) to its argument, in bytes, and exec the
// command line it was given: a poolscrape whose output becomes unwritable
// part way, the kernel failing the write (EFBIG) at that byte.
const fsizeExecRole = "poolscrape-under-fsize-limit"

// execWithFileSizeLimit is the test binary's life as fsizeExecRole.
func execWithFileSizeLimit(limit string) int {
	n, err := strconv.ParseUint(limit, 10, 64)
	var lim syscall.Rlimit
	if err == nil {
		err = syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim)
	}
	if err == nil {
		setRlimit(&lim.Cur, n)
		err = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
	}
	if args := childtest.Args(); err == nil && len(args) == 0 {
		err = errors.New("no command line given")
	} else if err == nil {
		err = syscall.Exec(args[0], args, os.Environ())
	}
	fmt.Fprintln(os.Stderr, "exec under a file size limit:", err)
	return 125
}

// TestCrawlOutputBecomesUnwritable crawls the test site into each format
// with the process's file size limit set part way into the output, so a
// write fails mid-crawl (EFBIG, as a full disk fails with ENOSPC): the
// crawl exits 1 naming the error and the file, and the file holds whole
// records only, the JSON array closed.
func TestCrawlOutputBecomesUnwritable(t *testing.T) {
	bin := crawlBin(t)
	_, base := serveSite(t, testsite.Config{Pages: 200, Plain: true})
	const limit = 8 << 10
	for _, ext := range []string{"json", "jsonl", "csv"} {
		path := filepath.Join(t.TempDir(), "out."+ext)
		cmd := childtest.Command(fsizeExecRole, strconv.Itoa(limit), bin, "crawl", "-q", "-d", "-1", "-c", "4", "-o", path, base+"/")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := cmd.ProcessState.ExitCode()
		if code != 1 || !strings.Contains(stderr.String(), "file too large") || !strings.Contains(stderr.String(), path) {
			t.Errorf("%s: exit %d (%v), stderr %q; want 1 naming the error and the file", ext, code, err, stderr.String())
		}
		checkWholeRecords(t, path, ext, limit)
	}
}

// TestCrawlOutputFullFilesystem crawls into a real 64 KiB tmpfs until it is
// full (needs the right to mount: skipped without it; the file size limit
// test above runs everywhere): exit 1 naming ENOSPC, whole records only,
// the JSON array closed.
func TestCrawlOutputFullFilesystem(t *testing.T) {
	bin := crawlBin(t)
	dir := fulldisk.Mount(t, 64<<10)
	_, base := serveSite(t, testsite.Config{Pages: 2000, Plain: true})
	for _, ext := range []string{"json", "jsonl", "csv"} {
		path := filepath.Join(dir, "out."+ext)
		code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "-1", "-c", "4", "-o", path, base+"/")
		if code != 1 || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, path) {
			t.Errorf("%s: exit %d, stderr %q; want 1 naming the error and the file", ext, code, stderr)
		}
		checkWholeRecords(t, path, ext, 64<<10)
		if err := os.Remove(path); err != nil { // room for the next format
			t.Fatal(err)
		}
	}
}

// checkWholeRecords reads an output strictly: whole records only, at least
// one, a JSON array that parses, and no more bytes than limit.
func checkWholeRecords(t *testing.T, path, ext string, limit int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data)) > limit {
		t.Errorf("%s: %d bytes, past the %d the test allowed", ext, len(data), limit)
	}
	if ext == "json" && !json.Valid(data) {
		t.Errorf("json: the output is not valid JSON; it ends %q", data[max(0, len(data)-60):])
	}
	recs, err := output.ReadFile(path, "")
	if err != nil {
		t.Errorf("%s: %v; the file ends %q", ext, err, data[max(0, len(data)-60):])
	}
	if len(recs) == 0 {
		t.Errorf("%s: no record written before the error", ext)
	}
	crawlRecordPaths(t, recs)
}

// invalidUTF8Page is a page declared UTF-8 whose title, text, attribute and
// link hold bytes that are not UTF-8.
const invalidUTF8Page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>caf\xe9 \xff\xfe title</title></head>" +
	"<body><p class=\"m\">match \xff one</p><a class=\"l\" data-x=\"attr \xfe\" href=\"/next\xff?q=\xe9\">link \xff</a></body></html>"

// TestCrawlInvalidUTF8 crawls a server that declares UTF-8 and sends
// invalid bytes in the title, in what the rules match and in a link, into
// each format: every output file is valid UTF-8, and the title reads back
// with U+FFFD where the bad bytes were.
func TestCrawlInvalidUTF8(t *testing.T) {
	bin := crawlBin(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, invalidUTF8Page)
	}))
	defer srv.Close()
	for _, ext := range []string{"jsonl", "csv", "json"} {
		path := filepath.Join(t.TempDir(), "out."+ext)
		code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "1", "-o", path,
			"--regex", `word=match (\S+) one`, "--css", "para=p.m", "--css", "attr=a.l@data-x", "--css", "href=a.l@href",
			srv.URL+"/\xff")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", ext, code, stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(data) {
			t.Errorf("%s: the output is not valid UTF-8:\n%q", ext, data)
		}
		recs, err := output.ReadFile(path, "")
		if err != nil || len(recs) < 2 {
			t.Fatalf("%s: %d records, %v", ext, len(recs), err)
		}
		var matched bool
		for _, rec := range recs {
			if !strings.Contains(rec.Title, "\ufffd") {
				t.Errorf("%s: %s has title %q, want U+FFFD for the bad bytes", ext, rec.URL, rec.Title)
			}
			matched = matched || len(rec.Matches["para"]) > 0 && len(rec.Matches["attr"]) > 0
		}
		if !matched {
			t.Errorf("%s: the rules matched nothing: %+v", ext, recs)
		}
	}
}

// setRlimit sets an Rlimit field, signed on some systems, unsigned on others.
func setRlimit[T int64 | uint64](field *T, n uint64) { *field = T(n) }
