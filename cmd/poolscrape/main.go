// Command poolscrape is a concurrent crawler and a TCP echo server built on
// the executor package's goroutine and process pools.
package main

import (
	"os"

	"github.com/poolscrape/poolscrape/executor"
)

func main() {
	executor.Init()
	os.Exit(run(os.Args[1:]))
}
