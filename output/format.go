package output

import (
	"path/filepath"
	"strings"
)

// Format is an output format name.
type Format string

// The output formats.
const (
	JSONL Format = "jsonl"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// Formats lists the accepted format names, for help texts and errors.
var Formats = []Format{JSONL, CSV, JSON}

// Stdout is the path that means standard output.
const Stdout = "-"

// ParseFormat returns the format called name (case-insensitive; "ndjson"
// is jsonl), or an error wrapping ErrUnknownFormat.
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(name) {
	case "jsonl", "ndjson":
		return JSONL, nil
	case "csv":
		return CSV, nil
	case "json":
		return JSON, nil
	}
	return "", errorf("", "%w %q: use jsonl, csv or json", ErrUnknownFormat, name)
}

// FormatFor returns the format of an output: the explicit name when it is
// not empty, else the path's extension (.jsonl, .ndjson, .csv, .json; jsonl
// for "-"). An error wraps ErrUnknownFormat and names the path.
func FormatFor(path, explicit string) (Format, error) {
	if explicit != "" {
		return ParseFormat(explicit)
	}
	if path == Stdout {
		return JSONL, nil
	}
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if f, err := ParseFormat(ext); err == nil && ext != "" {
		return f, nil
	}
	return "", errorf("", "%w: cannot tell the format of %q from its extension: name it .jsonl, .csv or .json, or give the format (jsonl, csv, json)",
		ErrUnknownFormat, path)
}
