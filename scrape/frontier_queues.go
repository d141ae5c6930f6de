package scrape

// hostQueue holds one host's queued requests in levels by depth, lowest
// first, each level first-in first-out. An item whose depth was lowered
// leaves a stale slot behind in its old level, skipped when reached. With
// lifo (OrderDepth) it is one stack instead, the newest item on top.
type hostQueue struct {
	host    string
	levels  []level // ascending depth
	stack   []*qitem
	lifo    bool
	n       int  // live items
	inOrder bool // listed in MemoryFrontier.order
}

type level struct {
	depth int
	items []*qitem
	head  int
}

// add appends it to the level of its depth (n is the caller's to count).
func (q *hostQueue) add(it *qitem) {
	if q.lifo {
		q.stack = append(q.stack, it)
		return
	}
	d := it.req.Depth
	i := len(q.levels)
	for i > 0 && q.levels[i-1].depth > d {
		i--
	}
	if i == 0 || q.levels[i-1].depth != d {
		q.levels = append(q.levels, level{})
		copy(q.levels[i+1:], q.levels[i:])
		q.levels[i] = level{depth: d}
		i++
	}
	q.levels[i-1].items = append(q.levels[i-1].items, it)
}

// front returns the first live item of the lowest level; q.n must be > 0.
func (q *hostQueue) front() *qitem {
	if q.lifo {
		return q.stack[len(q.stack)-1]
	}
	for {
		lv := &q.levels[0]
		for lv.head < len(lv.items) {
			it := lv.items[lv.head]
			if it.req.Depth == lv.depth {
				return it
			}
			lv.items[lv.head] = nil
			lv.head++
		}
		q.levels = q.levels[1:]
	}
}

// pop removes the item front returned.
func (q *hostQueue) pop() {
	if q.lifo {
		q.stack[len(q.stack)-1] = nil
		q.stack = q.stack[:len(q.stack)-1]
		q.n--
		return
	}
	lv := &q.levels[0]
	lv.items[lv.head] = nil
	lv.head++
	if lv.head == len(lv.items) {
		q.levels = q.levels[1:]
	}
	q.n--
}

// delayHeap orders requests waiting for a retry by their NotBefore.
type delayHeap []*qitem

func (h delayHeap) Len() int           { return len(h) }
func (h delayHeap) Less(i, j int) bool { return h[i].req.NotBefore.Before(h[j].req.NotBefore) }
func (h delayHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *delayHeap) Push(x any)        { *h = append(*h, x.(*qitem)) }
func (h *delayHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}
