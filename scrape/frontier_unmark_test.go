package scrape

import "testing"

// TestFrontierUnmark: a redirect target unmarked can be claimed again;
// Unmark leaves queued and done URLs alone.
func TestFrontierUnmark(t *testing.T) {
	f := NewMemoryFrontier()
	if ok, _ := f.MarkSeen(bg, "http://h/t", "http://h/"); !ok {
		t.Fatal("first MarkSeen reported seen")
	}
	if err := f.Unmark(bg, "http://h/t"); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.Counts(bg); c.Seen != 0 {
		t.Errorf("Seen = %d after Unmark, want 0", c.Seen)
	}
	if ok, _ := f.MarkSeen(bg, "http://h/t", "http://h/"); !ok {
		t.Fatal("MarkSeen after Unmark reported seen")
	}
	if n, _ := f.Push(bg, Request{URL: "http://h/q"}); n != 1 {
		t.Fatal("push failed")
	}
	if err := f.Unmark(bg, "http://h/q"); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.Push(bg, Request{URL: "http://h/q"}); n != 0 {
		t.Error("Unmark forgot a queued URL: it was queued twice")
	}
}

// TestSeenSetRemove: removing from the linear-probing table keeps every
// other hash findable (backward shift), including after wrap-around.
func TestSeenSetRemove(t *testing.T) {
	var s seenSet
	const n = 50000
	for i := uint64(1); i <= n; i++ {
		s.add(i * 0x9E3779B97F4A7C15)
	}
	for i := uint64(1); i <= n; i += 2 {
		if !s.remove(i * 0x9E3779B97F4A7C15) {
			t.Fatalf("%d not removed", i)
		}
	}
	if s.remove(0x12345) || s.len() != n/2 {
		t.Fatalf("len %d after removing half, want %d", s.len(), n/2)
	}
	for i := uint64(1); i <= n; i++ {
		if added := s.add(i * 0x9E3779B97F4A7C15); added != (i%2 == 1) {
			t.Fatalf("%d: add reported new=%v after removing the odd ones", i, added)
		}
	}
	if !s.add(0) || !s.remove(0) || s.remove(0) {
		t.Error("hash 0 add/remove")
	}
}
