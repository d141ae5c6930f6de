package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// crawlBin builds poolscrape into the test's temporary directory.
func crawlBin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "poolscrape")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crawlRun runs the binary to the end and returns its exit code and stderr.
func crawlRun(t *testing.T, bin string, stdin string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return 0, stderr.String()
}

func siteRuleFlags() []string {
	var out []string
	for _, r := range testsite.Rules {
		out = append(out, r.Flag())
	}
	return out
}

// crawlRecordPaths maps the URL paths of records to their records, failing on a
// URL recorded twice.
func crawlRecordPaths(t *testing.T, recs []record.Record) map[string]record.Record {
	t.Helper()
	out := map[string]record.Record{}
	for _, r := range recs {
		p, err := testsite.PathOf(r.URL)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := out[p]; dup {
			t.Errorf("%s recorded twice", p)
		}
		out[p] = r
	}
	return out
}

// TestCrawlCommandFormats crawls the test site into each output format and
// parses each file back with the standard library: exactly the expected
// pages, and the rule columns in CSV.
func TestCrawlCommandFormats(t *testing.T) {
	bin := crawlBin(t)
	for _, ext := range []string{"jsonl", "csv", "json"} {
		t.Run(ext, func(t *testing.T) {
			site, err := testsite.New(testsite.Config{})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(site.Handler())
			defer srv.Close()
			path := filepath.Join(t.TempDir(), "out."+ext)
			statsPath := filepath.Join(t.TempDir(), "stats.json")
			args := append([]string{"crawl", "-q", "-d", "2", "-o", path, "--stats", statsPath}, siteRuleFlags()...)
			if code, stderr := crawlRun(t, bin, "", append(args, srv.URL+"/")...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			recs := parseBack(t, path, ext)
			want, _ := site.Expected(2)
			got := crawlRecordPaths(t, recs)
			if len(got) != len(want) {
				t.Errorf("%d records, want %d", len(got), len(want))
			}
			for p := range want {
				if _, ok := got[p]; !ok {
					t.Errorf("%s missing", p)
				}
			}
			var stats scrape.Stats
			if data, err := os.ReadFile(statsPath); err != nil || json.Unmarshal(data, &stats) != nil {
				t.Errorf("--stats file unreadable: %v", err)
			} else if stats.Pages != int64(len(recs)) || stats.PagesByStatus["200"] == 0 || stats.RobotsBlocked == 0 {
				t.Errorf("--stats: %+v for %d records", stats, len(recs))
			}
			in, _ := site.Info("/page/0")
			if rec := got["/page/0"]; !slices.Equal(rec.Matches["sku"], in.Matches["sku"]) || rec.Title != in.Title {
				t.Errorf("/page/0 parsed back as %+v, want title %q sku %q", rec, in.Title, in.Matches["sku"])
			}
		})
	}
}

// parseBack reads an output file with encoding/json or encoding/csv.
func parseBack(t *testing.T, path, ext string) []record.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	switch ext {
	case "json":
		if err := json.Unmarshal(data, &recs); err != nil {
			t.Fatalf("JSON array: %v", err)
		}
	case "jsonl":
		recs = parseJSONL(t, data)
	case "csv":
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("CSV: %v", err)
		}
		if !slices.Equal(rows[0], output.CSVHeader(testsite.RuleNames())) {
			t.Errorf("CSV header %q", rows[0])
		}
		// The output package's reader decodes the rule columns.
		if recs, err = output.ReadFile(path, "csv"); err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(rows)-1 {
			t.Errorf("%d rows, %d records", len(rows)-1, len(recs))
		}
	}
	return recs
}

func parseJSONL(t *testing.T, data []byte) []record.Record {
	t.Helper()
	var recs []record.Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r record.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Error("output does not end with a newline")
	}
	return recs
}

