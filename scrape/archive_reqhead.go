package scrape

// States of a requestHead.
const (
	reqIdle    = iota // no request written since the last take
	reqWriting        // the head of a request is being written
	reqDone           // the head was written whole (or over the limit): what follows is its body
)

// requestHead keeps the head of the request written on a headConn: the
// bytes written from the first write after the last take (or after the
// response to the last request began to be read) up to the empty line, at
// most limit bytes (else nothing).
type requestHead struct {
	state    int
	answered bool // bytes were read since the head began: the next write is a new request's
	whole    bool // head is the whole head
	head     []byte
}

// wrote adds p, written to the connection, to the head.
func (r *requestHead) wrote(p []byte, limit int) {
	if r.state == reqIdle || r.answered {
		*r = requestHead{state: reqWriting}
	}
	if r.state != reqWriting {
		return
	}
	from := max(0, len(r.head)-3) // the empty line may straddle two writes
	take := min(len(p), limit-len(r.head))
	r.head = append(r.head, p[:take]...)
	if end := headEnd(r.head, from); end >= 0 {
		r.head, r.whole, r.state = r.head[:end:end], true, reqDone
	} else if take < len(p) { // over the limit
		r.head, r.state = nil, reqDone
	}
}

// take returns the head kept whole, or nil, and forgets it.
func (r *requestHead) take() []byte {
	h := r.head
	if !r.whole {
		h = nil
	}
	*r = requestHead{}
	return h
}
