//go:build !unix

package output

// On systems without RLIMIT_FSIZE the write-failure tests do not exist;
// TestMain still names the child role that would run them.
const fsizeChild = "output-fsize"

func runFsizeChild(string) int { return 125 }
