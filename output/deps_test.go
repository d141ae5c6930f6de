package output

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportsOnlyTheRecordPackage checks that package output depends on
// the standard library and the leaf package scrape/record only: writing
// records must not pull in the crawler, the executor, a terminal package
// or an HTML parser.
func TestImportsOnlyTheRecordPackage(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{
		"github.com/poolscrape/poolscrape/output",
		"github.com/poolscrape/poolscrape/scrape/record",
	}
	for _, pkg := range strings.Fields(string(out)) {
		if !slices.Contains(allowed, pkg) {
			t.Errorf("output depends on %s; it may import only the standard library and scrape/record", pkg)
		}
	}
}
