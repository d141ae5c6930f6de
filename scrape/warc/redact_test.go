package warc_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/warc"
)

// TestRequestHeadRedactsCredentials: the credential fields keep their
// names (whatever their case in the Header map), their scheme word and
// cookie names; other fields and req's Header stay as they are.
func TestRequestHeadRedactsCredentials(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/p", nil)
	req.Header = http.Header{
		"Authorization": {"Digest username=\"ann\", response=\"f00\""},
		"authorization": {"opaque-token"}, // not canonical: net/http sends it as it is
		"Cookie":        {"sid=abc; theme=dark", "x=1"},
		"X-Keep":        {"yes"},
	}
	head := string(warc.RequestHead(req))
	for _, want := range []string{"\r\nAuthorization: Digest [redacted]\r\n", "\r\nauthorization: [redacted]\r\n",
		"\r\nCookie: sid=[redacted]; theme=[redacted]\r\n", "\r\nCookie: x=[redacted]\r\n", "\r\nX-Keep: yes\r\n"} {
		if !strings.Contains(head, want) {
			t.Errorf("head lacks %q:\n%s", want, head)
		}
	}
	for _, secret := range []string{"f00", "opaque-token", "abc", "dark"} {
		if strings.Contains(head, secret) {
			t.Errorf("head holds %q:\n%s", secret, head)
		}
	}
	if req.Header.Get("Cookie") != "sid=abc; theme=dark" {
		t.Errorf("RequestHead changed req's Header: %v", req.Header)
	}
}

// TestRequestHeadRedactsNamelessCookies: a Cookie pair without "=" (a
// nameless cookie, sent as its value alone) is a value: it is redacted
// whole, not kept as a name.
func TestRequestHeadRedactsNamelessCookies(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/p", nil)
	req.Header = http.Header{"Cookie": {"opaquetoken; a=1"}}
	head := string(warc.RequestHead(req))
	if want := "\r\nCookie: [redacted]; a=[redacted]\r\n"; !strings.Contains(head, want) {
		t.Errorf("head lacks %q:\n%s", want, head)
	}
	if strings.Contains(head, "opaquetoken") {
		t.Errorf("head holds the nameless cookie's value:\n%s", head)
	}
	wire := "GET /p HTTP/1.1\r\nHost: 127.0.0.1:1\r\nUser-Agent: Go-http-client/1.1\r\nCookie: opaquetoken; a=1\r\n\r\n"
	if got := string(warc.WireRequestHead([]byte(wire), req)); strings.Contains(got, "opaquetoken") {
		t.Errorf("wire head holds the nameless cookie's value:\n%s", got)
	}
}

// TestRequestHeadRedactsUnregisteredSchemes: an Authorization value keeps
// its first word only if that is a registered HTTP authentication scheme
// (whatever its case); a first word that is not one may be the credential
// itself ("mytoken extra") and is redacted with the rest.
func TestRequestHeadRedactsUnregisteredSchemes(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"mytoken extra", "[redacted]"},
		{"Token abc", "[redacted]"},
		{"bearer abc", "bearer [redacted]"},
		{"NEGOTIATE abc", "NEGOTIATE [redacted]"},
		{"SCRAM-SHA-256 abc", "SCRAM-SHA-256 [redacted]"},
		{"AWS4-HMAC-SHA256 Credential=abc", "AWS4-HMAC-SHA256 [redacted]"},
		{"vapid t=abc", "vapid [redacted]"},
	} {
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/p", nil)
		req.Header = http.Header{"Authorization": {tc.value}}
		want := "\r\nAuthorization: " + tc.want + "\r\n"
		if head := string(warc.RequestHead(req)); !strings.Contains(head, want) {
			t.Errorf("Authorization %q: head lacks %q:\n%s", tc.value, want, head)
		}
		wire := "GET /p HTTP/1.1\r\nHost: 127.0.0.1:1\r\nAuthorization: " + tc.value + "\r\n\r\n"
		if got := string(warc.WireRequestHead([]byte(wire), req)); !strings.Contains(got, want) {
			t.Errorf("Authorization %q: wire head lacks %q:\n%s", tc.value, want, got)
		}
	}
}
