package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/poolscrape/poolscrape/scrape/redisfrontier"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
)

// errNoJob: crawl status found no such job.
var errNoJob = errors.New("no such job")

func newCrawlStatusCmd() *cobra.Command {
	var redisURL, job string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status --redis URL --job NAME",
		Short: "Print the progress of a crawl shared through Redis",
		Long: `status prints a shared crawl's progress as every process sees it: URLs
queued, leased (in flight), done and failed, leases handed out again after
their process died (refetched), the average pages per second, and the
processes with a recent heartbeat. It reads the job without joining it.`,
		Example: `  poolscrape crawl status --redis redis://127.0.0.1:6379/0 --job shop
  poolscrape crawl status --redis redis://cache:6379/2 --job shop --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if redisURL == "" || job == "" {
				return usageErrorf("crawl status needs --redis URL and --job NAME")
			}
			if err := checkText("--job", job); err != nil {
				return err
			}
			client, err := connectRedis(cmd.Context(), redisURL)
			if err != nil {
				return err
			}
			defer client.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			return printStatus(ctx, cmd.OutOrStdout(), client, job, asJSON)
		},
	}
	cmd.Flags().StringVar(&redisURL, "redis", "", "the Redis `URL` of the crawl (redis://host:port/db)")
	cmd.Flags().StringVar(&job, "job", "", "the job `NAME` (crawl prints it when it starts)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counters as JSON")
	return cmd
}

// jobStatus is what status prints.
type jobStatus struct {
	Job            string  `json:"job"`
	State          string  `json:"state"` // running or finished
	Queued         int64   `json:"queued"`
	Leased         int64   `json:"leased"`
	Done           int64   `json:"done"`
	Failed         int64   `json:"failed"`
	Refetched      int64   `json:"refetched"`
	Duplicates     int64   `json:"duplicates"`
	Seen           int64   `json:"seen"`
	Processes      int64   `json:"processes"`
	PagesPerSecond float64 `json:"pages_per_second"`
	Started        string  `json:"started"`
	// HeartbeatWindow is the window Processes was counted over (three of
	// the job's lease timeouts), as a Go duration.
	HeartbeatWindow string `json:"heartbeat_window"`
}

func printStatus(ctx context.Context, w io.Writer, client *redis.Client, job string, asJSON bool) error {
	c, ok, err := redisfrontier.Status(ctx, client, job, redisfrontier.Config{MaxOutage: 5 * time.Second, OnRetry: redisRetryLine("5s"), OnReconnect: redisReconnectLine})
	if err != nil {
		return fmt.Errorf("reading job %s: %w", job, err)
	}
	if !ok {
		return fmt.Errorf("job %s: %w in %s", job, errNoJob, client.Options().Addr)
	}
	s := jobStatus{Job: job, State: "running", Queued: c.Queued, Leased: c.Leased, Done: c.Done, Failed: c.Failed,
		Refetched: c.Refetched, Duplicates: c.Duplicates, Seen: c.Seen, Processes: c.Processes,
		PagesPerSecond: c.PagesPerSecond(), Started: c.Started.UTC().Format(time.RFC3339), HeartbeatWindow: c.HeartbeatWindow.String()}
	if c.Finished() {
		s.State = "finished"
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(w, "job        %s (%s, started %s)\n", s.Job, s.State, s.Started)
	fmt.Fprintf(w, "queued     %d\nleased     %d\ndone       %d\nfailed     %d\n", s.Queued, s.Leased, s.Done, s.Failed)
	fmt.Fprintf(w, "refetched  %d (leases handed out again after their process stopped)\n", s.Refetched)
	fmt.Fprintf(w, "pages/s    %.1f\nprocesses  %d (heartbeat in the last %s)\n", s.PagesPerSecond, s.Processes, s.HeartbeatWindow)
	return nil
}
