package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// allCommands is root and every command below it.
func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		out = append(out, allCommands(sub)...)
	}
	return out
}

// placeholder is what a flag's value is called in help: upper case, like
// N, D, SIZE, URL, FILE, DIR, NAME=VALUE.
var placeholder = regexp.MustCompile(`^'?[A-Z][A-Z0-9:=_@\[\]a-z ]*'?$`)

// TestHelpPlaceholders: every flag that takes a value names it with an
// upper-case placeholder (not pflag's "int", "string", "duration"), and no
// rendered help has a backtick left.
func TestHelpPlaceholders(t *testing.T) {
	for _, c := range allCommands(newRootCmd()) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Value.Type() == "bool" || f.Name == "help" {
				return
			}
			name, _ := pflag.UnquoteUsage(f)
			if !placeholder.MatchString(name) || strings.ToLower(name) == name {
				t.Errorf("%s --%s: placeholder %q, want an upper-case one (N, D, SIZE, FILE, ...)", c.CommandPath(), f.Name, name)
			}
		})
		var b bytes.Buffer
		c.SetOut(&b)
		_ = c.Help()
		if strings.Contains(b.String(), "`") {
			t.Errorf("%s --help has a backtick:\n%s", c.CommandPath(), b.String())
		}
	}
}

// complete runs cobra's hidden __complete command and returns the words it
// offers.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	root := newRootCmd()
	var b bytes.Buffer
	root.SetOut(&b)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs(append([]string{cobra.ShellCompRequestCmd}, args...))
	if err := root.Execute(); err != nil {
		t.Fatalf("__complete %v: %v", args, err)
	}
	var words []string
	for _, line := range strings.Split(b.String(), "\n") {
		if line == "" || strings.HasPrefix(line, ":") || strings.HasPrefix(line, "Completion ended") {
			continue
		}
		words = append(words, strings.SplitN(line, "\t", 2)[0])
	}
	return words
}

// TestEnumFlagCompletion: the enum flags complete their values.
func TestEnumFlagCompletion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"crawl", "--scope", ""}, []string{"host", "domain", "any"}},
		{[]string{"crawl", "--format", ""}, []string{"jsonl", "csv", "json"}},
		{[]string{"crawl", "--extract-in", ""}, []string{"thread", "process"}},
		{[]string{"crawl", "--progress", ""}, []string{"auto", "always", "never"}},
		{[]string{"echo", "--pool", ""}, []string{"thread", "process"}},
		{[]string{"crawl", "--order", ""}, []string{"breadth", "depth"}},
	} {
		if got := complete(t, tc.args...); !slices.Equal(got, tc.want) {
			t.Errorf("complete %v: %q, want %q", tc.args, got, tc.want)
		}
	}
}
