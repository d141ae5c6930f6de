package scrape

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// kindProgress records the last ProgressCounts it was told.
type kindProgress struct {
	mu   sync.Mutex
	last ProgressCounts
}

func (p *kindProgress) Update(int64, int64, int64) {}
func (p *kindProgress) Finish()                    {}
func (p *kindProgress) UpdateKinds(c ProgressCounts) {
	p.mu.Lock()
	p.last = c
	p.mu.Unlock()
}

// TestStatsErrorsByKind: failed records are counted by kind (4xx, 5xx,
// network) in Stats.ErrorsByKind, the summary and a KindProgress.
func TestStatsErrorsByKind(t *testing.T) {
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadURL := "http://" + dead.Addr().String() + "/"
	dead.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			fmt.Fprint(w, `<a href="/a">a</a><a href="/b">b</a><a href="/c">c</a><a href="/boom">x</a>`)
		case r.URL.Path == "/boom":
			w.WriteHeader(http.StatusNotImplemented)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p := &kindProgress{}
	_, st := crawl(t, srv, Config{
		Starts: []string{srv.URL + "/", deadURL}, Depth: 1, IgnoreRobots: true,
		Retries: 0, Progress: p,
	})
	want := map[string]int64{"4xx": 3, "5xx": 1, "network": 1, "other": 0}
	for k, n := range want {
		if st.ErrorsByKind[k] != n {
			t.Errorf("ErrorsByKind[%q] = %d, want %d (%v)", k, st.ErrorsByKind[k], n, st.ErrorsByKind)
		}
	}
	if st.Errors != 5 {
		t.Errorf("Errors = %d, want 5", st.Errors)
	}
	p.mu.Lock()
	last := p.last
	p.mu.Unlock()
	if last.Errors != 5 || last.Errors4xx != 3 || last.Errors5xx != 1 || last.Done != 6 {
		t.Errorf("progress told %+v, want 6 done, 5 errors: 3 4xx, 1 5xx", last)
	}
	var b strings.Builder
	_ = st.WriteSummary(&b)
	for _, s := range []string{"4xx:", "5xx:", "network:"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("summary lacks %q:\n%s", s, b.String())
		}
	}
}
