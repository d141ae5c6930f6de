package main

import (
	"github.com/spf13/cobra"
)

// enumFlags are the flags that take one of a few words, and the words:
// shell completion offers them (cobra's completion command, or
// __complete). A new enum flag adds its line here, whichever command has
// it.
var enumFlags = map[string][]string{
	"scope":      {"host\tthe start URLs' hosts", "domain\ttheir registrable domains", "any\tevery host"},
	"format":     {"jsonl\tJSON lines", "csv\tCSV with a header", "json\tone JSON array"},
	"extract-in": {"thread\tin this process", "process\tin worker processes"},
	"progress":   {"auto\twhen stderr is a terminal the records do not go to", "always", "never"},
	"pool":       {"thread\tgoroutine pool", "process\tworker processes"},
	"order":      {"breadth\tby depth, lowest first", "depth\ta page's first link and all under it first"},
}

// registerCompletions gives every enum flag of cmd and its subcommands its
// words, and files for no other flag value than those that name files.
func registerCompletions(cmd *cobra.Command) {
	for name, words := range enumFlags {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	for _, sub := range cmd.Commands() {
		registerCompletions(sub)
	}
}
