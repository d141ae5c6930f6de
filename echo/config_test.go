package echo

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Mode: "fork"}, `"fork"`},
		{Config{Workers: -1}, "Workers is -1"},
		{Config{MaxConns: -5}, "MaxConns is -5"},
		{Config{BufferSize: -1}, "BufferSize is -1"},
		{Config{BufferSize: 1 << 30}, "BufferSize is 1073741824"},
		{Config{IdleTimeout: -time.Second}, "IdleTimeout is -1s"},
		{Config{WriteTimeout: -time.Second}, "WriteTimeout is -1s"},
		{Config{DrainTimeout: -time.Second}, "DrainTimeout is -1s"},
	} {
		err := tc.cfg.Validate()
		if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want ErrBadConfig naming %s", tc.cfg, err, tc.want)
		}
		if _, err := New(tc.cfg); !errors.Is(err, ErrBadConfig) {
			t.Errorf("New(%+v) = %v, want ErrBadConfig", tc.cfg, err)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
}

func TestStatsString(t *testing.T) {
	s := Stats{Accepted: 1, Refused: 2, Active: 3, BytesIn: 4, BytesOut: 5, Errors: 6}
	if got, want := s.String(), "accepted=1 refused=2 active=3 bytes_in=4 bytes_out=5 errors=6"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