// TestCrawlCommandSIGINT interrupts a crawl of a slow site: exit 130, the
// stats printed, and every output line a whole record; a second SIGINT
// exits at once with whole lines too.
func TestCrawlCommandSIGINT(t *testing.T) {
	bin := crawlBin(t)
	for _, signals := range []int{1, 2} {
		site, err := testsite.New(testsite.Config{Pages: 2000, Plain: true, Latency: 150 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(site.Handler())
		path := filepath.Join(t.TempDir(), "out.jsonl")
		cmd := exec.Command(bin, "crawl", "-d", "-1", "-c", "8", "--per-host", "8", "-o", path, srv.URL+"/")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForLines(t, path, 5)
		start := time.Now()
		for i := 0; i < signals; i++ {
			cmd.Process.Signal(syscall.SIGINT)
			time.Sleep(20 * time.Millisecond)
		}
		err = cmd.Wait()
		srv.Close()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != 130 {
			t.Errorf("%d signals: exit %d (%v), want 130; stderr:\n%s", signals, code, err, stderr.String())
		}
		if took := time.Since(start); took > 20*time.Second {
			t.Errorf("%d signals: took %v to stop", signals, took)
		}
		data, _ := os.ReadFile(path)
		recs := parseJSONL(t, data)
		if len(recs) < 5 {
			t.Errorf("%d signals: only %d records", signals, len(recs))
		}
		crawlRecordPaths(t, recs)
		if signals == 1 && !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("no stats summary after SIGINT:\n%s", stderr.String())
		}
	}
}

// waitForLines waits until path holds n lines.
func waitForLines(t *testing.T, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(path)
		if bytes.Count(data, []byte("\n")) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not reach %d lines", path, n)
}

// TestCrawlCommandBadInput: every bad flag value or URL exits 2 before any
// request, with an error that names the flag or the value.
func TestCrawlCommandBadInput(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	u := srv.URL + "/"
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"not a url"}, "not a url"},
		{[]string{"ftp://example.com/"}, "ftp"},
		{[]string{"--regex", "x=(", u}, "--regex"},
		{[]string{"--css", "x=[[", u}, "--css"},
		{[]string{"--css", "noequals", u}, "--css"},
		{[]string{"--scope", "planet", u}, "--scope"},
		{[]string{"--format", "xml", u}, "--format"},
		{[]string{"--progress", "sometimes", u}, "--progress"},
		{[]string{"--extract-in", "gpu", u}, "--extract-in"},
		{[]string{"--max-body", "lots", u}, "--max-body"},
		{[]string{"--allow", "(", u}, "--allow"},
		{[]string{"-c", "0", u}, "--concurrency"},
		{[]string{"-o", filepath.Join(dir, "missing", "out.jsonl"), u}, "--output"},
		{[]string{"-o", dir, u}, "--output"},
		{[]string{"-o", filepath.Join(dir, "out.txt"), u}, "--output"},
		{[]string{"--stats", filepath.Join(dir, "missing", "stats.json"), u}, "--stats"},
		{[]string{"--user-agent", "", u}, "--user-agent"},
		{[]string{}, "start URL"},
	} {
		code, stderr := crawlRun(t, bin, "", append([]string{"crawl", "-q"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("crawl %q: exit %d, stderr %q; want 2 naming %q", c.args, code, stderr, c.want)
		}
	}
	if n := site.TotalRequests(); n != 0 {
		t.Errorf("bad input made %d requests", n)
	}
}

// TestCrawlCommandStartFailures: exit 1 when every start URL fails, 0 when
// one of them works; "-" reads start URLs from stdin.
func TestCrawlCommandStartFailures(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	dead := httptest.NewServer(nil)
	deadURL := dead.URL + "/"
	dead.Close()
	if code, stderr := crawlRun(t, bin, "", "crawl", "-q", "--retries", "0", "-d", "0", deadURL, srv.URL+"/missing/1"); code != 1 {
		t.Errorf("all starts failing: exit %d, want 1; %s", code, stderr)
	}
	if code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "0", srv.URL+"/private/"); code != 1 || !strings.Contains(stderr, "robots.txt") {
		t.Errorf("start URL disallowed by robots.txt: exit %d, stderr %q; want 1 saying robots.txt", code, stderr)
	}
	stdin := "# start URLs\n\n" + deadURL + "\n" + srv.URL + "/page/0\n"
	path := filepath.Join(t.TempDir(), "out.jsonl")
	if code, stderr := crawlRun(t, bin, stdin, "crawl", "-q", "--retries", "0", "-d", "0", "-o", path, "-"); code != 0 {
		t.Errorf("one start working: exit %d, want 0; %s", code, stderr)
	}
	data, _ := os.ReadFile(path)
	if got := crawlRecordPaths(t, parseJSONL(t, data)); len(got) != 2 {
		t.Errorf("stdin starts: %d records, want 2", len(got))
	}
}

