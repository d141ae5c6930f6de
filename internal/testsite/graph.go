package testsite

// layer returns the first page number and the size of the tree layer that
// holds page n: layer 1 is {0}, layer 2 {1..F}, layer 3 {F+1..F+F*F}, ...
// It also returns the layer's depth (link hops from the home page).
func (s *Site) layer(n int) (start, size, depth int) {
	start, size, depth = 0, 1, 1
	for n >= start+size {
		start += size
		if size > s.cfg.Pages { // past every page: no overflow, and n is in here
			size = s.cfg.Pages
		}
		size *= s.cfg.Fanout
		depth++
	}
	return start, size, depth
}

// Depth returns page n's depth, its least number of link hops from "/"
// (page 0 is at depth 1).
func (s *Site) Depth(n int) int {
	_, _, d := s.layer(n)
	return d
}

// children returns the page numbers page n links one layer down.
func (s *Site) children(n int) []int {
	var out []int
	for i := 1; i <= s.cfg.Fanout; i++ {
		c := s.cfg.Fanout*n + i
		if c < 0 || c >= s.cfg.Pages { // c < 0: overflow
			break
		}
		out = append(out, c)
	}
	return out
}

// cross returns the first child of the page after n in n's layer (wrapping
// to the layer's first page), or -1 when there is none.
func (s *Site) cross(n int) int {
	start, size, _ := s.layer(n)
	next := n + 1
	if next >= start+size {
		next = start
	}
	c := s.cfg.Fanout*next + 1
	if c < 0 || c >= s.cfg.Pages {
		return -1
	}
	return c
}
