package warc

import (
	"bufio"
	"bytes"
	"net/http"
	"reflect"
	"strings"
)

// WireResponseHead returns the response head as received, wire (the
// status line and header fields up to the empty line, as they came off the
// connection: their order, case and duplicates kept), without its
// Transfer-Encoding fields (the body is recorded without the transfer
// coding). It returns ResponseHead(resp) instead when wire is nil or is not
// the head resp was parsed from: another status line or other fields.
func WireResponseHead(wire []byte, resp *http.Response) []byte {
	if wire == nil || !sameHead(wire, resp) {
		return ResponseHead(resp)
	}
	return withoutTransferEncoding(wire)
}

// sameHead reports whether wire parses as the head of resp.
func sameHead(wire []byte, resp *http.Response) bool {
	got, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(wire)), resp.Request)
	if err != nil {
		return false
	}
	defer got.Body.Close()
	return got.Status == resp.Status && got.Proto == resp.Proto &&
		reflect.DeepEqual(got.Header, resp.Header) && reflect.DeepEqual(got.TransferEncoding, resp.TransferEncoding)
}

// withoutTransferEncoding drops the Transfer-Encoding field lines of head,
// their continuation lines (obsolete line folding) with them.
func withoutTransferEncoding(head []byte) []byte {
	var out []byte
	dropping := false
	for i, line := range bytes.SplitAfter(head, []byte("\n")) {
		folded := i > 0 && len(line) > 0 && (line[0] == ' ' || line[0] == '\t')
		if !folded {
			name, _, _ := bytes.Cut(line, []byte(":"))
			dropping = i > 0 && strings.EqualFold(strings.TrimSpace(string(name)), "Transfer-Encoding")
		}
		if !dropping {
			out = append(out, line...)
		}
	}
	return out
}
