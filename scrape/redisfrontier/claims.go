package redisfrontier

// mark is a redirect target this process claimed (MarkSeen): by's lease,
// with the ID this process held it under then. Unmark passes both, so that
// a target is unmarked only while it is still that lease's claim.
type mark struct {
	by string
	id uint64
}

// claimed remembers that url is a claim of by's lease held here, until
// Unmark or the end of the lease (forget). A lease not held here (ended
// already) claims nothing.
func (f *Frontier) claimed(url, by string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.held[by]
	if !ok {
		return
	}
	f.marks[url] = mark{by: by, id: id}
	f.claims[by] = append(f.claims[by], url)
}

// forgetClaimsLocked forgets the claims of the lease of by, which ended;
// the caller holds f.mu.
func (f *Frontier) forgetClaimsLocked(by string) {
	for _, t := range f.claims[by] {
		if f.marks[t].by == by {
			delete(f.marks, t)
		}
	}
	delete(f.claims, by)
}
