//go:build !unix

package main

// On systems without RLIMIT_FSIZE the output-failure tests do not exist;
// TestMain still names the environment variable that would start them.
const fsizeExecEnv = "POOLSCRAPE_TEST_FSIZE_EXEC"

func execWithFileSizeLimit(string) int { return 125 }
