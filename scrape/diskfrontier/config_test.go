package diskfrontier

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

func TestConfigDefaults(t *testing.T) {
	got := Config{}.withDefaults()
	want := Config{SyncInterval: time.Second, PopBatch: 64, AckBatch: 64, LockTimeout: time.Second}
	if got != want {
		t.Errorf("Config{} with defaults = %+v, want %+v", got, want)
	}
	if c := (Config{SyncInterval: -1}).withDefaults(); c.SyncInterval != 0 {
		t.Errorf("a negative SyncInterval became %v, want 0 (fsync after every commit)", c.SyncInterval)
	}
}

// TestErrorsNameThePackageAndWrap: after Close every method fails with an
// error that starts with "diskfrontier: ", names the file and wraps
// ErrClosed.
func TestErrorsNameThePackageAndWrap(t *testing.T) {
	ctx := context.Background()
	f, err := Open(t.TempDir(), testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
	_, perr := f.Push(ctx, scrape.Request{URL: "http://a.test/"})
	_, _, poperr := f.Pop(ctx, nil)
	for _, err := range []error{perr, poperr, f.Ack(ctx, scrape.Lease{}), f.Sync()} {
		if !errors.Is(err, ErrClosed) || !strings.HasPrefix(err.Error(), "diskfrontier: "+f.Path()) {
			t.Errorf("after Close: %v; want diskfrontier: %s: ... ErrClosed", err, f.Path())
		}
	}
}
