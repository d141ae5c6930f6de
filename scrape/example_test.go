package scrape_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// recordFunc makes a function a record.Writer. The crawler calls it
// from several goroutines at once.
type recordFunc func(record.Record) error

func (f recordFunc) Write(rec record.Record) error { return f(rec) }

// A program embeds the crawler with a Config, a context and a record.Writer
// of its own: here, a tiny shop on a loopback server, crawled two links deep
// with a regex rule that picks the prices.
func ExampleCrawler() {
	shop := map[string]string{
		"/":       `<title>Shop</title><a href="/tea">tea</a> <a href="/coffee">coffee</a>`,
		"/tea":    `<title>Tea</title><span>$4.50</span> <a href="/">home</a>`,
		"/coffee": `<title>Coffee</title><span>$7.25</span> <a href="/gone">old offer</a>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := shop[r.URL.Path]
		if !ok {
			http.NotFound(w, r) // /robots.txt too: everything is allowed
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()

	var mu sync.Mutex
	var recs []record.Record
	out := recordFunc(func(rec record.Record) error {
		mu.Lock()
		defer mu.Unlock()
		recs = append(recs, rec)
		return nil
	})
	c, err := scrape.New(scrape.Config{
		Starts: []string{srv.URL + "/"},
		Depth:  2,
		Rules:  []scrape.Rule{{Name: "price", Kind: scrape.RegexRule, Pattern: `\$(\d+\.\d\d)`}},
		Output: out,
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stats, err := c.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}

	slices.SortFunc(recs, func(a, b record.Record) int { return strings.Compare(a.URL, b.URL) })
	for _, r := range recs {
		u, _ := url.Parse(r.URL)
		fmt.Printf("%-8s %d depth %d %q %v\n", u.Path, r.Status, r.Depth, r.Title, r.Matches["price"])
	}
	fmt.Printf("%d records, %d errors\n", stats.Pages, stats.Errors)
	// Output:
	// /        200 depth 0 "Shop" []
	// /coffee  200 depth 1 "Coffee" [7.25]
	// /gone    404 depth 2 "" []
	// /tea     200 depth 1 "Tea" [4.50]
	// 4 records, 1 errors
}
