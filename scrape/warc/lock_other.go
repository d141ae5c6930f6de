//go:build !unix

package warc

import "os"

// lock does nothing where there is no flock.
func lock(*os.File) error { return nil }
