//go:build race

package scrape

// raceOn: the race detector is on (sync.Pool then drops items at random).
const raceOn = true