// TestCrawlCommandDeviceOutput: -o /dev/null (a device that cannot be
// synced) is a successful crawl, not an error at close.
func TestCrawlCommandDeviceOutput(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	statsPath := filepath.Join(t.TempDir(), "stats.json")
	code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "0", "-o", os.DevNull, "--format", "jsonl", "--stats", statsPath, srv.URL+"/")
	if code != 0 {
		t.Fatalf("-o %s: exit %d, want 0; stderr:\n%s", os.DevNull, code, stderr)
	}
	var st scrape.Stats
	data, _ := os.ReadFile(statsPath)
	if err := json.Unmarshal(data, &st); err != nil || st.Pages != 1 {
		t.Errorf("--stats after -o %s: %v, %+v", os.DevNull, err, st)
	}
}

// TestCrawlCommandNonRegularOutputDefaultsToJSONL: -o /dev/null or a FIFO
// without --format writes JSON lines instead of refusing for want of an
// extension.
func TestCrawlCommandNonRegularOutputDefaultsToJSONL(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	if code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "0", "-o", os.DevNull, srv.URL+"/"); code != 0 {
		t.Errorf("-o %s: exit %d, want 0; stderr:\n%s", os.DevNull, code, stderr)
	}
	fifo := filepath.Join(t.TempDir(), "records")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		data, _ := os.ReadFile(fifo) // opens the FIFO's reading end, reads to EOF
		got <- data
	}()
	if code, stderr := crawlRun(t, bin, "", "crawl", "-q", "-d", "0", "-o", fifo, srv.URL+"/"); code != 0 {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Close() // the reader's EOF
		}
		<-got
		t.Fatalf("-o FIFO: exit %d, want 0; stderr:\n%s", code, stderr)
	}
	if recs := parseJSONL(t, <-got); len(recs) != 1 {
		t.Errorf("-o FIFO: %d records, want 1 JSON line", len(recs))
	}
}

// TestCrawlCommandSIGINTTwiceJSON: a second Ctrl-C exits at once but still
// leaves a JSON array that parses, with whole records.
func TestCrawlCommandSIGINTTwiceJSON(t *testing.T) {
	bin := crawlBin(t)
	site, err := testsite.New(testsite.Config{Pages: 2000, Plain: true, Latency: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "out.json")
	cmd := exec.Command(bin, "crawl", "-q", "-d", "-1", "-c", "8", "--per-host", "8", "-o", path, srv.URL+"/")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLines(t, path, 4) // "[", the home page, one more, "]"
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130", err)
	}
	data, _ := os.ReadFile(path)
	var recs []record.Record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatalf("output after two signals is not a JSON array: %v\n%s", err, data)
	}
	if len(recs) < 2 {
		t.Errorf("%d records, want at least 2", len(recs))
	}
}

// TestBenchCommandBadInput: bench's bad flag values exit 2 naming the flag
// and the value, before any site is served.
func TestBenchCommandBadInput(t *testing.T) {
	bin := crawlBin(t)
	for _, c := range []struct{ args []string }{
		{[]string{"--pages", "0"}}, {[]string{"--fanout", "-1"}}, {[]string{"-c", "0"}}, {[]string{"--latency", "-1s"}},
	} {
		code, stderr := crawlRun(t, bin, "", append([]string{"bench", "--baseline=false"}, c.args...)...)
		flag := strings.Replace(c.args[0], "-c", "--concurrency", 1)
		if code != 2 || !strings.Contains(stderr, flag+" "+c.args[1]) {
			t.Errorf("bench %q: exit %d, stderr %q; want 2 naming %s and its value", c.args, code, stderr, flag)
		}
	}
}
