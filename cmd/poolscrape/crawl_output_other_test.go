//go:build !unix

package main

// On systems without RLIMIT_FSIZE the output-failure tests do not exist;
// TestMain still names the child role that would run them.
const fsizeExecRole = "poolscrape-under-fsize-limit"

func execWithFileSizeLimit(string) int { return 125 }
