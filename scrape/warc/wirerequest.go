package warc

import (
	"bufio"
	"bytes"
	"maps"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
)

// WireRequestHead returns the request head as written, wire (the request
// line and header fields up to the empty line, as net/http wrote them on
// the connection: their order, with the fields the transport adds, such as
// a proxy's Proxy-Authorization and the absolute-form target of a request
// to a proxy), the values of its credential fields redacted as
// RequestHead redacts them. It returns RequestHead(req) instead when wire
// is nil or is not req's head: another method, target, host or value of a
// field of req.Header.
func WireRequestHead(wire []byte, req *http.Request) []byte {
	if wire == nil || !sameRequest(wire, req) {
		return RequestHead(req)
	}
	return redactWire(wire)
}

// requestFieldsApart are the fields of req.Header net/http writes from
// elsewhere than req.Header, or not at all.
var requestFieldsApart = map[string]bool{"Host": true, "User-Agent": true, "Content-Length": true, "Transfer-Encoding": true, "Trailer": true}

// sameRequest reports whether wire parses as the head net/http writes for
// req: its method, target, host and every field of req.Header (but those
// net/http writes from elsewhere) with its values.
func sameRequest(wire []byte, req *http.Request) bool {
	got, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire)))
	if err != nil {
		return false
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if got.Method != req.Method || got.URL.RequestURI() != req.URL.RequestURI() || got.Host != host {
		return false
	}
	if ua := req.Header.Get("User-Agent"); ua != "" && got.Header.Get("User-Agent") != ua {
		return false
	}
	want := map[string][]string{} // by canonical name: a name in two cases is written twice, in key order
	for _, name := range slices.Sorted(maps.Keys(req.Header)) {
		if c := textproto.CanonicalMIMEHeaderKey(name); !requestFieldsApart[c] {
			want[c] = append(want[c], req.Header[name]...)
		}
	}
	for name, vals := range want {
		gotVals := got.Header[name]
		if len(gotVals) != len(vals) {
			return false
		}
		for i, v := range vals {
			if gotVals[i] != strings.TrimSpace(v) {
				return false
			}
		}
	}
	return true
}

// redactWire returns head with the values of its credential field lines
// redacted (name, the space after the colon and the line end kept), the
// continuation lines of such a field (obsolete line folding) dropped.
func redactWire(head []byte) []byte {
	var out []byte
	dropping := false
	for i, line := range bytes.SplitAfter(head, []byte("\n")) {
		if i > 0 && len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if !dropping {
				out = append(out, line...)
			}
			continue
		}
		dropping = false
		name, value, found := bytes.Cut(line, []byte(":"))
		field := ""
		if i > 0 && found {
			field = credentialField(string(name))
		}
		if field == "" {
			out = append(out, line...)
			continue
		}
		dropping = true
		body := bytes.TrimRight(value, "\r\n")
		trimmed := bytes.TrimLeft(body, " \t")
		red := redactAuth(string(trimmed))
		if field == "Cookie" {
			red = redactCookies(string(trimmed))
		}
		out = append(append(append(append(out, name...), ':'), body[:len(body)-len(trimmed)]...), red...)
		out = append(out, value[len(body):]...)
	}
	return out
}
