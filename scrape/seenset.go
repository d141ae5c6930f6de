package scrape

// seenSet is a set of 64-bit URL hashes in one open-addressing table with
// linear probing: 8 bytes a slot, at most 7/8 full, so 9.1 to 18.3 bytes per
// URL (Go's map[uint64]struct{} takes about twice that). Hash 0 is kept
// aside, as 0 marks an empty slot. Not safe for concurrent use: the
// frontier's lock guards it.
type seenSet struct {
	slots []uint64
	n     int
	zero  bool
}

// add inserts h and reports whether it was new.
func (s *seenSet) add(h uint64) bool {
	if h == 0 {
		had := s.zero
		s.zero = true
		return !had
	}
	if (s.n+1)*8 > len(s.slots)*7 {
		s.grow()
	}
	if !s.insert(h) {
		return false
	}
	s.n++
	return true
}

// remove deletes h and reports whether it was there. Linear probing needs
// no tombstones: the entries after the hole that would no longer be found
// move back into it (backward-shift deletion).
func (s *seenSet) remove(h uint64) bool {
	if h == 0 {
		had := s.zero
		s.zero = false
		return had
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	i := s.home(h)
	for ; s.slots[i] != h; i = (i + 1) & mask {
		if s.slots[i] == 0 {
			return false
		}
	}
	for j := (i + 1) & mask; s.slots[j] != 0; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home lies
		// cyclically in (i, j].
		if k := s.home(s.slots[j]); (j-k)&mask >= (j-i)&mask {
			s.slots[i] = s.slots[j]
			i = j
		}
	}
	s.slots[i] = 0
	s.n--
	return true
}

// home is the slot where h's probe starts.
func (s *seenSet) home(h uint64) uint64 {
	return (h * 0x9E3779B97F4A7C15) >> 7 & uint64(len(s.slots)-1)
}

// insert puts h in its slot; it reports false if h is there already.
func (s *seenSet) insert(h uint64) bool {
	mask := uint64(len(s.slots) - 1)
	for i := s.home(h); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			return true
		case h:
			return false
		}
	}
}

func (s *seenSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(2*len(old), 1024))
	for _, h := range old {
		if h != 0 {
			s.insert(h)
		}
	}
}

// len returns the number of hashes in the set.
func (s *seenSet) len() int {
	if s.zero {
		return s.n + 1
	}
	return s.n
}
