//go:build !unix

package output

// On systems without RLIMIT_FSIZE the write-failure tests do not exist;
// TestMain still names the environment variable that would start them.
const fsizeChildEnv = "POOLSCRAPE_OUTPUT_TEST_FSIZE"

func runFsizeChild(string) int { return 125 }
