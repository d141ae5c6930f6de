package redisfrontier

import (
	"context"
	"fmt"

	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/redis/go-redis/v9"
)

// MarkWritten settles as done the URLs whose records are in this process's
// output already, wherever they are in the job (queued, or leased by a
// process that died before it acked them), and returns how many it
// settled: a rerun of a killed process passes the URLs it reads back from
// its output (resume.Prepare does, through resume.Marker), so that none is
// fetched again. A URL that went back to the queue when its lease expired
// was counted as refetched then; settled here, it no longer counts.
func (f *Frontier) MarkWritten(ctx context.Context, urls []string) (int, error) {
	marked := 0
	for len(urls) > 0 {
		n := min(len(urls), 500)
		args := make([]any, n)
		for i, u := range urls[:n] {
			args[i] = u
		}
		v, err := f.run(ctx, fmt.Sprintf("marking %d written URLs done", n), markWrittenScript, args...)
		if err != nil {
			return marked, err
		}
		marked += int(asInt(v))
		urls = urls[n:]
	}
	return marked, nil
}

// markWrittenScript: ARGV[2..] URLs. Settles each unsettled one as done;
// returns how many.
var markWrittenScript = redis.NewScript(prelude + `
local n = 0
for i = 2, #ARGV do
  local u = ARGV[i]
  if redis.call('HGET', p..'seen', u) == 'q' then
    redis.call('ZREM', p..'queue', u)
    redis.call('ZREM', p..'leases', u)
    redis.call('HDEL', p..'lease_id', u)
    redis.call('HDEL', p..'owner', u)
    local raw = redis.call('HGET', p..'item', u)
    if raw then
      redis.call('HINCRBY', p..'undone', cjson.decode(raw).d, -1)
      redis.call('HDEL', p..'item', u)
    end
    redis.call('HSET', p..'seen', u, 'd')
    drop_claims(u)
    redis.call('HINCRBY', p..'stats', 'done', 1)
    if redis.call('HDEL', p..'expired', u) == 1 then
      redis.call('HINCRBY', p..'stats', 'refetched', -1)
    end
    n = n + 1
  end
end
if n > 0 then redis.call('HSET', p..'stats', 'last', now) end
return n
`)

var _ resume.Marker = (*Frontier)(nil)
