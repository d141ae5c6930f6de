package scrape

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// encoded returns s encoded with codings, in the order applied ("gzip",
// "deflate": zlib, "rawdeflate": bare deflate, sent as deflate).
func encoded(t testing.TB, s string, codings ...string) []byte {
	t.Helper()
	b := []byte(s)
	for _, c := range codings {
		var out bytes.Buffer
		var w io.WriteCloser
		switch c {
		case "gzip":
			w = gzip.NewWriter(&out)
		case "deflate":
			w = zlib.NewWriter(&out)
		default:
			fw, err := flate.NewWriter(&out, flate.BestSpeed)
			if err != nil {
				t.Fatal(err)
			}
			w = fw
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b = out.Bytes()
	}
	return b
}

// decodeOnce reads a decoded body of the gzip data enc to its end, closes
// it and returns what it read.
func decodeOnce(enc []byte, codings []string) (string, error) {
	b := &decodedBody{ctx: context.Background(), src: bytes.NewReader(enc), raw: io.NopCloser(nil), codings: codings, left: 1 << 20, limit: 1 << 20}
	out, err := io.ReadAll(b)
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	return string(out), err
}

// TestDecodedBodyReusesReaders: decoding gzip bodies one after the other
// reuses the gzip and bufio readers, so a body costs a small fraction of
// the 40-odd KB a fresh gzip reader takes (runtime.MemStats.TotalAlloc
// over 200 bodies).
func TestDecodedBodyReusesReaders(t *testing.T) {
	if raceOn {
		t.Skip("under the race detector sync.Pool drops a quarter of what it is given")
	}
	page := strings.Repeat("<p>Contact user@example.test</p>\n", 40)
	enc := encoded(t, page, "gzip")
	const n = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		if got, err := decodeOnce(enc, []string{"gzip"}); err != nil || got != page {
			t.Fatalf("decoded %d bytes, %v", len(got), err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 8<<10 {
		t.Errorf("%d bytes allocated per gzip body, want at most 8 KiB", per)
	}
}

// stacks are the codings, as applied, of TestDecodedBodiesDoNotShareReaders.
var stacks = [][]string{{}, {"gzip"}, {"deflate"}, {"rawdeflate"}, {"gzip", "gzip"}, {"deflate", "gzip"},
	{"gzip", "deflate"}, {"deflate", "deflate"}, {"rawdeflate", "gzip", "deflate"}}

// TestDecodedBodiesDoNotShareReaders: bodies decoded at once, plain and
// with every stack of gzip and deflate codings, each read whole, closed
// and then read again, get their own content and an error after Close: a
// pooled reader is never in two bodies, nor twice in one (run with -race).
func TestDecodedBodiesDoNotShareReaders(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Go(func() {
			for i := range 3 * len(stacks) {
				page := fmt.Sprintf("page %d of goroutine %d: %s", i, g, strings.Repeat("x", 100*g))
				applied := stacks[(i+g)%len(stacks)]
				var codings []string // as Content-Encoding names them
				for _, c := range applied {
					codings = append(codings, strings.TrimPrefix(c, "raw"))
				}
				b := &decodedBody{ctx: context.Background(), src: bytes.NewReader(encoded(t, page, applied...)), raw: io.NopCloser(nil), codings: codings, left: 1 << 20, limit: 1 << 20}
				got, err := io.ReadAll(b)
				if err != nil || string(got) != page {
					errs <- fmt.Errorf("goroutine %d body %d (%v): %q, %v", g, i, applied, got, err)
					return
				}
				_ = b.Close()
				if _, err := b.Read(make([]byte, 1)); err != errBodyClosed {
					errs <- fmt.Errorf("read after Close: %v, want errBodyClosed", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
